"""``gpudesk --self-test``: prove that this installation works, from source or frozen.

A frozen app can start and still be broken: a data file or translation left out of the
bundle, an SVG icon engine plugin missing, ``bcrypt`` not collected (encrypted OpenSSH keys
fail), or keyring's backends invisible because their entry points live in package metadata
that PyInstaller does not copy by default (keyring then silently returns its ``fail``
backend). Each check below exercises one of those, prints one line and the run exits 0 only
when every check passed::

    ok   resources: 7 platforms, 20 GPUs, 12 images (12 ms)
    warn keyring: no keyring available (session-only): ... (30 ms)
    FAIL icons: gpudesk.svg: QIcon gives no pixmap (SVG icon engine plugin missing?) (3 ms)

``warn`` passes. It is used for exactly one situation: Linux without a running Secret
Service (a headless CI machine), where gpudesk keeps secrets for the session only. That is
a pass-with-warning only when running from source or when ``GPUDESK_SELFTEST_ALLOW_NO_KEYRING=1``
is set; a frozen app on a desktop OS that has no usable keyring fails, and a missing keyring
backend module or metadata fails everywhere (that is a packaging bug, not the machine's).

The self-test never touches the user's data: ``GPUDESK_HOME`` and Qt's settings point at a
temporary directory for the run, the keyring is only read (one absent entry), and the
throw-away SSH key lives in a temporary directory that is deleted afterwards.
"""

from __future__ import annotations

import asyncio
import base64
import importlib
import logging
import os
import platform
import secrets
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TextIO

from gpudesk import __version__
from gpudesk.logsetup import configure_logging

ALLOW_NO_KEYRING_ENV = "GPUDESK_SELFTEST_ALLOW_NO_KEYRING"

#: The keyring backend each desktop OS must have: entry point name, module, class, and the
#: modules the backend needs (they must be bundled when frozen).
EXPECTED_KEYRING: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "linux": ("SecretService", "keyring.backends.SecretService", "Keyring", ("secretstorage",)),
    "win32": (
        "Windows",
        "keyring.backends.Windows",
        "WinVaultKeyring",
        ("win32ctypes.pywin32.win32cred",),
    ),
    "darwin": ("macOS", "keyring.backends.macOS", "Keyring", ("keyring.backends.macOS.api",)),
}


class CheckWarning(Exception):  # noqa: N818 (a passing outcome, not an error)
    """Raised by a check that passes with a warning; the message is the detail line."""


@dataclass(frozen=True)
class Outcome:
    """The result of one check."""

    status: str  # "ok", "warn" or "FAIL"
    name: str
    detail: str
    seconds: float

    @property
    def passed(self) -> bool:
        """True for ``ok`` and ``warn``."""
        return self.status != "FAIL"

    def line(self) -> str:
        """The one line printed for this check."""
        return f"{self.status:<4} {self.name}: {self.detail} ({self.seconds * 1000:.0f} ms)"


