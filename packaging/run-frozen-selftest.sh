#!/bin/sh
# Run a frozen gpudesk's --self-test the way `make dist` and CI need it.
#   packaging/run-frozen-selftest.sh dist/gpudesk/gpudesk
# On Linux with dbus-run-session and gnome-keyring-daemon (Debian: dbus, gnome-keyring), the
# test runs inside a private D-Bus session with a throw-away, unlocked keyring in a temporary
# HOME, so the frozen app must find and use the real Secret Service backend. Without them
# (a bare CI box) a missing keyring is accepted with a warning
# (GPUDESK_SELFTEST_ALLOW_NO_KEYRING=1); a keyring backend missing from the bundle still fails.
set -eu
app=${1:?usage: $0 PATH/TO/gpudesk}
if [ "$(uname -s)" = Linux ] && command -v dbus-run-session >/dev/null 2>&1 \
    && command -v gnome-keyring-daemon >/dev/null 2>&1; then
  home=$(mktemp -d)
  trap 'rm -rf "$home"' EXIT INT TERM
  # dbus-daemon's "Failed to set fd limit" notice (not root-only) is noise: drop it.
  HOME=$home XDG_DATA_HOME=$home/share DBUS_SESSION_BUS_ADDRESS= \
    dbus-run-session -- sh -c \
      'printf unlock | gnome-keyring-daemon --unlock --components=secrets >/dev/null &&
       exec "$0" --self-test' "$app" 2> "$home/stderr" || status=$?
  grep -v 'Failed to set fd limit' "$home/stderr" >&2 || true
  exit "${status:-0}"
fi
echo "run-frozen-selftest: no Secret Service here; a missing keyring is a warning" >&2
GPUDESK_SELFTEST_ALLOW_NO_KEYRING=1 exec "$app" --self-test
