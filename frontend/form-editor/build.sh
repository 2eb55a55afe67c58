#!/bin/sh
# Rebuild the form editor bundle committed in web/static/vendor/form-editor/ (see its README.md):
# exact dependencies from package-lock.json, one minified ES2019 IIFE (bundle.js, with patch.js
# rewriting form-js-editor for our palette and Swedish), no source map, the upstream CSS copied
# unchanged, every bundled package's licence, and the sha256 of each output. Needs node 20 + npm and
# the npm registry. The modeler bundle (../build.sh) is separate.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT="$HERE/../../web/static/vendor/form-editor"
cd "$HERE"
# @ibm/telemetry-js (a dependency of form-js) phones home from its install script unless told not to.
export IBM_TELEMETRY_DISABLED=true
npm ci --no-audit --no-fund
find "$OUT" -type f ! -name README.md -delete 2>/dev/null || true
mkdir -p "$OUT"
node bundle.js "$OUT/form-editor.js" node_modules/.form-editor-meta.json
node csp-check.js "$OUT/form-editor.js"
A=node_modules/@bpmn-io/form-js-editor/dist/assets
cp "$A/form-js-editor.css" "$A/properties-panel.css" "$A/draggle.css" "$OUT/"
cp node_modules/@bpmn-io/form-js-viewer/dist/assets/form-js.css "$OUT/"
cp form-editor.css "$OUT/"
cp node_modules/@bpmn-io/form-js-editor/LICENSE "$OUT/LICENSE-form-js"
node licenses.js node_modules/.form-editor-meta.json "$OUT/THIRD-PARTY-LICENSES.txt"
cd "$OUT" && find . -type f ! -name '*.md' | sort | xargs sha256sum
