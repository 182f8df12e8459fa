#!/usr/bin/env bash
# Runs a command with gnome-keyring's secret service started and unlocked in the current
# D-Bus session (use inside dbus-run-session). Tests read FLOWBOT_TEST_KEYRING=unlocked.
# The keyring lives in a fresh folder (the daemon's XDG_DATA_HOME only): the tests never read
# or write the user's own login keyring, and an existing keyring with another password
# cannot leave the test keyring locked.
set -euo pipefail
keyring_home=$(mktemp -d "${TMPDIR:-/tmp}/flowbot-test-keyring.XXXXXX")
trap 'rm -rf "$keyring_home"' EXIT
eval "$(printf 'flowbot-test' | XDG_DATA_HOME="$keyring_home" gnome-keyring-daemon --unlock --components=secrets | sed 's/^/export /')"
export FLOWBOT_TEST_KEYRING=unlocked
"$@"
