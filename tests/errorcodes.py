"""Find, without running anything, every error code gpudesk can raise, and which lack a hint.

The core and the CLI raise :class:`~gpudesk.core.errors.GpuDeskError` subclasses with a code
as the first argument; some modules keep ``(code, message, hint)`` tuples in a table and
raise from it. :func:`raised_codes` reads the sources with :mod:`ast` and finds both;
:func:`raises_without_hint` lists the places that give no hint (or an empty one).
Codes built at run time are listed in :data:`BUILT_CODES`; ``ssh.parse.*`` codes have their
own table (the pasted-command texts) and are left out.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = (ROOT / "gpudesk" / "core", ROOT / "gpudesk" / "commands")
CODE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*$")
#: Codes made with an f-string: ``f"{service}.not_ours"`` in core/apps/jupyter.py.
BUILT_CODES = ("jupyter.not_ours", "tensorboard.not_ours")
#: Subclasses that pass their own fixed code to ``GpuDeskError.__init__``.
FIXED_CODE_CLASSES = ("LocalPortBusyError",)


def _trees() -> Iterator[tuple[Path, ast.Module]]:
    for folder in SOURCES:
        for path in sorted(folder.rglob("*.py")):
            yield path, ast.parse(path.read_text("utf-8"), str(path))


def error_classes() -> set[str]:
    """Names of GpuDeskError and every class deriving from it (by name, over all modules)."""
    bases: dict[str, set[str]] = {}
    for _path, tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                names = {
                    b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases
                }
                bases.setdefault(node.name, set()).update(names)
    found = {"GpuDeskError"}
    changed = True
    while changed:
        changed = False
        for name, parents in bases.items():
            if name not in found and parents & found:
                found.add(name)
                changed = True
    return found


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _has_hint(node: ast.Call) -> bool:
    hint: ast.expr | None = node.args[2] if len(node.args) >= 3 else None
    for keyword in node.keywords:
        if keyword.arg == "hint":
            hint = keyword.value
    if hint is None:
        return False
    return not (isinstance(hint, ast.Constant) and not str(hint.value).strip())


def _sites() -> Iterator[tuple[str, bool, str]]:
    """``(code, has_hint, "file:line")`` for every raise site and code table row."""
    classes = error_classes() - set(FIXED_CODE_CLASSES)
    for path, tree in _trees():
        where = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _call_name(node) in classes and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    yield first.value, _has_hint(node), f"{where}:{node.lineno}"
            elif isinstance(node, ast.Tuple) and len(node.elts) == 3:
                values = [e.value if isinstance(e, ast.Constant) else None for e in node.elts]
                if all(isinstance(v, str) for v in values) and CODE.match(str(values[0])):
                    yield str(values[0]), bool(str(values[2]).strip()), f"{where}:{node.lineno}"


def raised_codes() -> dict[str, list[str]]:
    """Every error code that can be raised -> where (``ssh.parse.*`` left out)."""
    codes: dict[str, list[str]] = {code: ["(built at run time)"] for code in BUILT_CODES}
    codes["tunnel.local_port_busy"] = ["gpudesk/core/tunnels/model.py (LocalPortBusyError)"]
    for code, _hint, where in _sites():
        if not code.startswith("ssh.parse."):
            codes.setdefault(code, []).append(where)
    return codes


def raises_without_hint() -> list[str]:
    """``"code at file:line"`` of every raise site with no hint or an empty one."""
    return [f"{code} at {where}" for code, has_hint, where in _sites() if not has_hint]
