// Fail the build if the bundle would break under the app's CSP (script-src/style-src 'self', no
// 'unsafe-inline' or 'unsafe-eval'): markup built from HTML strings with style="…", <style>
// elements written as HTML, or eval / new Function. Setting styles from script (element.style,
// as preact does) and CodeMirror's constructed style sheets are not affected by the CSP.
import { readFileSync } from 'node:fs';

const file = process.argv[2];
const code = readFileSync(file, 'utf8');
const found = [
  [/style=\\?["'][^"'\\]/, 'an inline style="…" attribute in HTML text'],
  [/<style[\s>]/, 'a <style> element written as HTML'],
  [/\beval\(/, 'eval('],
  [/new Function\(/, 'new Function('],
].filter(([pattern]) => pattern.test(code)).map(([, what]) => what);
if (found.length) {
  throw new Error(`csp-check: ${file} has ${found.join(', ')}`);
}
console.log('csp-check: no inline style attributes, <style> markup, eval or new Function');