def is_frozen() -> bool:
    """True inside a PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False))


def run_check(name: str, check: Callable[[], str]) -> Outcome:
    """Run ``check`` and turn its return value or exception into an :class:`Outcome`."""
    start = time.perf_counter()
    try:
        detail = check()
        status = "ok"
    except CheckWarning as warning:
        detail, status = str(warning), "warn"
    except Exception as exc:
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        detail, status = f"{type(exc).__name__}: {message}", "FAIL"
        if os.environ.get("GPUDESK_SELFTEST_TRACEBACK"):
            detail += "\n" + traceback.format_exc()
    return Outcome(status, name, detail, time.perf_counter() - start)


# --- checks without Qt --------------------------------------------------------------------


def check_resources() -> str:
    """The platform catalog, the GPU table and the image table load and validate."""
    from gpudesk.core.catalog.gpus import load_gpus
    from gpudesk.core.catalog.images import load_images
    from gpudesk.core.catalog.platforms import load_catalog
    from gpudesk.core.resources import resources_dir

    catalog = load_catalog()
    gpus = load_gpus()
    images = load_images()
    if not catalog.platforms or not gpus or not images:
        raise RuntimeError(f"empty data in {resources_dir()}")
    return f"{len(catalog.platforms)} platforms, {len(gpus)} GPUs, {len(images)} images"


def check_modules() -> str:
    """Every gpudesk module imports (a frozen app lacking a module or a Qt binding fails)."""
    import pkgutil

    import gpudesk

    names = [
        info.name
        for info in pkgutil.walk_packages(gpudesk.__path__, "gpudesk.")
        if not info.name.endswith("__main__")  # importing it would run the CLI
    ]
    for name in names:
        importlib.import_module(name)
    if len(names) < 10:
        raise RuntimeError(f"only {len(names)} gpudesk modules found: {names}")
    return f"{len(names)} gpudesk modules import"


def no_keyring_verdict(system: str, frozen: bool, allowed: bool) -> str:
    """``"warn"`` or ``"FAIL"`` for a machine whose keyring backend exists but is not usable.

    Args:
        system: ``sys.platform``.
        frozen: Running from a PyInstaller bundle.
        allowed: ``GPUDESK_SELFTEST_ALLOW_NO_KEYRING=1`` is set.
    """
    if system in ("win32", "darwin"):
        return "FAIL"  # a desktop OS always has its keyring: not finding it is our bug
    if system.startswith("linux") and frozen and not allowed:
        return "FAIL"
    return "warn"


def check_keyring() -> str:
    """keyring finds this OS's backend (entry points + modules) and reads from it."""
    import keyring

    from gpudesk.core.errors import SecretStoreError
    from gpudesk.core.store.secrets import KeyringSecretStore, is_safe_backend

    expected = EXPECTED_KEYRING.get(sys.platform)
    if expected is not None:
        entry_name, module_name, _class, needs = expected
        names = {ep.name for ep in metadata.entry_points(group="keyring.backends")}
        if entry_name not in names:
            raise RuntimeError(
                f"keyring's entry point {entry_name!r} is missing (found {sorted(names)}): "
                "the keyring package metadata was not bundled"
            )
        for needed in (module_name, *needs):
            importlib.import_module(needed)  # ImportError -> FAIL: not bundled
    backend = keyring.get_keyring()
    backend_name = f"{type(backend).__module__}.{type(backend).__name__}"
    if is_safe_backend(backend):
        store = KeyringSecretStore(backend)
        try:
            store.check()
        except SecretStoreError as exc:
            if exc.code == "secrets.locked":
                raise CheckWarning(f"{store.backend_name} is locked: {exc.message}") from None
            raise
        return f"{store.backend_name} answers"
    reason = "no backend chosen"
    if expected is not None:
        backend_class = getattr(importlib.import_module(expected[1]), expected[2])
        try:
            backend_class.priority  # noqa: B018 (raises with the reason when not viable)
        except Exception as exc:
            reason = f"{expected[0]} not usable here: {exc}"
    detail = f"no keyring available (session-only): keyring chose {backend_name}; {reason}"
    allowed = os.environ.get(ALLOW_NO_KEYRING_ENV) == "1"
    if no_keyring_verdict(sys.platform, is_frozen(), allowed) == "warn":
        raise CheckWarning(detail)
    raise RuntimeError(
        f"{detail} (on a headless CI machine set {ALLOW_NO_KEYRING_ENV}=1 to accept this)"
    )


