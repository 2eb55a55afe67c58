// The design tool's form editor page (templates/design/form_editor.html): opens the form from the
// page's JSON block in the vendored bundle (window.VardflodeFormEditor), inserts the instrument
// library's locked blocks, puts the editor's form into the save form's hidden field on submit, and
// shows the server's preview (both languages) in the page; a preview's own forms are posted the same
// way, so the server's validation messages appear without leaving the editor. A static file,
// because the CSP allows no inline script.
(function () {
  'use strict';

  function start() {
    var dataBlock = document.getElementById('form-editor-data');
    var form = document.getElementById('form-editor-save');
    if (!dataBlock || !form || !window.VardflodeFormEditor) { return; }
    var data = JSON.parse(dataBlock.textContent);
    var api = window.VardflodeFormEditor;
    var status = document.getElementById('form-editor-status');
    var field = document.getElementById('form-editor-schema');
    var saveButton = form.querySelector('button[type=submit]');
    var previewButton = document.getElementById('form-preview-button');
    var insertButton = document.getElementById('form-instrument-insert');
    var instrument = document.getElementById('form-instrument');
    var previewBox = document.getElementById('form-preview');
    var token = form.querySelector('input[name=csrf_token]').value;
    var container = document.getElementById('form-editor');
    var editor = null;

    function schemaText() {
      return JSON.stringify(api.saveSchema(editor));
    }

    function showPreview(html) {
      previewBox.innerHTML = html;  // the server's own rendering, escaped there
      previewBox.querySelectorAll('form').forEach(function (previewForm) {
        previewForm.addEventListener('submit', function (event) {
          event.preventDefault();
          post(new FormData(previewForm));
        });
      });
    }

    // Post to the preview address and show the answer; after an answer with errors, focus its summary.
    function post(body) {
      status.textContent = data.previewing;
      fetch(data.preview_url, {
        method: 'POST', credentials: 'same-origin', body: body, headers: { 'X-Preview': '1' }
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      }).then(function (html) {
        status.textContent = '';
        showPreview(html);
        var summary = previewBox.querySelector('.form-error-summary');
        (summary || document.getElementById('form-preview-heading')).focus();
      }).catch(function (error) {
        status.textContent = data.preview_failed + ' ' + (error && error.message ? error.message : '');
      });
    }

    previewButton.addEventListener('click', function () {
      var body = new FormData();
      body.append('csrf_token', token);
      body.append('vf-schema', schemaText());
      post(body);
    });

    insertButton.addEventListener('click', function () {
      var block = data.library[instrument.value];
      if (!block) { return; }
      api.insertBlock(editor, block).then(function () { status.textContent = data.inserted; });
    });

    status.textContent = data.loading;
    api.open(container, data.schema, data.language, {
      library: data.library,
      onLocked: function (ids) { status.textContent = data.locked + ' ' + ids.join(', '); }
    }).then(function (opened) {
      editor = opened;
      container.vardflodeFormEditor = editor;  // kept on the element so tests can reach it
      status.textContent = '';
      [saveButton, previewButton, insertButton].forEach(function (b) { b.disabled = false; });
      form.dataset.ready = 'true';
    }).catch(function (error) {
      status.textContent = data.failed + ' ' + (error && error.message ? error.message : '');
    });

    form.addEventListener('submit', function (event) {
      if (!editor) { return; }  // then the field keeps what the server put in
      status.textContent = data.saving;
      field.value = schemaText();
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
