"""Minimal edits of YAML text, located with ruamel.yaml.

ruamel.yaml composes each document into nodes that know where they start and end in the text
and how they were written (flow or block, quoted or plain). A fix turns that into splices of
the text: only the characters of the edited node change, so comments, key order, styles,
quoting, blank lines, document separators, CRLF line ends and a byte-order mark stay as they
were. After splicing, the new text is read again and must hold exactly the data the fix meant
(`verified`): a splice that YAML reads otherwise is never written.

Where only whether a finding has a fix matters (lint's text report), libyaml's composer gives
the same nodes faster (`parse(..., fast=True)`), and ruamel.yaml is not even imported; what
`fix` writes, and the edits JSON and SARIF show, are located by ruamel.yaml.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
import sys
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
import yaml.nodes

try:  # pragma: no branch - depends on how PyYAML was built
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

# (start, end, text): put `text` in place of text[start:end]
Edit = tuple[int, int, str]
# a change of the data of one document, as the edit should make it
Change = Callable[[Any], None]

_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/:,-]*")
_ERRORS = (yaml.YAMLError, ValueError, TypeError, AttributeError, RecursionError)
_RUAMEL_NODES = "ruamel.yaml.nodes"


class _Kind(type):
    """isinstance() for the nodes of either composer (ruamel.yaml's, libyaml's)."""

    def __instancecheck__(cls, obj: object) -> bool:
        name = cls.__name__
        if isinstance(obj, getattr(yaml.nodes, name)):
            return True
        ruamel = sys.modules.get(_RUAMEL_NODES)  # no ruamel node without ruamel loaded
        return ruamel is not None and isinstance(obj, getattr(ruamel, name))


class Node(metaclass=_Kind):
    tag: Any
    value: Any
    start_mark: Any
    end_mark: Any


class ScalarNode(Node):
    style: str | None


class MappingNode(Node):
    value: list[tuple[Any, Any]]
    flow_style: bool | None


class SequenceNode(Node):
    value: list[Any]
    flow_style: bool | None


@dataclass(frozen=True, slots=True)
class Mark:
    index: int
    line: int
    column: int


def _compose(text: str, fast: bool) -> list[Any]:
    if fast:
        return list(yaml.compose_all(text, Loader=_SafeLoader))
    from ruamel.yaml import YAML  # noqa: PLC0415 - only when fixing: a slow import

    return list(YAML(typ="rt").compose_all(text))


def _errors() -> tuple[type[BaseException], ...]:
    ruamel = sys.modules.get("ruamel.yaml.error")
    return (*_ERRORS, ruamel.YAMLError) if ruamel is not None else _ERRORS


class Unfixable(Exception):
    """The text around a node is not one a minimal edit can handle: no fix is offered."""


@dataclass(slots=True)
class Source:
    """One file's text (without its byte-order mark) and its documents as ruamel nodes."""

    text: str
    roots: list[Node | None] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list)

    @property
    def newline(self) -> str:
        return "\r\n" if "\r\n" in self.text else "\n"

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of an offset."""
        if not self._starts:
            self._starts = [0, *(m.end() for m in re.finditer("\n", self.text))]
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def line_start(self, offset: int) -> int:
        return self.text.rfind("\n", 0, offset) + 1

    def after_line(self, offset: int) -> int:
        """The offset after the line break ending the line `offset` is on (or the end)."""
        if offset > 0 and self.text[offset - 1] == "\n":
            return offset
        nl = self.text.find("\n", offset)
        return len(self.text) if nl == -1 else nl + 1


_SEPARATOR = re.compile(r"^(?:---|\.\.\.)(?:[ \t]|\r?$)", re.MULTILINE)
_NOT_CONTENT = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\r?\n|---[ \t]*\r?\n|\.\.\.[ \t]*\r?\n)*")


def parse(text: str, lines: Collection[int] | None = None, *, fast: bool = False) -> Source | None:
    """The documents of a text; None when ruamel.yaml cannot read it (no fix is offered).

    With `lines`, only the documents holding one of those (1-based) lines are composed, the
    others are None: ruamel.yaml's composer is pure Python, and a large file with a few
    findings should not cost a full read. Nodes keep their places in the whole text."""
    if lines is None:
        try:
            return Source(text, _compose(text, fast))
        except _errors():
            return None
    roots: list[Node | None] = []
    starts = [m.start() for m in _SEPARATOR.finditer(text)]
    bounds = [0, *(i for i in starts if i > 0), len(text)]
    line = 1
    for start, end in itertools.pairwise(bounds):
        chunk = text[start:end]
        count = chunk.count("\n")
        wanted = any(line <= n < line + count + (end == len(text)) for n in lines)
        if wanted:
            try:
                found = _compose(chunk, fast)
            except _errors():
                return None
            for node in found:
                _shift(node, start, line - 1, set())
            roots.extend(found)
        elif chunk.startswith("---") or not _NOT_CONTENT.fullmatch(
            chunk if chunk.endswith("\n") else chunk + "\n"
        ):
            roots.append(None)  # a document not needed: not composed
        line += count
    return Source(text, roots)


def _shift(node: Node, offset: int, lines: int, seen: set[int]) -> None:
    """Move a node composed from a part of the text to its place in the whole text."""
    if id(node) in seen:
        return
    seen.add(id(node))
    for attr in ("start_mark", "end_mark"):
        mark = getattr(node, attr)
        setattr(node, attr, Mark(mark.index + offset, mark.line + lines, mark.column))
    if isinstance(node, MappingNode):
        for k, v in node.value:
            _shift(k, offset, lines, seen)
            _shift(v, offset, lines, seen)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            _shift(item, offset, lines, seen)


def plain_documents(text: str) -> list[Any] | None:
    """The data of every document, read by libyaml through PyYAML (fast, and a reader of its
    own: the proof does not rest on the parser that located the nodes)."""
    try:
        return list(yaml.load_all(text, Loader=_SafeLoader))
    except _ERRORS:
        return None


def apply(text: str, edits: Sequence[Edit]) -> str:
    """`text` with non-overlapping edits made (an insertion sorts before a deletion that starts
    at the same place)."""
    out: list[str] = []
    done = 0
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < done:
            raise Unfixable("overlapping edits")
        out.append(text[done:start])
        out.append(new)
        done = end
    out.append(text[done:])
    return "".join(out)


def overlaps(a: Sequence[Edit], b: Sequence[Edit]) -> bool:
    for s1, e1, _ in a:
        for s2, e2, _ in b:
            if s1 < e2 and s2 < e1:
                return True
            if s1 == s2 and (s1 == e1 or s2 == e2):  # two edits at one place: order unclear
                return True
    return False


def verified(old: str, new: str, changes: Sequence[tuple[int, Change]]) -> bool:
    """Whether `new` reads as `old` with `changes` (document index, change) made, and nothing
    else: the proof that a splice edited only what it meant to."""
    before, after = plain_documents(old), plain_documents(new)
    if before is None or after is None:
        return False
    for index, change in changes:
        if index >= len(before):
            return False
        try:
            change(before[index])
        except (KeyError, IndexError, TypeError, AttributeError):
            return False
    return _same(before, after)


def _same(a: Any, b: Any) -> bool:
    try:
        return json.dumps(a, sort_keys=True, default=str) == json.dumps(
            b, sort_keys=True, default=str
        )
    except (TypeError, ValueError):
        return bool(a == b)


# --- nodes --------------------------------------------------------------------------------


def scalar(node: Node | None) -> str | None:
    return node.value if isinstance(node, ScalarNode) else None


def entries(node: Node | None) -> list[tuple[Node, Node]]:
    return list(node.value) if isinstance(node, MappingNode) else []


def entry(node: Node | None, key: str) -> tuple[int, Node, Node] | None:
    for i, (k, v) in enumerate(entries(node)):
        if scalar(k) == key:
            return i, k, v
    return None


def child(node: Node | None, *keys: str) -> Node | None:
    for key in keys:
        found = entry(node, key)
        if found is None:
            return None
        node = found[2]
    return node


def pos(node: Node) -> tuple[int, int]:
    """1-based line and column where a node starts."""
    return node.start_mark.line + 1, node.start_mark.column + 1


def documents(src: Source) -> Iterator[tuple[int, MappingNode]]:
    for i, root in enumerate(src.roots):
        if isinstance(root, MappingNode):
            yield i, root


def content_end(node: Node) -> int:
    """Where the text of a node ends: a block collection ends with its last item (ruamel's own
    end mark is the start of whatever follows, comments included)."""
    if isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        last: Any = node.value[-1]
        return content_end(last[1] if isinstance(node, MappingNode) else last)
    end: int = node.end_mark.index
    return end


def _check_own(src: Source, key: Node, value: Node) -> None:
    """An alias points at another node's text: such an entry is not edited."""
    if value.start_mark.index < key.end_mark.index or content_end(value) < value.start_mark.index:
        raise Unfixable("alias")


