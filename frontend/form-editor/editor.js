// The design pages' form editor: @bpmn-io/form-js-editor with its palette limited to the components
// forms/render.py renders, Swedish or English texts (patch.js + i18n/sv.js), and the instrument
// library's blocks locked. Built by build.sh into web/static/vendor/form-editor/form-editor.js as one
// IIFE that sets `window.VardflodeFormEditor`; a page calls it from its own static file because the
// CSP forbids inline scripts.
//
// Our properties provider adds an "English" group (the custom properties label_en, description_en and
// text_en that forms/definition.py reads) and hides the groups for settings the server ignores.
//
// A locked block is a group whose properties say `instrument: <id>`; its questions are the library's.
// form-js cannot make fields read-only in the editor, so (1) the properties panel shows a note instead
// of inputs for the block and everything in it, and (2) any change to a block's content is undone at
// once. The server checks the same on save (design/form_schema.py), which is the real guarantee.
import {
  createFormEditor, usePropertiesPanelService, vfIsTextAreaEdited, vfIsTextFieldEdited, vfTextAreaEntry, vfTextFieldEntry,
} from '@bpmn-io/form-js-editor';  // the vf* exports are added by patch.js
import { h } from 'preact';
import { configure, vfT } from './runtime.js';
import sv from './i18n/sv.js';

const DICTIONARIES = { sv, en: {} };  // en: form-js's own strings
// What forms/definition.py accepts (INPUT_TYPES | STATIC_TYPES); anything else it refuses.
export const SUPPORTED_TYPES = ['textfield', 'textarea', 'number', 'checkbox', 'checklist', 'radio', 'select',
  'datetime', 'text', 'group'];
// Properties groups for settings the server ignores or refuses (FEEL conditions, layout columns,
// adorners, read-only, serialisation): hidden so nobody sets a rule that is not enforced.
const HIDDEN_GROUPS = new Set(['condition', 'layout', 'appearance', 'serialization', 'constraints', 'valuesSource',
  'dynamicOptions', 'optionsExpression',
  'securityAttributes']);

function instrumentOf(field) {
  return field && field.type === 'group' && field.properties && field.properties.instrument;
}

// The instrument block a field is (or is inside), or null.
function lockingBlock(field, registry) {
  for (let current = field; current; current = current._parent ? registry.get(current._parent) : null) {
    if (instrumentOf(current)) { return current; }
  }
  return null;
}

const INPUT_TYPES = SUPPORTED_TYPES.filter((type) => type !== 'text' && type !== 'group');

// One text of the English group: a custom property forms/definition.py reads (label_en, …); an
// emptied field removes the property, so the file holds no empty English texts.
function englishEntry(field, editField, key, label, area) {
  const Entry = area ? vfTextAreaEntry : vfTextFieldEntry;
  function EnglishText(props) {
    const debounce = usePropertiesPanelService('debounce');
    return Entry({
      debounce, element: field, id: props.id, label: vfT(label),
      getValue: () => (field.properties || {})[key] || '',
      setValue: (value) => {
        const properties = { ...(field.properties || {}) };
        if (value) { properties[key] = value; } else { delete properties[key]; }
        editField(field, ['properties'], properties);
      },
    });
  }
  return { id: `vf-${key}`, component: EnglishText, isEdited: area ? vfIsTextAreaEdited : vfIsTextFieldEdited };
}

// The English texts a resident reading in English gets (Swedish is the component's own text).
function englishGroup(field, editField) {
  const entries = [];
  if (INPUT_TYPES.includes(field.type) || field.type === 'group') {
    entries.push(englishEntry(field, editField, 'label_en', 'English label', false));
  }
  if (INPUT_TYPES.includes(field.type)) {
    entries.push(englishEntry(field, editField, 'description_en', 'English description', false));
  }
  if (field.type === 'text') {
    entries.push(englishEntry(field, editField, 'text_en', 'English text', true));
  }
  return entries.length ? { id: 'vf-english', label: vfT('English'), entries } : null;
}

class VardflodePropertiesProvider {
  constructor(propertiesPanel, formFieldRegistry) {
    this._registry = formFieldRegistry;
    // getGroups before registerProvider: the panel refuses a provider without it.
    this.getGroups = (field, editField) => (groups) => {
      const block = field && lockingBlock(field, this._registry);
      if (!block) {
        const shown = groups.filter((group) => !HIDDEN_GROUPS.has(group.id));
        const english = field && englishGroup(field, editField);
        return english ? [shown[0], english, ...shown.slice(1)].filter(Boolean) : shown;
      }
      const note = () => h('p', { class: 'vf-locked-note' },
        vfT('Locked instrument {id}: its questions come from the instrument library and cannot be changed here. Remove the whole block to take it out.',
          { id: block.properties.instrument }));
      return [{ id: 'vf-locked', label: vfT('Locked'), shouldOpen: true, entries: [{ id: 'vf-locked-note', component: note }] }];
    };
    propertiesPanel.registerProvider(this, 500);  // after form-js's own provider (1000)
  }
}
VardflodePropertiesProvider.$inject = ['propertiesPanel', 'formFieldRegistry'];

const VardflodePropertiesModule = {
  __init__: ['vfProperties'],
  vfProperties: ['type', VardflodePropertiesProvider],
};

// Components without the editor's bookkeeping (layout rows, ids of rows), for comparing blocks.
function plain(components) {
  return JSON.stringify(components, (key, value) => (key === 'layout' ? undefined : value));
}

function brokenBlocks(schema, library) {
  const broken = [];
  (function walk(components) {
    for (const component of components || []) {
      const id = instrumentOf(component);
      if (id) {
        const original = library[id];
        if (!original || plain(component.components) !== plain(original.components)) { broken.push(id); }
      } else {
        walk(component.components);
      }
    }
  }(schema.components));
  return broken;
}

// Open `schema` (a form-js JSON object) in `container`. `library` maps instrument id → its block
// (as the server sends it); `onLocked(ids)` is told when a change to a locked block was undone.
export async function open(container, schema, language = 'sv', { library = {}, onLocked = () => {} } = {}) {
  const dictionary = DICTIONARIES[language];
  if (!dictionary) {
    throw new Error(`unknown form editor language: ${language}`);
  }
  configure(dictionary, SUPPORTED_TYPES);
  const editor = await createFormEditor({ container, schema, additionalModules: [VardflodePropertiesModule] });
  const commandStack = editor.get('commandStack');
  // A block already changed when the form was opened (by hand, outside the editor) is left to the
  // server's check on save; only a change made here is undone.
  const brokenAtOpen = new Set(brokenBlocks(editor.saveSchema(), library));
  editor.on('commandStack.changed', () => {
    const broken = brokenBlocks(editor.saveSchema(), library).filter((id) => !brokenAtOpen.has(id));
    if (broken.length && commandStack.canUndo()) {
      // Undo after the current command has finished, never inside it.
      window.setTimeout(() => { commandStack.undo(); onLocked(broken); }, 0);
    }
  });
  return editor;
}

export function saveSchema(editor) {
  return editor.saveSchema();
}

// Put an instrument block at the end of the form. form-js adds fields one at a time, without their
// children, so the form is imported again with the block in it (the undo history starts anew).
export async function insertBlock(editor, block) {
  const schema = editor.saveSchema();
  schema.components.push(JSON.parse(JSON.stringify(block)));
  await editor.importSchema(schema);
}

export const languages = Object.keys(DICTIONARIES);
