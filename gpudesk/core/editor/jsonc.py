"""Change one value in a JSON-with-comments file (VS Code's ``settings.json``) in place.

VS Code's settings are JSONC: ``//`` and ``/* */`` comments and trailing commas are allowed,
and users arrange the file by hand. Loading it with :mod:`json` and dumping it again would
throw all of that away, so this module parses the text into spans (where each object, member
and value starts and ends) and :func:`set_value` rewrites only the characters of the one member
it changes or inserts. Everything else, comments, commas, blank lines, indentation, the order
of keys and the line endings, keeps its bytes. Setting a value that is already there returns
the text unchanged.

A file that does not parse raises :class:`JsoncError` with the line and column, and the caller
leaves the file alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

_LITERAL = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")
# Blanks and comments up to the end of a line: "  /* a */ // b".
_REST_OF_LINE = re.compile(r"[ \t]*(?:/\*(?:(?!\*/)[^\n])*\*/[ \t]*)*(?://[^\r\n]*)?(?=\r?\n|$)")
_DEFAULT_UNIT = "    "  # VS Code's own indentation
#: Deeper nesting is refused (a JsoncError, not a RecursionError): no settings file needs it.
MAX_DEPTH = 200


class JsoncError(ValueError):
    """The text is not JSON with comments; ``line`` and ``column`` count from 1."""

    def __init__(self, message: str, text: str, pos: int) -> None:
        self.line = text.count("\n", 0, pos) + 1
        self.column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        self.reason = message
        super().__init__(f"{message} at line {self.line}, column {self.column}")


@dataclass
class Node:
    """A parsed value: ``text[start:end]``; objects have ``members``."""

    kind: str  # "object", "array", "string" or "literal"
    start: int
    end: int
    members: list[Member] = field(default_factory=list)


@dataclass
class Member:
    """``"key": value`` in an object; ``comma`` is the position of a following comma."""

    key: str
    key_start: int
    value: Node
    comma: int | None = None


def parse(text: str) -> Node | None:
    """Parse JSONC into spans; None for a document of only whitespace and comments.

    Raises:
        JsoncError: Not JSON with comments (also an unterminated comment or string).
    """
    parser = _Parser(text)
    pos = parser.skip(0)
    if pos == len(text):
        return None
    node = parser.value(pos)
    end = parser.skip(node.end)
    if end != len(text):
        raise JsoncError("unexpected text after the end of the document", text, end)
    return node


def loads(text: str) -> Any:
    """The value of a JSONC document (comments and trailing commas dropped), None if empty."""
    node = parse(text)
    return None if node is None else _value_of(text, node)


def set_value(text: str, path: Sequence[str], value: Any, *, newline: str = "\n") -> str:
    """Return ``text`` with the member at ``path`` (object keys) set to ``value``.

    Missing objects on the way are created; a non-object on the way is replaced. Only the
    changed member's characters differ; inserted lines end with ``newline``.

    Raises:
        JsoncError: ``text`` does not parse, or its top level is not an object.
    """
    if not path:
        raise ValueError("path must name at least one key")
    root = parse(text)
    if root is None:
        document = _render(_nest(path, value), _DEFAULT_UNIT, "", newline)
        if not text.strip():
            return document + newline
        return text + ("" if text.endswith("\n") else newline) + document + newline
    if root.kind != "object":
        raise JsoncError("the top level is not an object", text, root.start)
    node, indent = root, ""
    unit = _unit(text, root)
    for depth, key in enumerate(path):
        member = next((m for m in reversed(node.members) if m.key == key), None)
        rest = path[depth + 1 :]
        if member is None:
            return _insert(text, node, key, _nest(rest, value), indent + unit, unit, newline)
        member_indent = _line_indent(text, member.key_start) or indent + unit
        if rest and member.value.kind == "object":
            node, indent = member.value, member_indent
            continue
        new = _nest(rest, value)
        if not rest and member.value.kind != "object":
            try:
                if _value_of(text, member.value) == new:
                    return text
            except JsoncError:
                pass
        rendered = _render(new, unit, member_indent, newline)
        return text[: member.value.start] + rendered + text[member.value.end :]
    raise AssertionError("unreachable")  # pragma: no cover


def _nest(path: Sequence[str], value: Any) -> Any:
    for key in reversed(path):
        value = {key: value}
    return value


def _render(value: Any, unit: str, indent: str, newline: str) -> str:
    text = json.dumps(value, indent=unit, ensure_ascii=False)
    return text.replace("\n", newline + indent)


def _insert(
    text: str, obj: Node, key: str, value: Any, indent: str, unit: str, newline: str
) -> str:
    member_text = json.dumps(key, ensure_ascii=False) + ": "
    if obj.members:
        last = obj.members[-1]
        first_indent = _line_indent(text, obj.members[0].key_start)
        if first_indent is None:  # a one-line object: stay on the line
            compact = member_text + json.dumps(value, ensure_ascii=False)
            if last.comma is not None:
                return text[: last.comma + 1] + " " + compact + text[last.comma + 1 :]
            pos = last.value.end
            return text[:pos] + ", " + compact + text[pos:]
        indent = first_indent
        member_text += _render(value, unit, indent, newline)
        if last.comma is None:
            text = text[: last.value.end] + "," + text[last.value.end :]
            anchor = last.value.end + 1
        else:
            anchor = last.comma + 1
        pos = _end_of_line(text, anchor)
        return text[:pos] + newline + indent + member_text + text[pos:]
    member_text += _render(value, unit, indent, newline)
    inner = text[obj.start + 1 : obj.end - 1]
    if not inner.strip():  # {} or { } or {\n}: write the whole object
        closing = indent[: len(indent) - len(unit)] if indent.endswith(unit) else ""
        body = "{" + newline + indent + member_text + newline + closing + "}"
        return text[: obj.start] + body + text[obj.end :]
    pos = _end_of_line(text, obj.start + 1)
    return text[:pos] + newline + indent + member_text + text[pos:]


def _end_of_line(text: str, pos: int) -> int:
    """Where to insert a line after ``pos``: the end of its line when only blanks and a
    comments follow there (comments stay with their line), else ``pos`` itself."""
    match = _REST_OF_LINE.match(text, pos)
    return match.end() if match else pos


def _line_indent(text: str, pos: int) -> str | None:
    """The blanks before ``pos`` on its line, or None when other text precedes it."""
    start = text.rfind("\n", 0, pos) + 1
    prefix = text[start:pos]
    return prefix if prefix.strip(" \t") == "" else None


def _unit(text: str, root: Node) -> str:
    """One level of indentation as the file uses it (VS Code's 4 spaces when unknown)."""
    if root.members:
        indent = _line_indent(text, root.members[0].key_start)
        if indent:
            return indent
    return _DEFAULT_UNIT


def _value_of(text: str, node: Node) -> Any:
    if node.kind == "object":
        return {m.key: _value_of(text, m.value) for m in node.members}
    if node.kind == "array":
        return [_value_of(text, item.value) for item in node.members]
    try:
        return json.loads(text[node.start : node.end])
    except ValueError as exc:
        raise JsoncError(f"invalid value ({exc})", text, node.start) from None


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.depth = 0

    def error(self, message: str, pos: int) -> JsoncError:
        return JsoncError(message, self.text, pos)

    def skip(self, pos: int) -> int:
        """Skip whitespace and comments."""
        text = self.text
        while pos < len(text):
            ch = text[pos]
            if ch in " \t\r\n\ufeff":
                pos += 1
            elif text.startswith("//", pos):
                newline = text.find("\n", pos)
                pos = len(text) if newline < 0 else newline + 1
            elif text.startswith("/*", pos):
                close = text.find("*/", pos + 2)
                if close < 0:
                    raise self.error("unterminated comment", pos)
                pos = close + 2
            else:
                break
        return pos

    def value(self, pos: int) -> Node:
        text = self.text
        if pos >= len(text):
            raise self.error("unexpected end of the document", pos)
        ch = text[pos]
        if ch == "{":
            return self.container(pos, "object", "}")
        if ch == "[":
            return self.container(pos, "array", "]")
        if ch == '"':
            return Node("string", pos, self.string_end(pos))
        match = _LITERAL.match(text, pos)
        if match is None:
            raise self.error(f"unexpected character {ch!r}", pos)
        return Node("literal", pos, match.end())

    def string_end(self, pos: int) -> int:
        text = self.text
        i = pos + 1
        while i < len(text):
            ch = text[i]
            if ch == "\\":
                i += 2
            elif ch == '"':
                return i + 1
            elif ch == "\n":
                break
            else:
                i += 1
        raise self.error("unterminated string", pos)

    def container(self, start: int, kind: str, close: str) -> Node:
        if self.depth >= MAX_DEPTH:
            raise self.error(f"nested more than {MAX_DEPTH} levels deep", start)
        self.depth += 1
        try:
            return self._members(Node(kind, start, start), kind, close)
        finally:
            self.depth -= 1

    def _members(self, node: Node, kind: str, close: str) -> Node:
        pos = self.skip(node.start + 1)
        while True:
            if pos < len(self.text) and self.text[pos] == close:
                node.end = pos + 1
                return node
            member = self.member(pos) if kind == "object" else self.item(pos)
            node.members.append(member)
            pos = self.skip(member.value.end)
            if pos < len(self.text) and self.text[pos] == ",":
                member.comma = pos
                pos = self.skip(pos + 1)
            elif pos >= len(self.text) or self.text[pos] != close:
                raise self.error(f"expected ',' or {close!r}", pos)

    def member(self, pos: int) -> Member:
        if pos >= len(self.text) or self.text[pos] != '"':
            raise self.error("expected a key in double quotes", pos)
        key_end = self.string_end(pos)
        try:
            key = json.loads(self.text[pos:key_end])
        except ValueError:
            raise self.error("invalid key", pos) from None
        colon = self.skip(key_end)
        if colon >= len(self.text) or self.text[colon] != ":":
            raise self.error("expected ':'", colon)
        return Member(str(key), pos, self.value(self.skip(colon + 1)))

    def item(self, pos: int) -> Member:
        return Member("", pos, self.value(pos))
