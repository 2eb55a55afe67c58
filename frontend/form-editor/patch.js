// An esbuild plugin that rewrites @bpmn-io/form-js-editor's one ESM file while bundling, so the
// editor speaks Swedish and offers only the components forms/render.py renders. form-js-editor
// 1.23 has no i18n and no palette filter, so there is no supported way; like csp-patch.js in the
// modeler's build, each rewrite must match (the build fails if upstream code changed) rather than
// silently doing nothing.
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';

const RUNTIME = fileURLToPath(new URL('./runtime.js', import.meta.url));

function replaceOnce(code, from, to) {
  const count = code.split(from).length - 1;
  if (count !== 1) {
    throw new Error(`patch: expected ${JSON.stringify(from)} once in form-js-editor, found it ${count} times`);
  }
  return code.replace(from, to);
}

export function patchEditor(code) {
  // Palette: only our types; the entry and group names in the page's language.
  code = replaceOnce(code, `.filter(({
    type
  }) => type !== 'default');`, `.filter(({
    type
  }) => type !== 'default' && vfAllowed(type));`);
  code = replaceOnce(code, 'label: fieldConfig.name || fieldConfig.label,', 'label: vfT(fieldConfig.name || fieldConfig.label),');
  code = replaceOnce(code, `class: "fjs-palette-group-title",
          children: label`, `class: "fjs-palette-group-title",
          children: vfT(label)`);
  code = replaceOnce(code, 'title: `Create ${getIndefiniteArticle(type)} ${label} element`,',
    "title: vfT('Create {label}', { label }),");
  code = code.replace(/return '(Group label|Table label|Field label)';/g, "return vfT('$1');");
  // Literal labels, titles and descriptions of the properties panel, and the palette's own texts.
  let count = 0;
  code = code.replace(/\b(label|title|description|placeholder|children): (['"])([A-Za-z<][^'"\\\n]*)\2/g,
    (match, key, quote, text) => { count += 1; return `${key}: vfT(${JSON.stringify(text)})`; });
  if (count < 100) {
    throw new Error(`patch: only ${count} strings routed through vfT; check the form-js-editor source`);
  }
  // form-js-editor carries its own copy of the properties panel's entries, rendered with its own
  // preact; an entry of ours must use those (the @bpmn-io/properties-panel package has a second preact,
  // whose hooks fail inside this panel). They are not exported, so the build exports them; a renamed
  // function fails the build.
  code += '\nexport { TextfieldEntry as vfTextFieldEntry, TextAreaEntry as vfTextAreaEntry, ' +
    'isEdited as vfIsTextFieldEdited, isEdited$1 as vfIsTextAreaEdited };\n';
  return `import { vfT, vfAllowed } from ${JSON.stringify(RUNTIME)};\n${code}`;
}

// CodeMirror (the properties panel's FEEL and template fields) styles itself through style-mod, which
// writes a <style> element into a document and uses a constructed style sheet only in a shadow root.
// The CSP blocks the element; constructed sheets (document.adoptedStyleSheets, in every browser we
// support) are CSSOM and allowed, so documents get one too.
export function patchStyleMod(code) {
  return replaceOnce(code, 'if (!root.head && root.adoptedStyleSheets && win.CSSStyleSheet) {',
    'if (root.adoptedStyleSheets && win.CSSStyleSheet) {');
}

export const editorPatch = {
  name: 'vardflode-form-editor-patch',
  setup(build) {
    build.onLoad({ filter: /[\\/]style-mod[\\/]src[\\/]style-mod\.js$/ }, async (args) => ({
      contents: patchStyleMod(await readFile(args.path, 'utf8')),
      loader: 'js',
    }));
    build.onLoad({ filter: /@bpmn-io[\\/]form-js-editor[\\/]dist[\\/]index\.es\.js$/ }, async (args) => ({
      contents: patchEditor(await readFile(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};