def check_ssh_keys() -> str:
    """Make an encrypted ed25519 key with cryptography; paramiko and gpudesk load it."""
    import bcrypt
    import cryptography
    import paramiko
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from gpudesk.core.errors import InputError
    from gpudesk.core.keys.keypairs import load_private_key

    passphrase = secrets.token_urlsafe(12)
    private = Ed25519PrivateKey.generate()
    data = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.BestAvailableEncryption(passphrase.encode()),  # bcrypt KDF
    )
    public = private.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    with tempfile.TemporaryDirectory(prefix="gpudesk-selftest-") as folder:
        path = Path(folder) / "id_ed25519"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        by_paramiko = paramiko.PKey.from_path(path, password=passphrase.encode())
        by_gpudesk = load_private_key(path, passphrase)
        try:
            load_private_key(path, "not-the-passphrase")
        except InputError:
            pass
        else:
            raise RuntimeError("the key loaded with a wrong passphrase")
    expected = public.split()[1].decode()
    for key in (by_paramiko, by_gpudesk):
        if key.get_base64() != expected:
            raise RuntimeError(f"{type(key).__name__} loaded a different public key")
    verifier = paramiko.Ed25519Key(data=base64.b64decode(expected))
    signature = by_gpudesk.sign_ssh_data(b"gpudesk self-test")
    signature.rewind()
    if not verifier.verify_ssh_sig(b"gpudesk self-test", signature):
        raise RuntimeError("the signature of the loaded key does not verify")
    # Neither paramiko nor bcrypt declares __version__ to mypy; read it where it exists.
    paramiko_version = getattr(paramiko, "__version__", "?")
    return (
        f"encrypted ed25519 made and loaded (paramiko {paramiko_version}, "
        f"cryptography {cryptography.__version__}, bcrypt {getattr(bcrypt, '__version__', '?')})"
    )


# --- checks with Qt -----------------------------------------------------------------------


def prepare_qt() -> None:
    """Headless Linux gets Qt's offscreen platform (set before the QApplication exists)."""
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_API", "pyside6")


def check_qt(scratch: Path) -> str:
    """A QApplication starts (platform plugin found); QSettings is redirected to scratch."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import QSettings, qInstallMessageHandler, qVersion

    from gpudesk.app import create_application

    def pass_on_qt_messages(_mode: object, _context: object, message: str) -> None:
        # The offscreen platform says this for every window it shows: noise, not a finding.
        if "propagateSizeHints" not in message and sys.stderr is not None:
            print(message, file=sys.stderr)

    qInstallMessageHandler(pass_on_qt_messages)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(scratch))
    app = create_application([])
    return f"PySide6 {pyside_version}, Qt {qVersion()}, platform {app.platformName()}"


def check_icons() -> str:
    """Every SVG in ``resources/icons`` renders with QSvgRenderer and as a QIcon."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor, QIcon, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    from gpudesk.core.resources import resource_path

    icons = sorted(resource_path("icons").glob("*.svg"))
    names = [icon.name for icon in icons]
    if "gpudesk.svg" not in names:
        raise RuntimeError(f"the app icon gpudesk.svg is missing (found {names})")
    for icon in icons:
        renderer = QSvgRenderer(str(icon))
        if not renderer.isValid() or renderer.defaultSize().isEmpty():
            raise RuntimeError(f"{icon.name}: QSvgRenderer cannot read it")
        image = QImage(QSize(32, 32), QImage.Format.Format_ARGB32)
        image.fill(QColor(0, 0, 0, 0))
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        if all(image.pixelColor(x, y).alpha() == 0 for x in range(32) for y in range(32)):
            raise RuntimeError(f"{icon.name}: renders as an empty image")
        if QIcon(str(icon)).pixmap(32, 32).isNull():
            raise RuntimeError(f"{icon.name}: QIcon gives no pixmap (SVG icon engine missing?)")
    return f"{len(icons)} SVG icons render ({', '.join(names)})"