# --- writing scalars ----------------------------------------------------------------------


def quoted(text: str, style: str | None) -> str:
    """`text` as a YAML scalar, in the style of the one it replaces when it can (libyaml
    calls the plain style "", ruamel.yaml None)."""
    style = style or None
    if style == '"':
        return json.dumps(text, ensure_ascii=False)
    if style is None and _PLAIN.fullmatch(text) and _reads_as(text, text):
        return text
    return "'" + text.replace("'", "''") + "'"


def _reads_as(written: str, meant: str) -> bool:
    """Whether YAML 1.1, as Kubernetes tools read it (`yes`, `on`, `0777` are not strings),
    reads the plain scalar `written` as the string `meant`."""
    return plain_documents(f"k: {written}\n") == [{"k": meant}]


def replace_scalar(node: Node, new: str) -> Edit:
    if not isinstance(node, ScalarNode) or node.style not in (None, "", "'", '"'):
        raise Unfixable("not a one-line scalar")
    return node.start_mark.index, node.end_mark.index, quoted(new, node.style)


# --- mapping entries ----------------------------------------------------------------------


def delete_entry(src: Source, mapping: Node, index: int) -> Edit:
    """Delete entry `index` of a mapping, with its line (block style) or its comma (flow)."""
    if not isinstance(mapping, MappingNode):
        raise Unfixable("not a mapping")
    pairs = entries(mapping)
    if len(pairs) < 2:
        raise Unfixable("the mapping would be left empty")
    key, value = pairs[index]
    _check_own(src, key, value)
    text = src.text
    if mapping.flow_style:
        if index + 1 < len(pairs):
            return key.start_mark.index, pairs[index + 1][0].start_mark.index, ""
        return content_end(pairs[index - 1][1]), content_end(value), ""
    start = src.line_start(key.start_mark.index)
    if text[start : key.start_mark.index].strip():
        raise Unfixable("the key does not start its line")
    end = src.after_line(content_end(value))
    if index + 1 < len(pairs) and pairs[index + 1][0].start_mark.index < end:
        raise Unfixable("the next key is on the same line")
    return start, end, ""


