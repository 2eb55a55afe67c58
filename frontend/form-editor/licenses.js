// Write the licence of every npm package that ended up in the bundle (from esbuild's metafile) into
// one text file next to it: the minified bundle keeps only a few licence comments, and MIT, ISC and
// Apache-2.0 all ask that the licence text travel with the code.
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';

const [metafile, outfile] = process.argv.slice(2);
const inputs = Object.values(JSON.parse(readFileSync(metafile, 'utf8')).outputs)
  .flatMap((output) => Object.keys(output.inputs));
const names = new Set();
for (const input of inputs) {
  const parts = input.split('node_modules/').pop().split('/');
  if (input.includes('node_modules/')) names.add(parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]);
}
const sections = [...names].sort().map((name) => {
  const dir = `node_modules/${name}`;
  const pkg = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  const text = file ? readFileSync(`${dir}/${file}`, 'utf8').trim()
    : `(the package ships no licence file; its package.json says "${pkg.license}", author ${JSON.stringify(pkg.author || '')})`;
  return `${name}@${pkg.version} (${pkg.license})\n${'='.repeat(72)}\n${text}\n`;
});
writeFileSync(outfile, `Licences of the npm packages bundled in form-editor.js (${sections.length}).\n\n${sections.join('\n')}`);
console.log(`licenses: ${sections.length} packages`);
