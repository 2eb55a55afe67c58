// Make the built bundle work under the app's CSP (style-src 'self', no 'unsafe-inline'): markup that
// the libraries insert as HTML strings may not carry style="…" attributes, or the browser blocks
// them and reports a violation. Rather than relax the CSP we rewrite the few that exist, and fail the
// build if the upstream code changed so that a rewrite no longer matches or a new one appears.
//  - the properties panel's two containers: the attribute is dropped, modeler.css restores the rule;
//  - bpmn-js's align/distribute menu icons (inline SVG): style → SVG presentation attributes.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
let code = readFileSync(file, 'utf8');

function replaceOnce(from, to) {
  const count = code.split(from).length - 1;
  if (count !== 1) {
    throw new Error(`csp-patch: expected "${from}" once in ${file}, found it ${count} times`);
  }
  code = code.replace(from, to);
}

replaceOnce('<div style="height: 100%" tabindex="-1" class="bio-properties-panel-container">',
  '<div tabindex="-1" class="bio-properties-panel-container">');
replaceOnce('<div style="flex: none; height: auto" class="bio-properties-panel bio-theme-parent bio-properties-panel-header-container">',
  '<div class="bio-properties-panel bio-theme-parent bio-properties-panel-header-container">');

// style="fill:none;stroke:currentColor;stroke-width:100;" → fill="none" stroke="currentColor" stroke-width="100"
const SVG_PROPERTIES = new Set(['fill', 'stroke', 'stroke-width', 'stroke-linejoin', 'stroke-linecap', 'opacity']);
let icons = 0;
code = code.replace(/style="([^"<>]*)"/g, (match, declarations) => {
  const attributes = declarations.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, value] = d.split(':').map((s) => s.trim());
    if (!SVG_PROPERTIES.has(name) || !/^[\w.#-]+$/.test(value)) {
      throw new Error(`csp-patch: unexpected inline style "${declarations}" in ${file}`);
    }
    return `${name}="${value}"`;
  });
  icons += 1;
  return attributes.join(' ');
});
if (icons === 0 || /style=\\?["']/.test(code)) {
  throw new Error(`csp-patch: ${icons} icon styles rewritten; check ${file} for other style attributes`);
}
writeFileSync(file, code);
console.log(`csp-patch: 2 panel containers, ${icons} icon styles rewritten`);
