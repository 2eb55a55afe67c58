// The design tool's coverage page (templates/design/coverage.html): each `.bpmn-coverage`
// container names, in data-coverage, the id of a JSON block {file, xml, taken, never}. The diagram
// is drawn with the vendored navigated viewer (window.BpmnJS) and each element or flow gets the
// marker vf-taken or vf-never (design_coverage.css: a solid outline or a dashed one, not colour
// alone). The container stays hidden if anything fails; the page's never-taken list is the text.
// A static file, because the CSP allows no inline script.
(function () {
  'use strict';

  var MIN_ZOOM = 0.6;  // a narrow screen pans a wide diagram rather than shrinking its labels away
  var NARROW = 600;  // px
  var FIT_PADDING = 44;  // px above and below: room for the bpmn.io watermark, which must stay visible
  var MIN_HEIGHT = 192;  // px

  // A wide, flat diagram shrinks the box to its own proportions (as static/progress.js does), so
  // the page has no large empty area. Set through the CSSOM, which the CSP allows.
  function fitHeight(container, canvas) {
    var diagram = canvas.viewbox().inner;
    if (!diagram.width || !diagram.height) { return; }
    if (container.clientWidth < NARROW && container.clientWidth / diagram.width < MIN_ZOOM) {
      return;  // a narrow box pans the diagram at MIN_ZOOM and keeps its full CSS height
    }
    var wanted = Math.ceil(container.clientWidth * diagram.height / diagram.width) + 2 * FIT_PADDING;
    if (wanted < container.clientHeight) {
      container.style.height = Math.max(wanted, MIN_HEIGHT) + 'px';
      canvas.resized();
    }
  }

  function mark(viewer, data) {
    var canvas = viewer.get('canvas');
    var registry = viewer.get('elementRegistry');
    [['taken', 'vf-taken'], ['never', 'vf-never']].forEach(function (pair) {
      (Array.isArray(data[pair[0]]) ? data[pair[0]] : []).forEach(function (id) {
        if (registry.get(id)) { canvas.addMarker(id, pair[1]); }  // ids of other files: skipped
      });
    });
  }

  function draw(container) {
    var source = document.getElementById(container.getAttribute('data-coverage') || '');
    if (!source || typeof window.BpmnJS !== 'function') { return; }
    var data = JSON.parse(source.textContent);
    container.hidden = false;  // before the import, so that bpmn-js can measure it
    var viewer = new window.BpmnJS({ container: container });
    viewer.importXML(data.xml).then(function () {
      mark(viewer, data);
      var canvas = viewer.get('canvas');
      fitHeight(container, canvas);
      if (canvas.zoom('fit-viewport', 'auto') < MIN_ZOOM && container.clientWidth < NARROW) {
        canvas.zoom(MIN_ZOOM);
      }
      container.classList.add('bpmn-coverage--ready');
    }).catch(function (error) {
      console.error('Coverage diagram could not be drawn', error);
      viewer.destroy();
      container.hidden = true;
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll('.bpmn-coverage'), draw);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
