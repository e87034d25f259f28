#!/usr/bin/env bash
# The one command that runs every test on a fresh machine: a supported Node.js (scripts/use-node.sh
# installs Node.js 24 into .tools/ when this machine's is older than 22.15), system tools, npm packages,
# then build + typecheck + lint + the whole test suite (`npm test`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/use-node.sh
echo "Testing on Node.js $(node --version) ($(command -v node))"
bash scripts/setup-system.sh
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # Electron's binary is not needed to test (the UI runs in Chromium); since Electron 42 npm does not fetch it.
  npm ci --no-audit --no-fund
fi
npm test