def insert_entry(
    src: Source, mapping: Node, key: str, value: str, *, style: str | None, comment: str = ""
) -> Edit:
    """Add `key: value` (value a scalar) at the end of a mapping, with an end-of-line
    `comment` ("   # ...") when it is in block style."""
    start, end, text = _insert(src, mapping, quoted(key, None), quoted(value, style), None)
    if comment and text.endswith(src.newline) and not getattr(mapping, "flow_style", False):
        text = text[: -len(src.newline)] + comment + src.newline
    return start, end, text


def line_comment(src: Source, node: Node) -> str:
    """The comment at the end of the line a scalar ends on (with the blanks before it)."""
    end = content_end(node)
    rest = src.text[end : src.after_line(end)].rstrip("\r\n")
    return rest if rest.strip().startswith("#") else ""


def insert_mapping(
    src: Source, mapping: Node, key: str, inner: tuple[str, str, str | None]
) -> Edit:
    """Add `key:` holding the one entry `inner` (key, value, value style) to a mapping."""
    ikey, ivalue, istyle = inner
    written = (quoted(ikey, None), quoted(ivalue, istyle))
    return _insert(src, mapping, quoted(key, None), None, written)


def _insert(
    src: Source, mapping: Node, key: str, value: str | None, inner: tuple[str, str] | None
) -> Edit:
    if not isinstance(mapping, MappingNode):
        raise Unfixable("not a mapping")
    pairs = entries(mapping)
    if mapping.flow_style or not pairs:
        body = f"{inner[0]}: {inner[1]}" if inner else ""
        item = f"{key}: {{{body}}}" if inner else f"{key}: {value}"
        if not pairs:
            close = mapping.end_mark.index - 1
            if src.text[close : close + 1] != "}":
                raise Unfixable("an empty mapping not written {}")
            return close, close, item
        return content_end(pairs[-1][1]), content_end(pairs[-1][1]), f", {item}"
    first = pairs[0][0]
    indent = first.start_mark.column
    at = src.after_line(content_end(pairs[-1][1]))
    nl = src.newline
    lead = "" if at == 0 or src.text[at - 1] == "\n" else nl
    if inner is None:
        return at, at, f"{lead}{' ' * indent}{key}: {value}{nl}"
    step = _step(pairs, indent)
    return (
        at,
        at,
        f"{lead}{' ' * indent}{key}:{nl}{' ' * (indent + step)}{inner[0]}: {inner[1]}{nl}",
    )


def _step(pairs: list[tuple[Node, Node]], indent: int) -> int:
    """The indentation step of a block mapping's nested block mappings (2 when none)."""
    for _, v in pairs:
        if isinstance(v, MappingNode) and not v.flow_style and v.value:
            step = v.value[0][0].start_mark.column - indent
            if step > 0:
                return int(step)
    return 2


def rename_key(key: Node, new: str) -> Edit:
    return replace_scalar(key, new)


# --- sequence items -----------------------------------------------------------------------


def delete_item(src: Source, seq: Node, index: int) -> Edit:
    """Delete item `index` of a sequence of scalars, with its line (block) or comma (flow)."""
    if not isinstance(seq, SequenceNode) or len(seq.value) < 2:
        raise Unfixable("the sequence would be left empty")
    items: list[Node] = list(seq.value)
    item = items[index]
    if not isinstance(item, ScalarNode):
        raise Unfixable("not a scalar item")
    if seq.flow_style:
        if index + 1 < len(items):
            return item.start_mark.index, items[index + 1].start_mark.index, ""
        return content_end(items[index - 1]), content_end(item), ""
    start = src.line_start(item.start_mark.index)
    if not re.fullmatch(r"[ \t]*-[ \t]+", src.text[start : item.start_mark.index]):
        raise Unfixable("the item does not start its line")
    end = src.after_line(content_end(item))
    if index + 1 < len(items) and items[index + 1].start_mark.index < end:
        raise Unfixable("the next item is on the same line")
    return start, end, ""
