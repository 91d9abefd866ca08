#!/bin/sh
# Run the installer under Wine on Linux, in a throw-away Wine prefix, and check it:
#   install (files, Start menu, desktop shortcut, HKCU uninstall entry), upgrade in place,
#   refusal to upgrade while gpudesk.exe runs (exit code 2, nothing removed), and the
#   uninstaller (program and entries gone, user data kept, and ~/.ssh/config losing exactly
#   gpudesk's two lines, every other byte kept: CRLF, non-ASCII, lookalike lines), and
#   `uninstall.exe /S /REMOVEDATA` removing the app folders (never a key).
#   packaging/windows/wine-smoke-test.sh dist/gpudesk-VERSION-windows-setup.exe
#     the REAL installer (`make dist-windows`): also the installed gpudesk-cli.exe --self-test
#     and gpudesk.exe --self-test (offscreen; its report in %LOCALAPPDATA%\gpudesk\Logs) must
#     pass and name the Windows Credential Manager keyring, after the install and after the
#     upgrade, which must also remove a stale file from the old _internal folder.
#   [PYTHON=.venv/bin/python] packaging/windows/wine-smoke-test.sh
#     no installer: a 64-bit build of gpudesk.nsi around a tiny stand-in payload (`make dist`).
# Wine is not Windows (no SmartScreen; see packaging/README.md), so the Windows workflow still
# has the last word.
# Needs makensis, wine64 (Debian: nsis, wine64; no i386 needed), Xvfb and a Python with PySide6.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-$here/../../.venv/bin/python}
setup=${1:-}
real=${setup:+yes}  # the real installer: also the installed app's self-tests
[ -z "$setup" ] || setup=$(cd "$(dirname "$setup")" && pwd)/$(basename "$setup")
wine=${WINE:-/usr/lib/wine/wine64}
[ -x "$wine" ] || wine=$(command -v wine64 || command -v wine || true)
if [ -z "$wine" ] || ! command -v makensis >/dev/null 2>&1 || ! command -v Xvfb >/dev/null 2>&1; then
  [ -z "$real" ] || { echo "wine-smoke-test: FAIL: needs wine64, makensis and Xvfb" >&2; exit 1; }
  echo "wine-smoke-test: skipped (needs wine64, makensis and Xvfb)" >&2
  exit 0
