#!/usr/bin/env bash
# Install the Debian packages gpudesk needs, when running as root and they are missing.
#   scripts/system-packages.sh run    what the GUI needs to start (Qt's xcb plugin)
#   scripts/system-packages.sh test   what the test suite needs (sshd, Xvfb, a tray host, ...)
#   scripts/system-packages.sh windows  the Windows build and test lane (Wine, NSIS, Xvfb)
# Not root or not Debian: prints what is missing and carries on (tests that need a
# missing part then skip, except under CI=true, where they fail).
set -euo pipefail

run_packages=(libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 libxcb-render-util0
  libxcb-randr0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1
  libdbus-1-3 fonts-noto-cjk)
test_packages=("${run_packages[@]}" openssh-server openssh-client python3 python3-venv xvfb
  xauth dbus dbus-daemon gnome-keyring trayer xdotool imagemagick procps passwd iproute2
  util-linux desktop-file-utils appstream nsis rsync)
# 64-bit Wine only (no i386 architecture needed): the lane's Python, PyInstaller and the
# installer are all 64-bit.
windows_packages=(wine64 nsis xvfb xauth)

case "${1:-test}" in
  run) wanted=("${run_packages[@]}") ;;
  test) wanted=("${test_packages[@]}") ;;
  windows) wanted=("${windows_packages[@]}") ;;
  *) echo "usage: $0 run|test|windows" >&2; exit 2 ;;
esac

command -v dpkg-query >/dev/null 2>&1 || { echo "system-packages: not a Debian system; skipping" >&2; exit 0; }

missing=()
for package in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "system-packages: missing ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
  exit 0
fi
echo "system-packages: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
