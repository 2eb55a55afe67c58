// Vårdflöde's part of the modeler (docs/DESIGN_TOOL.md, "Properties"): the spiffworkflow moddle
// package for the extension elements the engine reads, our properties group, the server checks
// behind its fields, and a palette and replace menu without the constructs the engine refuses.
// The page gives what the group offers in the modeler's `vardflode` config (modeler.js).
import Checks, { TrackedDebounce } from './checks';
import RefusedConstructs from './refused';
import VardflodePropertiesProvider from './provider';
import spiffworkflow from './spiffworkflow.json';

export const moddleExtensions = { spiffworkflow };

// After BpmnPropertiesPanelModule: its `debounceInput` is replaced by one a save can flush.
export default {
  __init__: ['vardflodePropertiesProvider', 'vardflodeRefusedConstructs'],
  vardflodeChecks: ['type', Checks],
  debounceInput: ['factory', TrackedDebounce],
  vardflodePropertiesProvider: ['type', VardflodePropertiesProvider],
  vardflodeRefusedConstructs: ['type', RefusedConstructs],
};
