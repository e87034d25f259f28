#!/usr/bin/env bash
# The one command that runs every test on a fresh machine: system tools, npm packages, then
# typecheck + lint + the whole test suite (`npm test`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # Electron's binary is not needed to test (the UI runs in Chromium); users get it with a normal install.
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci
fi
npm test