def check_translations() -> str:
    """Each compiled ``.qm`` loads; every language but English has gpudesk's and Qt's own."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    from gpudesk.core.resources import resource_path
    from gpudesk.ui.i18n import SUPPORTED

    folder = resource_path("i18n")
    found = sorted(folder.glob("*.qm"))
    loaded = []
    for qm in found:
        translator = QTranslator()
        if not translator.load(str(qm)) or translator.isEmpty():
            raise RuntimeError(f"{qm.name} does not load (or is empty)")
        loaded.append(f"{qm.stem} ({translator.language() or '?'})")
    missing = [
        f"gpudesk_{language}.qm"
        for language in SUPPORTED
        if language != "en" and not (folder / f"gpudesk_{language}.qm").is_file()
    ]
    if missing:
        hint = "" if is_frozen() else " (run `make translations`)"
        raise RuntimeError(f"missing {', '.join(missing)} in {folder}{hint}")
    # Qt's own texts (OK, Cancel, ...), which gpudesk.app loads from Qt's translations folder.
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for language in (language for language in SUPPORTED if language != "en"):
        if not QTranslator().load(f"qtbase_{language}", qt_folder):
            raise RuntimeError(f"Qt's qtbase_{language}.qm is missing in {qt_folder}")
        loaded.append(f"qtbase_{language}")
    return f"{len(loaded)} loaded: {', '.join(loaded)}"


def check_main_window() -> str:
    """The main window is built from the real services, shown under qasync, and closed."""
    import qasync
    from PySide6.QtWidgets import QApplication

    from gpudesk.ui.main_window import MainWindow
    from gpudesk.ui.services import Services

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("no QApplication (see the qt check)")
    app.setQuitOnLastWindowClosed(False)
    services = Services.create()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        window = MainWindow(services)
        window.show()
        loop.run_until_complete(asyncio.sleep(0.05))
        if not window.isVisible():
            raise RuntimeError("the window did not become visible")
        title = window.windowTitle()
        size = window.size()
        window.close()
        loop.run_until_complete(asyncio.sleep(0.01))
        if window.isVisible():
            raise RuntimeError("the window did not close")
        window.deleteLater()
    finally:
        asyncio.set_event_loop(None)
        loop.close()
    return f"opened and closed {title!r} ({size.width()}x{size.height()})"


# --- the run ------------------------------------------------------------------------------


def _output() -> TextIO:
    """stdout, or a file in the log dir when a windowed frozen app has no console."""
    if sys.stdout is not None:
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(errors="replace")
        return sys.stdout
    from gpudesk.core import paths

    folder = paths.ensure_private_dir(paths.log_dir())
    return (folder / "selftest.txt").open("w", encoding="utf-8")


def main() -> int:
    """Run every check, print one line each and a summary; 0 only if all passed."""
    out = _output()
    started = time.perf_counter()
    kind = "frozen" if is_frozen() else "source"
    print(
        f"gpudesk {__version__} self-test ({kind}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()})",
        file=out,
        flush=True,
    )
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(
        prefix="gpudesk-selftest-home-", ignore_cleanup_errors=True
    ) as scratch_name:
        scratch = Path(scratch_name)
        # The app's own files (settings, instances, logs) go to scratch for this run.
        os.environ["GPUDESK_HOME"] = str(scratch / "home")
        configure_logging()
        prepare_qt()
        checks: list[tuple[str, Callable[[], str]]] = [
            ("modules", check_modules),
            ("resources", check_resources),
            ("keyring", check_keyring),
            ("ssh keys", check_ssh_keys),
            ("qt", lambda: check_qt(scratch / "qsettings")),
            ("icons", check_icons),
            ("translations", check_translations),
            ("main window", check_main_window),
        ]
        for name, check in checks:
            outcome = run_check(name, check)
            outcomes.append(outcome)
            print(outcome.line(), file=out, flush=True)
        # Close the log file in scratch before it is deleted (Windows cannot delete open files).
        for handler in list(logging.getLogger("gpudesk").handlers):
            logging.getLogger("gpudesk").removeHandler(handler)
            handler.close()
    failed = [o.name for o in outcomes if not o.passed]
    warned = [o.name for o in outcomes if o.status == "warn"]
    seconds = time.perf_counter() - started
    if failed:
        summary = f"self-test FAILED: {', '.join(failed)} ({len(failed)} of {len(outcomes)})"
    else:
        summary = f"self-test passed: {len(outcomes)} checks"
        if warned:
            summary += f", {len(warned)} with a warning ({', '.join(warned)})"
    print(f"{summary} in {seconds:.2f} s", file=out, flush=True)
    if out is not sys.stdout:
        out.close()
    return 1 if failed else 0
