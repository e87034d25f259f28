#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages CertAudit's tests use, if any is missing:
#   openssl, ca-certificates (update-ca-certificates), libnss3-tools (certutil), p11-kit (trust),
#   chromium (UI tests), a JRE's keytool (Java stores), util-linux (runuser, for permission tests),
#   sqlite3 and protoc (Chromium's ServerCertificate databases and their trust settings), rpm (rpm and
#   rpmbuild: real rpm databases in temp roots, for "which package put it there"; dpkg is Debian's own).
# As root it installs them with apt-get; otherwise it prints the exact command to run and fails.
# First, Node.js: this machine's when it is 22.15 or newer, otherwise Node.js 24 into .tools/ (use-node.sh).
set -euo pipefail
source "$(dirname "$0")/use-node.sh"

declare -A wanted=(
  [openssl]=openssl
  [update-ca-certificates]=ca-certificates
  [certutil]=libnss3-tools
  [trust]=p11-kit
  [chromium]=chromium
  [keytool]=default-jre-headless
  [runuser]=util-linux
  [sqlite3]=sqlite3
  [protoc]=protobuf-compiler
  [rpmbuild]=rpm
)

missing=()
for tool in "${!wanted[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || missing+=("${wanted[$tool]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
if ! command -v apt-get >/dev/null 2>&1; then
  echo "CertAudit's tests need these tools: ${missing[*]} (Debian package names). Install them with your package manager." >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "CertAudit's tests need these Debian packages: ${missing[*]}" >&2
  echo "Install them with:  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "Installing ${missing[*]} ..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
