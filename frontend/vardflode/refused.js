// The palette, the replace menu and the context pad offer only what the engine runs: an entry
// whose element (or event definition) is not among the engine's supported elements (engine/rules.py,
// given by the page as `supported`) is left out, so a designer never draws a complex gateway, a
// transaction, a service task or a compensation event only to have validation refuse it. What the
// engine refuses only in some configurations (an unbounded timer cycle, a signal nobody throws) stays:
// validation explains those.
import * as ReplaceOptions from 'bpmn-js/lib/features/replace/ReplaceOptions';

const LOW_PRIORITY = 100;  // after bpmn-js's own providers, so their entries are there to filter

// Palette and context pad entries by id → the element they make (local BPMN name).
const MAKES = {
  'create.start-event': ['startEvent'],
  'create.intermediate-event': ['intermediateThrowEvent'],
  'create.end-event': ['endEvent'],
  'create.exclusive-gateway': ['exclusiveGateway'],
  'create.task': ['task'],
  'create.data-object': ['dataObjectReference'],
  'create.data-store': ['dataStoreReference'],
  'create.subprocess-expanded': ['subProcess'],
  'create.participant-expanded': ['participant'],
  'create.group': ['group'],
  'append.compensation-activity': ['compensateEventDefinition'],
  'toggle-parallel-mi': ['multiInstanceLoopCharacteristics'],
  'toggle-sequential-mi': ['multiInstanceLoopCharacteristics'],
  'toggle-loop': ['standardLoopCharacteristics'],
  'toggle-participant-multiplicity': ['participantMultiplicity'],
};

function localName(type) {
  const name = type.split(':').pop();
  return name.charAt(0).toLowerCase() + name.slice(1);
}

// Replace entries by action name → the element and event definition they turn an element into.
function replaceTargets() {
  const targets = {};
  Object.values(ReplaceOptions).filter(Array.isArray).forEach((options) => options.forEach((option) => {
    const { type, eventDefinitionType } = option.target || {};
    if (type) {
      targets[option.actionName] = [localName(type)].concat(eventDefinitionType ? [localName(eventDefinitionType)] : []);
    }
  }));
  return targets;
}

export default function RefusedConstructs(config, palette, popupMenu, contextPad) {
  const supported = config && config.supported ? new Set(config.supported) : null;
  if (!supported) {
    return;  // no list from the page: offer everything (the bundle's own tests, a blank demo)
  }
  const targets = { ...replaceTargets(), ...MAKES };
  const refused = (id) => (targets[id] || []).some((name) => !supported.has(name));
  const keep = (entries) => Object.fromEntries(Object.entries(entries).filter(([id]) => !refused(id)));

  palette.registerProvider(LOW_PRIORITY, { getPaletteEntries: () => keep });
  contextPad.registerProvider(LOW_PRIORITY, { getContextPadEntries: () => keep });
  popupMenu.registerProvider('bpmn-replace', LOW_PRIORITY, {
    getPopupMenuEntries: () => keep,
    getPopupMenuHeaderEntries: () => keep,
  });
}

RefusedConstructs.$inject = ['config.vardflode', 'palette', 'popupMenu', 'contextPad'];
