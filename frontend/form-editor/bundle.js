// esbuild with the form-js-editor patch (patch.js): one minified ES2019 IIFE that sets
// `window.VardflodeFormEditor`, licence comments at the end, and a metafile for licenses.js.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { editorPatch } from './patch.js';

const [outfile, metafile] = process.argv.slice(2);
const result = await build({
  entryPoints: ['editor.js'],
  bundle: true,
  minify: true,
  format: 'iife',
  globalName: 'VardflodeFormEditor',
  target: 'es2019',
  platform: 'browser',
  legalComments: 'eof',
  charset: 'utf8',
  metafile: true,
  plugins: [editorPatch],
  outfile,
});
writeFileSync(metafile, JSON.stringify(result.metafile));
