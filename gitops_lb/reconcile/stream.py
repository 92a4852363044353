"""A `kubectl get -o yaml` dump read as a stream: one object at a time, in bounded memory.

A dump is much larger than any configuration (`kubectl get services -A -o yaml` of a real
cluster passes 8 MiB), and reconcile keeps a small part of it. So a dump is never held whole:
libyaml parses it a chunk at a time (PyYAML's C parser, event by event), and each item of a
`List` (or each document that is not a List) is composed and built on its own, with the
reading rules of gitops_lb.yamlload (positions, merge keys, alias bombs, nesting limits),
offered to the caller's `keep`, and let go. Memory follows the largest object and what the
caller keeps, not the size of the dump.

- Text: UTF-8 (with or without BOM) only, as every reader; a control character or an invalid
  byte is reported where it is.
- Size: a dump of at most `limit` bytes, each object of at most `object_limit` (the top of a
  document without its `items` counts as one object).
- The top of a document (the List, or the object itself): `items` given more than once (two
  `kubectl get` outputs joined without `---`) has the items of each read; any other key given
  again with another value is a problem (given again with the same value, it is read once).
- Anchors and aliases work within one item of a List, or within the rest of the document;
  `kubectl` writes none.

Problems are collected as `file:line:col: message` texts; one that libyaml cannot read past
(a syntax or encoding error) ends the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, Generic, TypeVar

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from gitops_lb.diagnostics import Location

# the loader's own parts: the same libyaml parser and tag resolver, the same builder
from gitops_lb.yamlload import (
    MAX_DEPTH,
    STR_TAG,
    Builder,
    FastLoader,
    LoadIssue,
    TooBig,
    plain,
)

T = TypeVar("T")
CHUNK = 256 * 1024  # bytes read from the file at a time
# what libyaml refuses (YAML's printable set), found before libyaml sees it, so that the
# position is known without keeping the text
_CONTROL = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_FATAL_ISSUES = ("yaml-syntax", "yaml-too-complex")  # a duplicate key reads as kubectl reads it


def mib(limit: int) -> str:
    return f"{limit / 1048576:g} MiB"


class Stop(Exception):
    """The rest of the file cannot be read: `text` says where and why."""

    def __init__(self, location: Location, message: str) -> None:
        super().__init__(f"{location}: {message}")
        self.text = f"{location}: {message}"


class Text:
    """The file's bytes as text for libyaml, a chunk at a time (libyaml calls `read`).

    Counts lines and columns as it goes, so that an invalid byte or a control character is
    located without the text before it; hands libyaml the good text before a bad character and
    stops at the next read (a syntax error before it is libyaml's to report first). Refuses
    to go on once the dump passes `limit` bytes, or once the current object (set by the
    reader through `begin`) passes `object_limit` characters by more than a chunk.
    """

    def __init__(self, fh: BinaryIO, name: str, limit: int, object_limit: int) -> None:
        self.fh = fh
        self.name = name
        self.limit = limit
        self.object_limit = object_limit
        self.line = 1
        self.column = 0  # characters since the last line break
        self.byte_column = 0  # bytes since the last line break (where an invalid byte is)
        self.bytes = 0
        self.chars = 0  # characters handed to libyaml: its marks' `index`
        self.pending = b""  # the start of a character cut by the end of a chunk
        self.first = True
        self.stopped: Stop | None = None
        self.unit_start = 0
        self.unit_location = Location(name)

    def begin(self, index: int, line: int, column: int) -> None:
        """An object starts at character `index` (libyaml's 0-based line and column)."""
        self.unit_start = index
        self.unit_location = Location(self.name, line + 1, column + 1)

    def read(self, size: int = -1, /) -> str:
        """The next piece of text; "" only at the end (libyaml takes "" for the end)."""
        while True:
            if self.stopped is not None:
                raise self.stopped
            raw = self.fh.read(CHUNK)
            text = self._decode(raw)
            if text or not raw or self.stopped is not None:
                break  # else: all of raw was the start of a character cut short
        self.line, self.column = self._after(text)
        self.byte_column = self._byte_column(text)
        self.chars += len(text)
        if self.chars - self.unit_start > self.object_limit + CHUNK:  # no end in sight
            raise Stop(self.unit_location, _object_too_large(self.object_limit))
        if not text and self.stopped is not None:
            raise self.stopped
        return text

    def _decode(self, raw: bytes) -> str:
        """The good text of `raw` (after what is pending); a problem found sets `stopped`."""
        self.bytes += len(raw)
        if self.bytes > self.limit:
            raise Stop(Location(self.name), _too_large(self.limit))
        if self.first:
            self.first = False
            if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise Stop(Location(self.name), "file is UTF-16 encoded; save it as UTF-8")
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        data, self.pending = self.pending + raw, b""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            good = data[: exc.start]
            if raw and exc.reason == "unexpected end of data":
                self.pending = data[exc.start :]  # the rest of the character comes next
            else:
                line, column = self._after_bytes(good)
                self.stopped = Stop(
                    Location(self.name, line, column + 1),
                    f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                )
            text = good.decode("utf-8")
        bad = _CONTROL.search(text)
        if bad is not None:
            text = text[: bad.start()]
            line, column = self._after(text)
            self.stopped = Stop(  # in libyaml's words, as the loader reports it
                Location(self.name, line, column + 1), "YAML: control characters are not allowed"
            )
        return text

    def _after(self, text: str) -> tuple[int, int]:
        """Line and column (0-based characters) after `text`, from the current position."""
        breaks = text.count("\n")
        if not breaks:
            return self.line, self.column + len(text)
        return self.line + breaks, len(text) - text.rfind("\n") - 1

    def _byte_column(self, text: str) -> int:
        cut = text.rfind("\n")
        if cut < 0:
            return self.byte_column + len(text.encode("utf-8"))
        return len(text[cut + 1 :].encode("utf-8"))

    def _after_bytes(self, good: bytes) -> tuple[int, int]:
        breaks = good.count(b"\n")
        if not breaks:
            return self.line, self.byte_column + len(good)
        return self.line + breaks, len(good) - good.rfind(b"\n") - 1


def _too_large(limit: int) -> str:
    return (
        f"dump is larger than {mib(limit)} and was not read (GITOPS_LB_MAX_LIVE_MIB raises "
        "the limit)"
    )


def _object_too_large(limit: int) -> str:
    return (
        f"an object larger than {mib(limit)} (Kubernetes stores none that large; "
        "GITOPS_LB_MAX_FILE_MIB raises the limit)"
    )


class _Parser(FastLoader):
    """libyaml's events composed into nodes here, one object at a time."""

    def __init__(self, text: Text) -> None:
        super().__init__(text)
        self.anchors: dict[str, Node] = {}

    def next(self) -> Any:
        return self.get_event()

    def peek(self) -> Any:
        return self.peek_event()

    def node(self, depth: int) -> Node:
        """The next node, composed as PyYAML's composer does, nested at most MAX_DEPTH."""
        return self._node(self.next(), depth)

    def _node(self, event: Any, depth: int) -> Node:
        cls = type(event)
        if cls is ScalarEvent:
            return self._scalar(event)
        if cls is AliasEvent:
            found = self.anchors.get(event.anchor)
            if found is None:
                raise yaml.composer.ComposerError(
                    None, None, f"found undefined alias {event.anchor!r}", event.start_mark
                )
            return found
        get: Callable[[], Any] = self.get_event
        scalar, deeper = self._scalar, depth + 1
        end: Any
        if cls is SequenceStartEvent:
            tag = event.tag
            if tag is None or tag == "!":
                tag = self.resolve(SequenceNode, None, event.implicit)
            node: Node = SequenceNode(tag, [], event.start_mark, None, flow_style=event.flow_style)
            self._anchor(event, node)
            self._deep(node, depth)
            items = node.value
            while True:
                end = get()
                kind = type(end)
                if kind is SequenceEndEvent:
                    break
                items.append(scalar(end) if kind is ScalarEvent else self._node(end, deeper))
        elif cls is MappingStartEvent:
            node = self.mapping_start(event)
            self._deep(node, depth)
            pairs = node.value
            while True:
                end = get()
                kind = type(end)
                if kind is MappingEndEvent:
                    break
                key = scalar(end) if kind is ScalarEvent else self._node(end, deeper)
                value = get()
                pairs.append(
                    (
                        key,
                        scalar(value) if type(value) is ScalarEvent else self._node(value, deeper),
                    )
                )
        else:  # pragma: no cover - libyaml gives only well-formed event streams
            raise yaml.composer.ComposerError(
                None, None, f"unexpected {type(event).__name__}", event.start_mark
            )
        node.end_mark = end.end_mark
        return node

    def _scalar(self, event: Any) -> ScalarNode:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolve(ScalarNode, event.value, event.implicit)
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
        if event.anchor is not None:
            self._anchor(event, node)
        return node

    def mapping_start(self, event: Any) -> MappingNode:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolve(MappingNode, None, event.implicit)
        node = MappingNode(tag, [], event.start_mark, None, flow_style=event.flow_style)
        self._anchor(event, node)
        return node

    def _anchor(self, event: Any, node: Node) -> None:
        anchor = event.anchor
        if anchor is None:
            return
        if anchor in self.anchors:
            raise yaml.composer.ComposerError(
                "found duplicate anchor",
                self.anchors[anchor].start_mark,
                f"found duplicate anchor {anchor!r}; second occurrence",
                event.start_mark,
            )
        self.anchors[anchor] = node

    @staticmethod
    def _deep(node: Node, depth: int) -> None:
        if depth >= MAX_DEPTH:  # as the loader's builder: everything downstream recurses
            raise TooBig(node, f"document is nested more than {MAX_DEPTH} levels deep")


Keep = Callable[[dict[str, Any], Location], T | None]


class DumpReader(Generic[T]):
    """The objects of one dump file that `keep` keeps, in the order they are written.

    `keep(obj, location)` sees every object (the items of a List, nested Lists too, else each
    document) as built by the loader, and returns what to hold on to, or None. Afterwards,
    `documents` counts the documents that hold anything, `problems` says what could not be
    read.
    """

    def __init__(
        self, fh: BinaryIO, name: str, keep: Keep[T], *, limit: int, object_limit: int
    ) -> None:
        self.name = name
        self.keep = keep
        self.object_limit = object_limit
        self.text = Text(fh, name, limit, object_limit)
        self.documents = 0
        self.problems: list[str] = []

    def objects(self) -> Iterator[T]:
        parser = _Parser(self.text)
        try:
            parser.next()  # the stream starts
            while not parser.check_event(StreamEndEvent):
                parser.next()  # a document starts
                parser.anchors = {}
                yield from self._document(parser)
                parser.next()  # the document ends
        except Stop as exc:
            self.problems.append(exc.text)
        except TooBig as exc:
            self.problems.append(f"{self._at(exc.node)}: {exc}")
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = Location(self.name, mark.line + 1, mark.column + 1) if mark else None
            problem = exc.problem or exc.context or "invalid YAML"
            self.problems.append(f"{where or Location(self.name)}: YAML: {problem}")
        except yaml.reader.ReaderError as exc:  # pragma: no cover - Text refuses these first
            self.problems.append(f"{Location(self.name)}: YAML: {exc.reason}")
        except RecursionError:  # pragma: no cover - nesting is bounded above
            self.problems.append(f"{Location(self.name)}: document is nested too deeply")
        except OSError as exc:
            reason = exc.strerror or str(exc)
            self.problems.append(f"{Location(self.name)}: cannot read file: {reason}")
        finally:
            parser.dispose()

    def _at(self, node: Node) -> Location:
        mark = node.start_mark
        return Location(self.name, mark.line + 1, mark.column + 1)

    def _document(self, parser: _Parser) -> Iterator[T]:
        event = parser.peek()
        if type(event) is MappingStartEvent and event.anchor is None:
            yield from self._top(parser)
            return
        self._begin(event.start_mark)
        node = parser.node(0)
        data = self._build(node)
        if data is not None:
            self.documents += 1
        yield from self._kept(data)

    def _top(self, parser: _Parser) -> Iterator[T]:
        """A document that is a mapping: its `items` are read one by one as they come (the
        kind, which says whether it is a List, comes after them in kubectl's output), the
        rest is built at the end."""
        root = parser.mapping_start(parser.next())
        at = root.start_mark
        self.documents += 1
        items: list[T] = []
        listed = False
        size = 0
        while not parser.check_event(MappingEndEvent):
            # the top without its items is one object: its size so far counts
            self.text.begin(parser.peek().start_mark.index - size, at.line, at.column)
            key = parser.node(1)
            if (
                isinstance(key, ScalarNode)
                and key.value == "items"
                and key.tag == STR_TAG
                and parser.check_event(SequenceStartEvent)
            ):
                listed = True
                parser.next()
                while not parser.check_event(SequenceEndEvent):
                    items.extend(self._item(parser))
                parser.next()
                continue
            value = parser.node(1)
            root.value.append((key, value))
            size += value.end_mark.index - key.start_mark.index
        root.end_mark = parser.next().end_mark
        if size > self.object_limit:
            self.problems.append(f"{self._at(root)}: {_object_too_large(self.object_limit)}")
            return
        if not self._repeated(root):
            return
        data = self._build(root, whole=False)
        if listed and isinstance(data, dict) and str(data.get("kind", "")).endswith("List"):
            yield from items
        else:  # an object that happens to have a list named items: no kind reconcile reads
            yield from self._kept(data)

    def _item(self, parser: _Parser) -> list[T]:
        outer, parser.anchors = parser.anchors, {}  # an item is self-contained
        try:
            self._begin(parser.peek().start_mark)
            node = parser.node(2)
        finally:
            parser.anchors = outer
        return list(self._kept(self._build(node)))

    def _begin(self, mark: Any) -> None:
        self.text.begin(mark.index, mark.line, mark.column)

    def _build(self, node: Node, *, whole: bool = True) -> Any:
        """The loader's tree of `node` (None, with a problem, when it cannot be built).
        whole=False: the top of a document without its items (sized as it was read)."""
        if whole and node.end_mark.index - node.start_mark.index > self.object_limit:
            self.problems.append(f"{self._at(node)}: {_object_too_large(self.object_limit)}")
            return None
        issues: list[LoadIssue] = []
        try:
            data = Builder(self.name, issues).document(node)
        except TooBig as exc:
            issues.append(LoadIssue("yaml-too-complex", self._at(exc.node), str(exc)))
            data = None
        except RecursionError:  # pragma: no cover - nesting is bounded while composing
            issues.append(LoadIssue("yaml-too-complex", self._at(node), "nested too deeply"))
            data = None
        bad = [f"{i.location}: {i.message}" for i in issues if i.rule in _FATAL_ISSUES]
        if bad:
            self.problems.extend(bad)
            return None
        return data

    def _repeated(self, root: MappingNode) -> bool:
        """Keys at the top of a document given again with another value: two documents
        joined without `---`. Each is a problem; False when there is any."""
        first: dict[str, tuple[Node, Node]] = {}
        clashes: list[str] = []
        for key, value in root.value:
            if not isinstance(key, ScalarNode):
                continue  # the builder reports it
            name = str(key.value)
            seen = first.get(name)
            if seen is None:
                first[name] = (key, value)
            elif not self._same(seen[1], value):
                clashes.append(
                    f"{self._at(key)}: key {name!r} is given again with another value (first "
                    f"at line {seen[0].start_mark.line + 1}): two dumps joined without `---` "
                    "between them?"
                )
        self.problems.extend(clashes)
        return not clashes

    def _same(self, a: Node, b: Node) -> bool:
        issues: list[LoadIssue] = []
        try:
            left = plain(Builder(self.name, issues).document(a))
            right = plain(Builder(self.name, issues).document(b))
        except (TooBig, RecursionError):
            return False
        return bool(left == right)

    def _kept(self, data: Any) -> Iterator[T]:
        for obj in _objects(data):
            pos = getattr(obj, "pos", (1, 1))
            kept = self.keep(obj, Location(self.name, pos[0], pos[1]))
            if kept is not None:
                yield kept


def _objects(data: Any) -> Iterator[dict[str, Any]]:
    """The objects of a document: the items of a `...List` (nested lists too), else the
    document itself when it is a mapping (as state.objects_in, on the loader's tree)."""
    if not isinstance(data, dict):
        return
    items = data.get("items")
    if str(data.get("kind", "")).endswith("List") and isinstance(items, list):
        for item in items:
            yield from _objects(item)
    else:
        yield data
