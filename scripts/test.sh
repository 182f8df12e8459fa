#!/usr/bin/env bash
# `npm test`: type-check, build the desktop app, run every test (unit, integration, CLI).
# The tests use real parts only: SQLite (better-sqlite3, built by npm install), real MCP
# servers started with this Node, and a scripted Ollama server on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! node -e "require('better-sqlite3')" 2>/dev/null; then
  echo "better-sqlite3 is not built. Run: npm install (it needs python3, make and g++: apt-get install -y python3 make g++)" >&2
  exit 1
fi

echo "== type check"
npx tsc --noEmit -p tsconfig.json
echo "== desktop build"
npx electron-vite build --logLevel warn
echo "== tests"
npx vitest run
