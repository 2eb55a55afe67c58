/* Program progress on the BPMN diagram (bpmn-js navigated viewer, vendored in static/vendor/bpmn-js).
 *
 * Every `.bpmn-progress` container names, in data-progress, the id of a <script type="application/json">
 * holding {xml, done, current, next, labels}. The container is rendered `hidden`: it is shown only while
 * the diagram draws and stays hidden if anything fails, so the page keeps its server-rendered text list
 * and never shows an empty or half-drawn box. Errors go to the console only; the data is a program's
 * structure plus step ids, never answers, and is not logged anyway.
 *
 * Plain ES2018, no build step, no inline styles or innerHTML: the page runs under a strict CSP. */
(function () {
  'use strict';

  var STATES = ['done', 'current', 'next'];
  // px above and below the diagram: room for a badge on the top row and for the bpmn.io watermark,
  // which sits in the bottom-right corner and must stay fully visible (licence).
  var FIT_PADDING = 44;
  var MIN_HEIGHT = 192;  // px
  // On a narrow screen (a phone, or 400 % zoom) a wide diagram fitted whole would draw its 12 px
  // labels at 2-4 px: there it zooms no further out than MIN_ZOOM and is panned by dragging, which
  // WCAG 1.4.10 allows for diagrams. Wider boxes keep the whole diagram as an overview. The page
  // lists the same steps as text beside it.
  var MIN_ZOOM = 0.6;
  var NARROW = 600;  // px of container width

  function readProgress(container) {
    var source = document.getElementById(container.getAttribute('data-progress') || '');
    if (!source) {
      throw new Error('progress data block not found');
    }
    return JSON.parse(source.textContent);
  }

  function idsOf(progress, state) {
    return Array.isArray(progress[state]) ? progress[state] : [];
  }

  // Built with the DOM, not an HTML string: the label is text from the server and stays text.
  function badge(state, text) {
    var element = document.createElement('span');
    element.className = 'progress-badge progress-badge--' + state;
    element.textContent = text;
    return element;
  }

  // Ids the diagram does not know (an old version of the program, a typo) are skipped silently.
  function markProgress(viewer, progress) {
    var canvas = viewer.get('canvas');
    var registry = viewer.get('elementRegistry');
    var overlays = viewer.get('overlays');
    var labels = progress.labels || {};
    STATES.forEach(function (state) {
      idsOf(progress, state).forEach(function (id) {
        var element = registry.get(id);
        if (!element) {
          return;
        }
        canvas.addMarker(id, state);
        // Colour alone must not carry the meaning (WCAG 1.4.1): the current step gets a text badge,
        // done steps a heavier outline, next steps a dashed one (progress.css), and the page lists
        // the steps as text. Badges on every done step would bury a zoomed-out diagram.
        if (state === 'current' && labels.current && !element.waypoints && !element.labelTarget) {
          // scale.min 1: the badge text never shrinks below its CSS size when a wide diagram is zoomed out.
          // Centred just above the shape: progress.css shifts it back by half its width and its full height.
          overlays.add(id, 'progress-badge', {position: {top: -4, left: element.width / 2}, scale: {min: 1},
            html: badge(state, labels.current)});
        }
      });
    });
  }

  // The CSS height is the most a diagram gets; a wide, flat one (lanes) shrinks the box to its own
  // proportions so the page has no large empty area. Set through the CSSOM, which the CSP allows.
  function fitHeight(container, canvas) {
    var diagram = canvas.viewbox().inner;
    if (!diagram.width || !diagram.height) {
      return;
    }
    if (container.clientWidth < NARROW && container.clientWidth / diagram.width < MIN_ZOOM) {
      return;  // zoomed to MIN_ZOOM and panned: the box keeps its full CSS height
    }
    var wanted = Math.ceil(container.clientWidth * diagram.height / diagram.width) + 2 * FIT_PADDING;
    if (wanted < container.clientHeight) {
      container.style.height = Math.max(wanted, MIN_HEIGHT) + 'px';
      canvas.resized();
    }
  }

  // The whole diagram when it fits readably or the box is wide; else MIN_ZOOM around the first current step.
  function readableZoom(viewer, progress, container) {
    var canvas = viewer.get('canvas');
    if (canvas.zoom('fit-viewport', 'auto') >= MIN_ZOOM || container.clientWidth >= NARROW) {
      return;
    }
    var current = idsOf(progress, 'current').map(function (id) {
      return viewer.get('elementRegistry').get(id);
    }).filter(function (element) { return element && !element.waypoints; })[0];
    var centre = current ? {x: current.x + current.width / 2, y: current.y + current.height / 2} : undefined;
    canvas.zoom(MIN_ZOOM);
    if (centre) {
      var box = canvas.viewbox();
      canvas.viewbox({x: centre.x - box.width / 2, y: centre.y - box.height / 2, width: box.width, height: box.height});
    }
  }

  function showProgress(container) {
    var progress;
    try {
      progress = readProgress(container);
    } catch (error) {
      console.error('Program diagram: unreadable progress data', error);
      return Promise.resolve();
    }
    var viewer = null;
    return Promise.resolve().then(function () {
      // Shown before the import so that bpmn-js can measure the container for fit-viewport.
      container.hidden = false;
      viewer = new window.BpmnJS({container: container});
      return viewer.importXML(progress.xml);
    }).then(function () {
      markProgress(viewer, progress);
      fitHeight(container, viewer.get('canvas'));
      readableZoom(viewer, progress, container);
      container.classList.add('bpmn-progress--ready');
    }).catch(function (error) {
      console.error('Program diagram could not be drawn', error);
      if (viewer) {
        viewer.destroy();
      }
      container.hidden = true;
    });
  }

  function showAll() {
    if (typeof window.BpmnJS !== 'function') {
      console.error('Program diagram: bpmn-js is not loaded');
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll('.bpmn-progress'), showProgress);
  }

  // The page may load this file twice (web/templates/clinic/_diagram.html); draw only once.
  if (window.vardflodeProgressLoaded) {
    return;
  }
  window.vardflodeProgressLoaded = true;
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', showAll);
  } else {
    showAll();
  }
}());
