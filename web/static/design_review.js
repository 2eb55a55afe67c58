// The publisher's review (templates/design/_review.html): each `.bpmn-review` container names, in
// data-review, the id of a JSON block {xml, side, added, removed, changed, marks}. The diagram is
// drawn with the vendored navigated viewer (window.BpmnJS), as static/design_coverage.js does, and
// each element gets the marker vf-added, vf-removed or vf-changed (design_review.css: a solid, a
// dashed or a dotted outline) and, on shapes, a badge with +, − or ~, so colour is never the only
// sign. The container stays hidden if anything fails; the list of changed elements under the pair
// is the text alternative. A static file, because the CSP allows no inline script.
(function () {
  'use strict';

  var MIN_ZOOM = 0.6;  // a narrow screen pans a wide diagram rather than shrinking its labels away
  var NARROW = 600;  // px

  function mark(viewer, data) {
    var canvas = viewer.get('canvas');
    var registry = viewer.get('elementRegistry');
    var overlays = viewer.get('overlays');
    var root = canvas.getRootElement();
    ['added', 'removed', 'changed'].forEach(function (change) {
      (Array.isArray(data[change]) ? data[change] : []).forEach(function (id) {
        var element = registry.get(id);
        if (!element || element === root) { return; }  // a process or collaboration is the canvas itself
        canvas.addMarker(id, 'vf-' + change);
        if (!element.waypoints && element.type !== 'bpmn:Lane' && element.type !== 'bpmn:Participant') {
          var badge = document.createElement('span');
          badge.className = 'review-badge review-badge--' + change;
          badge.setAttribute('aria-hidden', 'true');
          badge.textContent = (data.marks && data.marks[change]) || '';
          overlays.add(id, 'review', { position: { top: -10, right: 10 }, html: badge });
        }
      });
    });
  }

  function draw(container) {
    var source = document.getElementById(container.getAttribute('data-review') || '');
    if (!source || typeof window.BpmnJS !== 'function') { return; }
    var data = JSON.parse(source.textContent);
    container.hidden = false;  // before the import, so that bpmn-js can measure it
    var viewer = new window.BpmnJS({ container: container });
    viewer.importXML(data.xml).then(function () {
      mark(viewer, data);
      var canvas = viewer.get('canvas');
      if (canvas.zoom('fit-viewport', 'auto') < MIN_ZOOM && container.clientWidth < NARROW) {
        canvas.zoom(MIN_ZOOM);
      }
      container.classList.add('bpmn-review--ready');
    }).catch(function (error) {
      console.error('Review diagram could not be drawn', error);
      viewer.destroy();
      container.hidden = true;
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll('.bpmn-review'), draw);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
