#!/bin/sh
# Copy the pinned npm assets into static/, where the binary serves them from.
# Run after `npm ci` (see README.md).
set -eu
cd "$(dirname "$0")"

font=node_modules/@fontsource/be-vietnam-pro
mkdir -p static/js static/fonts

cp node_modules/htmx.org/dist/htmx.min.js static/js/htmx.min.js

for subset in vietnamese latin; do
  for weight in 400 600; do
    cp "$font/files/be-vietnam-pro-$subset-$weight-normal.woff2" static/fonts/
  done
done
cp "$font/LICENSE" static/fonts/LICENSE

echo "vendored htmx.org $(node -p "require('htmx.org/package.json').version") and @fontsource/be-vietnam-pro $(node -p "require('@fontsource/be-vietnam-pro/package.json').version")"
