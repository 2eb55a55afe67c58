// The design pages' BPMN modeler: bpmn-js Modeler + the generic properties panel, in Swedish or
// English. Built by build.sh into web/static/vendor/modeler/modeler.js as one IIFE that sets
// `window.VardflodeModeler`; a page calls it from its own static file because the CSP forbids inline
// scripts. Our own properties group, its checks and the filtered palette are in vardflode/.
import Modeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';
import VardflodeModule, { moddleExtensions } from './vardflode/index.js';
import sv from './i18n/sv.js';

const DICTIONARIES = { sv, en: {} };  // en: the libraries' own strings

// bpmn-js looks up every UI string through the 'translate' service; replacing it is the documented
// way to localise. Unknown strings fall back to English; "{name}" placeholders are filled in.
export function translator(dictionary) {
  return function translate(template, replacements) {
    const text = Object.prototype.hasOwnProperty.call(dictionary, template) ? dictionary[template] : template;
    return text.replace(/{([^}]+)}/g, (match, key) =>
      (replacements && key in replacements ? String(replacements[key]) : match));
  };
}

// Draw `xml` (or a blank diagram when it is empty) in `container`, with the properties panel in
// `propertiesContainer`. Resolves to {modeler, warnings}; warnings are bpmn-js's import warnings.
// `vardflode` is what the design page gives the properties group: {checkText(kind, text) → Promise
// of the server's answer, roles, forms, processes, helpers, supported, platform_messages,
// new_form_url}; without it the group offers no choices and nothing is checked or left out.
export async function open(container, propertiesContainer, xml, language = 'sv', vardflode = {}) {
  const dictionary = DICTIONARIES[language];
  if (!dictionary) {
    throw new Error(`unknown modeler language: ${language}`);
  }
  const modeler = new Modeler({
    container,
    propertiesPanel: { parent: propertiesContainer },
    vardflode,
    moddleExtensions,
    additionalModules: [
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      VardflodeModule,
      { translate: ['value', translator(dictionary)] },
    ],
  });
  const { warnings } = xml ? await modeler.importXML(xml) : await modeler.createDiagram();
  return { modeler, warnings };
}

// Resolves once what was typed last has reached the diagram: pending input flushed, the server's
// answers in (a timer written in words becomes ISO only then). A save waits for it.
export function settle(modeler) {
  return modeler.get('vardflodeChecks').settle();
}

// The diagram as BPMN XML, indented like the shipped programs.
export async function saveXML(modeler) {
  const { xml } = await modeler.saveXML({ format: true });
  return xml;
}

export const languages = Object.keys(DICTIONARIES);
