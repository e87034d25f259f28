# Sourced (not run) by scripts/test.sh, scripts/start.sh, scripts/setup-system.sh and .ci/run: puts a
# Node.js that CertAudit supports first on PATH for the rest of the script and everything it starts.
#   - This machine's own node, when it is 22.15 or newer (Electron 45's package and electron-builder need
#     22.12, the offline electronegativity run module.registerHooks, 22.15; the engine and the CLI run on
#     any Node.js 22 or 24).
#   - Otherwise Node.js 24 LTS from the npm registry, installed once into .tools/ (git-ignored):
#     `npm install --prefix .tools node@24` brings the real binary, .tools/node_modules/.bin/node (npm warns
#     that the package has an install script it did not run; the binary works without it).
#   - CERTAUDIT_NODE=22 (or 24 …) always uses that major, installed the same way into .tools/node22/: to
#     run the suite on another supported Node.js.
certaudit_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# True when `node` on PATH is new enough (and, with CERTAUDIT_NODE, of that major).
certaudit_node_fits() {
  node -e '
    const [major, minor] = process.versions.node.split(".").map(Number)
    const wanted = Number(process.argv[1] || 0)
    process.exit(wanted ? (major === wanted ? 0 : 1) : major > 22 || (major === 22 && minor >= 15) ? 0 : 1)
  ' "${CERTAUDIT_NODE:-}" >/dev/null 2>&1
}

certaudit_use_node() {
  local major="${CERTAUDIT_NODE:-24}"
  local tools="$certaudit_root/.tools"
  [ -n "${CERTAUDIT_NODE:-}" ] && tools="$certaudit_root/.tools/node$CERTAUDIT_NODE"
  certaudit_node_fits && return 0
  if [ ! -x "$tools/node_modules/.bin/node" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "CertAudit needs Node.js 22.15 or newer, and npm to install it (https://nodejs.org/)." >&2
      return 1
    fi
    echo "Node.js $(node --version 2>/dev/null || echo '(none)') is not one CertAudit supports here: installing Node.js $major from the npm registry into ${tools#"$certaudit_root"/} ..." >&2
    npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error "node@$major" >&2 || return 1
  fi
  export PATH="$tools/node_modules/.bin:$PATH"
  hash -r
  if ! certaudit_node_fits; then
    echo "Could not put Node.js $major first on PATH (found $(node --version 2>/dev/null || echo none))." >&2
    return 1
  fi
}

certaudit_use_node
