// The publisher's review (templates/design/_review.html): each `.bpmn-review` container names, in
// data-review, the id of a JSON block {xml, side, added, removed, changed, marks}. The diagram is
// drawn with the vendored navigated viewer (window.BpmnJS), as static/design_coverage.js does, and
// each element gets the marker vf-added, vf-removed or vf-changed (design_review.css: a solid, a
// dashed or a dotted outline) and, on shapes, a badge with +, − or ~, so colour is never the only
// sign. The container stays hidden if anything fails; the list of changed elements under the pair
// is the text alternative. A static file, because the CSP allows no inline script.
(function () {
  'use strict';

  // A diagram that fits only below this zoom is shown at it instead, centred on its first marked
  // element, so both sides open on the same change with readable labels; the rest is a drag away.
  var MIN_ZOOM = 0.6;

  // The element to open on: the first change, in the order removed, changed, added.
  function firstMarked(registry, root, data) {
    var ids = [].concat(data.removed || [], data.changed || [], data.added || []);
    for (var i = 0; i < ids.length; i += 1) {
      var element = registry.get(ids[i]);
      if (element && element !== root) { return element; }
    }
    return null;
  }

  function centreOn(canvas, element) {
    var box = canvas.viewbox();
    var x = element.waypoints ? element.waypoints[0].x : element.x + element.width / 2;
    var y = element.waypoints ? element.waypoints[0].y : element.y + element.height / 2;
    canvas.viewbox({ x: x - box.width / 2, y: y - box.height / 2, width: box.width, height: box.height });
  }

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
      if (canvas.zoom('fit-viewport', 'auto') < MIN_ZOOM) {
        var first = firstMarked(viewer.get('elementRegistry'), canvas.getRootElement(), data);
        canvas.zoom(MIN_ZOOM);
        if (first) { centreOn(canvas, first); }
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
