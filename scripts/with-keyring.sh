#!/usr/bin/env bash
# Runs a command with gnome-keyring's secret service started and unlocked in the current
# D-Bus session (use inside dbus-run-session). Tests read FLOWBOT_TEST_KEYRING=unlocked.
set -euo pipefail
eval "$(printf 'flowbot-test' | gnome-keyring-daemon --unlock --components=secrets | sed 's/^/export /')"
export FLOWBOT_TEST_KEYRING=unlocked
exec "$@"
