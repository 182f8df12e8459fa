#!/usr/bin/env bash
# `npm test`: type-check, build the desktop app, run every test (unit, integration, CLI).
# The tests use real parts only: SQLite, the OS keychain (gnome-keyring in a private D-Bus
# session started here), real MCP servers, and scripted LLM/OAuth servers on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests need: D-Bus and gnome-keyring for the keychain tests, Chromium
# for the UI tests (Playwright drives /usr/bin/chromium; it never downloads a browser),
# PostgreSQL for the scale-out tests.
# bubblewrap, socat and ripgrep for the MCP servers' OS sandbox (@anthropic-ai/sandbox-runtime).
need=()
[[ -x /usr/bin/chromium ]] || need+=(chromium)
command -v dbus-run-session >/dev/null || need+=(dbus)
command -v gnome-keyring-daemon >/dev/null || need+=(gnome-keyring)
# PostgreSQL for the scale-out tests: each starts a throwaway cluster (initdb + pg_ctl), no service.
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
command -v bwrap >/dev/null || need+=(bubblewrap)
command -v socat >/dev/null || need+=(socat)
command -v rg >/dev/null || need+=(ripgrep)
if ((${#need[@]})); then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
  else
    echo "The tests need these Debian packages: ${need[*]}. Install them with: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi
for module in better-sqlite3 keytar; do
  if ! node -e "require('$module')" 2>/dev/null; then
    echo "$module is not built. Run: npm install (it needs python3, make, g++ and libsecret-1-dev)" >&2
    exit 1
  fi
done

# Node 22 for test/integration/node22-runtime.test.ts (the app's code under another Node than
# the one that ran npm install): downloaded from the npm registry once, into .cache/node22.
echo "== Node 22 (the other-runtime test)"
bash scripts/node22.sh >/dev/null

echo "== type check"
npx tsc --noEmit -p tsconfig.json
echo "== desktop build"
npx electron-vite build --logLevel warn
echo "== tests (inside a private D-Bus session with an unlocked gnome-keyring)"
exec dbus-run-session -- bash scripts/with-keyring.sh npx vitest run "$@"
