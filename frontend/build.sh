#!/bin/sh
# Rebuild the modeler bundle committed in web/static/vendor/modeler/ (see its README section):
# exact dependencies from package-lock.json, one minified ES2019 IIFE, no source map, and the
# upstream CSS and font files copied unchanged; csp-patch.js rewrites the bundle's few inline
# style attributes so it runs under the app's CSP (modeler.css puts those rules
# back). Needs node 20 + npm and the npm registry.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT="$HERE/../web/static/vendor/modeler"
cd "$HERE"
npm ci --no-audit --no-fund
rm -rf "$OUT"
mkdir -p "$OUT/bpmn-font/css" "$OUT/bpmn-font/font"
# --legal-comments=eof keeps the libraries' licence comments at the end of the bundle.
# JSX (vardflode/*.jsx) compiles against the properties panel's own preact.
npx esbuild modeler.js --bundle --minify --format=iife --global-name=VardflodeModeler \
  --jsx=automatic --jsx-import-source=@bpmn-io/properties-panel/preact \
  --target=es2019 --platform=browser --legal-comments=eof --charset=utf8 \
  --metafile=node_modules/.modeler-meta.json --outfile="$OUT/modeler.js"
node csp-patch.js "$OUT/modeler.js"
cp modeler.css "$OUT/"
A=node_modules/bpmn-js/dist/assets
cp "$A/diagram-js.css" "$A/bpmn-js.css" "$OUT/"
cp "$A/bpmn-font/css/bpmn.css" "$OUT/bpmn-font/css/"
# bpmn.css lists eot, woff2, woff, ttf and svg; every browser we support takes woff2 (woff as
# fallback), so the other three (230 KB) are not shipped.
cp "$A/bpmn-font/font/bpmn.woff2" "$A/bpmn-font/font/bpmn.woff" "$OUT/bpmn-font/font/"
cp node_modules/@bpmn-io/properties-panel/dist/assets/properties-panel.css "$OUT/"
cp node_modules/bpmn-js/LICENSE "$OUT/LICENSE-bpmn-js"
node licenses.js node_modules/.modeler-meta.json "$OUT/THIRD-PARTY-LICENSES.txt"
cd "$OUT" && find . -type f ! -name '*.md' | sort | xargs sha256sum
