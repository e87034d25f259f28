#!/usr/bin/env bash
# The one command that sets up and starts CertAudit on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/use-node.sh
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm start