fi
work=$(mktemp -d)
xvfb_pid=
cleanup() {
  WINEPREFIX=$work/prefix "$(dirname "$wine")/wineserver" -k >/dev/null 2>&1 || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
fail() { echo "wine-smoke-test: FAIL: $*" >&2; exit 1; }
ok() { echo "ok   $*"; }

if [ -z "$setup" ]; then
payload=$work/payload/gpudesk
for file in gpudesk.exe gpudesk-cli.exe _internal/resources/platforms/autodl.json \
    _internal/resources/gpus.json _internal/resources/images.json \
    _internal/resources/icons/gpudesk.svg _internal/resources/i18n/gpudesk_zh_CN.qm; do
  mkdir -p "$(dirname "$payload/$file")"
  echo stand-in > "$payload/$file"
done
"$python" "$here/../make_icons.py" --out "$work/icons" >/dev/null
setup=$work/gpudesk-0.0.0-setup.exe
makensis -WX -V1 "-XTarget amd64-unicode" -DVERSION=0.0.0 "-DSOURCE_DIR=$payload" \
  "-DICON=$work/icons/gpudesk.ico" "-DOUTFILE=$setup" "$here/gpudesk.nsi"
fi

display=:$((90 + $$ % 100))
Xvfb "$display" >/dev/null 2>&1 &
xvfb_pid=$!
# Wine's own HOME and no winemenubuilder: nothing lands in the real ~/.local or ~/.config.
mkdir -p "$work/home"
export HOME=$work/home XDG_DATA_HOME=$work/home/.local/share XDG_CONFIG_HOME=$work/home/.config
export DISPLAY=$display WINEPREFIX=$work/prefix WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
"$wine" wineboot --init >/dev/null 2>&1
[ -z "$real" ] || WINE=$wine "$here/wine-lane.sh" offscreen-qt
user=$(ls "$WINEPREFIX/drive_c/users" | grep -v -x Public | head -n 1)
home=$WINEPREFIX/drive_c/users/$user
app="$home/AppData/Local/Programs/gpudesk"
key='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\gpudesk'

# Python under Wine cannot start with a regular file as stdout/stderr (make test > log): give
# it a pipe; the program's exit status is kept.
win() {
  { status=0; "$wine" "$@" </dev/null 2>&1 || status=$?; echo "$status" > "$work/status"; } | cat
  return "$(cat "$work/status")"
}
self_test() {
  [ -n "$real" ] || return 0
  out=$(win "$app/gpudesk-cli.exe" --self-test) || fail "gpudesk-cli.exe --self-test: $out"
  echo "$out" | grep -q '^ok   keyring: keyring.backends.Windows.WinVaultKeyring' \
    || fail "self-test did not use the Windows Credential Manager: $out"
  # The windowed gpudesk.exe writes its report to its log folder when it has no console;
  # Wine hands it this script's pipes, so the report may come on stdout instead.
  report="$home/AppData/Local/gpudesk/Logs/selftest.txt"
  rm -f "$report"
  shown=$(win "$app/gpudesk.exe" --self-test) || fail "gpudesk.exe --self-test: $shown"
  [ ! -f "$report" ] || shown="$shown$(cat "$report")"
  echo "$shown" | grep -q '^self-test passed' || fail "gpudesk.exe --self-test: $shown"
  ok "installed gpudesk-cli.exe and gpudesk.exe --self-test pass ($1): $(echo "$out" | tail -n 1)"
}

"$wine" "$setup" /S || fail "silent install exited $?"
for file in gpudesk.exe gpudesk-cli.exe uninstall.exe _internal/resources/gpus.json; do
  [ -f "$app/$file" ] || fail "not installed: $file"
done
ok "installed into %LOCALAPPDATA%\\Programs\\gpudesk"
[ -f "$home/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/gpudesk.lnk" ] || fail "no Start-menu entry"
[ -f "$home/Desktop/gpudesk.lnk" ] || fail "no desktop shortcut"
ok "Start-menu entry and desktop shortcut"
entry=$("$wine" reg query "$key" 2>/dev/null | tr -d '\r')
for value in DisplayName DisplayVersion Publisher DisplayIcon UninstallString EstimatedSize NoModify NoRepair; do
  echo "$entry" | grep -q "^ *$value " || fail "uninstall entry lacks $value"
done
ok "HKCU uninstall entry"
self_test "after install"

echo stale > "$app/_internal/stale-from-old-version.dll"
"$wine" "$setup" /S || fail "upgrade exited $?"
[ ! -e "$app/_internal/stale-from-old-version.dll" ] || fail "upgrade kept an old program file"
ok "upgrade in place"
self_test "after upgrade"

cp "$WINEPREFIX/drive_c/windows/system32/ping.exe" "$app/gpudesk.exe"
"$wine" 'C:\users\'"$user"'\AppData\Local\Programs\gpudesk\gpudesk.exe' -n 60 127.0.0.1 >/dev/null 2>&1 &
running=$!
sleep 3
status=0
"$wine" "$setup" /S || status=$?
kill "$running" 2>/dev/null || true
[ "$status" -eq 2 ] || fail "upgrade while gpudesk.exe runs exited $status, wanted 2 (aborted)"
[ -d "$app/_internal" ] || fail "aborted upgrade removed files"
ok "refuses to upgrade while gpudesk.exe runs"
"$(dirname "$wine")/wineserver" -w >/dev/null 2>&1 || true

appdata="C:/users/$user/AppData/Roaming/gpudesk/ssh_config.d"
mkdir -p "$home/.ssh" "$home/AppData/Roaming/gpudesk"
echo keep > "$home/AppData/Roaming/gpudesk/settings.json"
"$python" - "$home/.ssh/config" "$work/expected" "$appdata" <<'EOF'
import sys

config, expected, folder = sys.argv[1:]
head = b"# my own first line\r\n"
ours = (
    f"# Added by gpudesk: its hosts are in {folder} (remove these 2 lines to undo).\r\n"
    f"Include {folder}/*.conf\r\n"
).encode()
tail = (
    "# \u6211\u7684\u670d\u52a1\u5668\r\nInclude C:/other/gpudesk/ssh_config.d/*.conf\r\n"
    "Host mine\r\n    HostName example.org\r\n\tUser \u5f20\u4e09"
).encode()
open(config, "wb").write(head + ours + tail)
open(expected, "wb").write(head + tail)
EOF
"$wine" "$app/uninstall.exe" /S '_?=C:\users\'"$user"'\AppData\Local\Programs\gpudesk' \
  || fail "uninstall exited $?"
[ ! -e "$app/gpudesk.exe" ] && [ ! -e "$app/_internal" ] || fail "program files left"
[ ! -e "$home/Desktop/gpudesk.lnk" ] || fail "desktop shortcut left"
"$wine" reg query "$key" >/dev/null 2>&1 && fail "uninstall entry left"
ok "uninstalled program, shortcuts and entry"
[ -f "$home/AppData/Roaming/gpudesk/settings.json" ] || fail "user data removed without asking"
ok "user data kept"
cmp -s "$home/.ssh/config" "$work/expected" || fail ".ssh/config: $(od -c "$home/.ssh/config" | head)"
ok ".ssh/config lost exactly gpudesk's two lines"

# Asked to: a silent uninstall with /REMOVEDATA (the "Remove my data" box) removes both app
# folders, and still no key in .ssh.
"$wine" "$setup" /S || fail "install before the data removal exited $?"
mkdir -p "$home/AppData/Local/gpudesk/Logs"
echo keep > "$home/.ssh/gpudesk_ed25519"
echo log > "$home/AppData/Local/gpudesk/Logs/gpudesk.log"
"$wine" "$app/uninstall.exe" /S /REMOVEDATA '_?=C:\users\'"$user"'\AppData\Local\Programs\gpudesk' \
  || fail "uninstall /REMOVEDATA exited $?"
[ ! -e "$home/AppData/Roaming/gpudesk" ] && [ ! -e "$home/AppData/Local/gpudesk" ] \
  || fail "uninstall /REMOVEDATA left the app folders"
[ -f "$home/.ssh/gpudesk_ed25519" ] || fail "uninstall /REMOVEDATA removed a key"
ok "uninstall /S /REMOVEDATA removed the user's data, kept the keys"
echo "wine-smoke-test: passed"
