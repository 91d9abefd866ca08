#!/usr/bin/env bash
# Build the venv the "remote" side of the test bed runs Jupyter and TensorBoard from.
#
# The test user that the test sshd lets in cannot read root's (pyenv) interpreter, so the
# remote-side programs come from Debian's /usr/bin/python3 in a world-readable venv OUTSIDE
# root's home. Idempotent: a stamp file records what was installed; a second run with the same
# package list does nothing (~10 ms). Not root, or no /usr/bin/python3 with venv: prints why and
# exits 0 (the tests that need the venv then skip, or fail under CI=true).
#
#   scripts/remote-testbed-venv.sh            build or confirm the venv
#   GPUDESK_TESTBED_VENV=/path scripts/...    another location (default below)
#
# Measured on the 2-core test machine: jupyter_server ~10 s and 80 MB, tensorboard ~8 s and
# 180 MB (numpy, grpcio, protobuf); the real TensorBoard starts in ~1 s without TensorFlow, so
# no stand-in is needed.
set -euo pipefail

venv="${GPUDESK_TESTBED_VENV:-/opt/gpudesk-testbed/venv}"
packages=("jupyter_server>=2" "tensorboard>=2")
python=/usr/bin/python3

if [ "$(id -u)" -ne 0 ]; then
  echo "remote-testbed-venv: not root; skipping (the Jupyter/TensorBoard test-bed tests skip)" >&2
  exit 0
fi
if ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  echo "remote-testbed-venv: $python with venv is missing (apt-get install python3-venv); skipping" >&2
  exit 0
fi

stamp="$venv/.gpudesk-installed"
wanted="${packages[*]}"
if [ -x "$venv/bin/jupyter-server" ] && [ -x "$venv/bin/tensorboard" ] \
  && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
  exit 0
fi

umask 022
echo "remote-testbed-venv: building $venv ($wanted)" >&2
mkdir -p "$(dirname "$venv")"
"$python" -m venv --clear "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${packages[@]}"
chmod -R a+rX "$(dirname "$venv")"
printf '%s\n' "$wanted" >"$stamp"
chmod 644 "$stamp"
