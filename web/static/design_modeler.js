// The design tool's modeler page (templates/design/modeler.html): opens the diagram from the
// page's JSON block in the vendored bundle (window.VardflodeModeler) and, on save, puts the
// modeler's XML into the form's hidden field before the form is posted. A static file, because
// the CSP allows no inline script.
(function () {
  'use strict';

  function start() {
    var dataBlock = document.getElementById('modeler-data');
    var form = document.getElementById('modeler-save');
    if (!dataBlock || !form || !window.VardflodeModeler) { return; }
    var data = JSON.parse(dataBlock.textContent);
    var status = document.getElementById('modeler-status');
    var field = document.getElementById('modeler-xml');
    var button = form.querySelector('button[type=submit]');
    var modeler = null;

    button.disabled = true;  // nothing to save until the diagram is drawn
    status.textContent = data.loading;
    window.VardflodeModeler.open(document.getElementById('modeler-canvas'),
      document.getElementById('modeler-properties'), data.xml, data.language)
      .then(function (opened) {
        modeler = opened.modeler;
        // Kept on the element so tests can reach the running modeler.
        document.getElementById('modeler-canvas').vardflodeModeler = modeler;
        status.textContent = opened.warnings.length ? data.warnings + ' ' + opened.warnings.length : '';
        button.disabled = false;
        form.dataset.ready = 'true';
      })
      .catch(function (error) {
        status.textContent = data.failed + ' ' + (error && error.message ? error.message : '');
      });

    form.addEventListener('submit', function (event) {
      if (!modeler || form.dataset.sending) { return; }  // then the field keeps what the server put in
      event.preventDefault();
      status.textContent = data.saving;
      window.VardflodeModeler.saveXML(modeler).then(function (xml) {
        field.value = xml;
        form.dataset.sending = 'true';
        form.submit();
      }).catch(function (error) {
        status.textContent = data.failed + ' ' + (error && error.message ? error.message : '');
      });
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
