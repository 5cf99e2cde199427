#!/usr/bin/env bash
# Installs each emulator package under test/emulators/ from its own lockfile.
set -euo pipefail
cd "$(dirname "$0")/../.."
for manifest in test/emulators/*/package.json; do
  [ -e "$manifest" ] || continue
  dir=$(dirname "$manifest")
  echo "== npm ci in $dir"
  npm ci --prefix "$dir" --ignore-scripts --no-audit --no-fund
done
