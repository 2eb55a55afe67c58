// The design tool's modeler page (templates/design/modeler.html): opens the diagram from the
// page's JSON block in the vendored bundle (window.VardflodeModeler) and, on save, puts the
// modeler's XML into the form's hidden field before the form is posted. After each change
// (debounced) it posts the drawing to the page's check URL and shows the validator's findings: a
// marker and an icon on each element at fault, and a list of "ELEMENT_ID: reason" buttons that
// select the element. The properties group (the bundle's vardflode/) gets its choices from the JSON
// block and checks each field by posting {kind, text} to the page's text check URL; a save first
// waits for those answers (a timer written in words is stored as ISO only when the server says
// what it means). A static file, because the CSP allows no inline script.
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
    var findingsBox = document.getElementById('modeler-findings');
    var token = form.querySelector('input[name=csrf_token]').value;
    var base = form.querySelector('input[name=based_on]');
    var CHECK_DELAY = 600;  // ms after the last change
    var checkTimer = null;
    var checkNumber = 0;  // only the newest check's answer is shown
    var marked = [];

    function unmark() {
      var canvas = modeler.get('canvas');
      marked.forEach(function (id) { canvas.removeMarker(id, 'vf-finding'); });
      modeler.get('overlays').remove({ type: 'vf-finding' });
      marked = [];
    }

    function select(element) {
      modeler.get('selection').select(element);
      modeler.get('canvas').scrollToElement(element);
    }

    function showFindings(findings) {
      var registry = modeler.get('elementRegistry');
      unmark();
      findingsBox.textContent = '';
      if (!findings.length) {
        var none = document.createElement('p');
        none.textContent = data.no_findings;
        findingsBox.appendChild(none);
        return;
      }
      var list = document.createElement('ul');
      list.className = 'modeler-findings-list';
      findings.forEach(function (finding) {
        var item = document.createElement('li');
        var element = registry.get(finding.element);
        if (element) {
          var button = document.createElement('button');
          button.type = 'button';
          button.textContent = finding.element + ': ' + finding.reason;
          button.addEventListener('click', function () { select(element); });
          item.appendChild(button);
          if (marked.indexOf(element.id) < 0) {
            modeler.get('canvas').addMarker(element.id, 'vf-finding');
            var icon = document.createElement('span');
            icon.className = 'vf-finding-icon';
            icon.setAttribute('aria-hidden', 'true');  // the list is the text
            icon.textContent = '!';
            modeler.get('overlays').add(element.id, 'vf-finding', { position: { top: -10, left: -10 }, html: icon });
            marked.push(element.id);
          }
        } else {  // a finding outside the diagram (another file, the package): text only
          item.textContent = finding.file + ': ' + finding.element + ': ' + finding.reason;
        }
        list.appendChild(item);
      });
      findingsBox.appendChild(list);
    }

    function check() {
      var number = ++checkNumber;
      window.VardflodeModeler.saveXML(modeler).then(function (xml) {
        return fetch(data.check_url, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', 'X-CSRFToken': token },
          body: JSON.stringify({ xml: xml, based_on: base.value })
        });
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (answer) {
        if (number === checkNumber) { showFindings(answer.findings); }
      }).catch(function () {
        if (number === checkNumber) { findingsBox.textContent = data.check_failed; }
      });
    }

    // One field's check (the properties group debounces typing itself): {problems, preview?, …}.
    function checkText(kind, text) {
      return fetch(data.text_check_url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRFToken': token },
        body: JSON.stringify({ kind: kind, text: text })
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      });
    }

    function checkSoon() {
      window.clearTimeout(checkTimer);
      checkTimer = window.setTimeout(check, CHECK_DELAY);
    }

    button.disabled = true;  // nothing to save until the diagram is drawn
    status.textContent = data.loading;
    var properties = Object.assign({ checkText: checkText }, data.properties);
    window.VardflodeModeler.open(document.getElementById('modeler-canvas'),
      document.getElementById('modeler-properties'), data.xml, data.language, properties)
      .then(function (opened) {
        modeler = opened.modeler;
        // Kept on the element so tests can reach the running modeler.
        document.getElementById('modeler-canvas').vardflodeModeler = modeler;
        status.textContent = opened.warnings.length ? data.warnings + ' ' + opened.warnings.length : '';
        button.disabled = false;
        form.dataset.ready = 'true';
        modeler.on('commandStack.changed', checkSoon);
        check();
      })
      .catch(function (error) {
        status.textContent = data.failed + ' ' + (error && error.message ? error.message : '');
      });

    form.addEventListener('submit', function (event) {
      if (!modeler || form.dataset.sending) { return; }  // then the field keeps what the server put in
      event.preventDefault();
      status.textContent = data.saving;
      window.VardflodeModeler.settle(modeler).then(function () {
        return window.VardflodeModeler.saveXML(modeler);
      }).then(function (xml) {
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
