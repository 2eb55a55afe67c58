// What the patched form-js editor source (patch.js) asks at render time: the page's language and the
// component types our server renderer supports. form-js has no translate service of its own, so
// patch.js routes its palette and properties-panel strings through `vfT`, and its palette through
// `vfAllowed`; open() in editor.js sets both before the editor is created.
let dictionary = {};
let allowed = null;

export function configure(newDictionary, allowedTypes) {
  dictionary = newDictionary || {};
  allowed = allowedTypes ? new Set(allowedTypes) : null;
}

// A string in the page's language; unknown strings stay English. "{name}" placeholders are filled in.
export function vfT(template, replacements) {
  if (typeof template !== 'string') {
    return template;  // form-js passes a field type's missing name (null) through as it is
  }
  const text = Object.prototype.hasOwnProperty.call(dictionary, template) ? dictionary[template] : template;
  return text.replace(/{([^}]+)}/g, (match, key) =>
    (replacements && key in replacements ? String(replacements[key]) : match));
}

export function vfAllowed(type) {
  return !allowed || allowed.has(type);
}
