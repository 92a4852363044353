"""Load multi-document YAML keeping the line and column of every key and value.

Parsing uses libyaml through PyYAML's C composer when available (node positions come with the
nodes); the Python objects are built here so that duplicate keys, alias bombs and runaway nesting
are reported as findings instead of being silently accepted or crashing.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from gitops_lb.diagnostics import Directive, Location, PathPart

try:  # pragma: no branch - depends on how PyYAML was built
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - a PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

STR_TAG = "tag:yaml.org,2002:str"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"
_TAG_MEMO_SIZE = 50_000


class FastLoader(_Loader):
    """The libyaml composer with a quicker implicit-tag resolver.

    libyaml calls back into Python's resolver for every node; PyYAML's tries each regular
    expression for the value's first character. A plain scalar's tag depends only on its text,
    so the answer is remembered (keys and most values repeat across objects), and text whose
    first character starts no implicit type (most names) is a string straight away.
    """

    _implicit = frozenset(k for k in _Loader.yaml_implicit_resolvers if k)
    _memo: dict[str, str] = {}  # noqa: RUF012 - shared by every loader on purpose

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is SequenceNode:
            return SEQ_TAG
        if kind is MappingNode:
            return MAP_TAG
        if not implicit[0] or (value and value[0] not in self._implicit):
            return STR_TAG
        memo = self._memo
        tag = memo.get(value)
        if tag is None:
            tag = STR_TAG
            table = self.yaml_implicit_resolvers
            for candidate, regexp in table.get(value[:1], []) + table.get(None, []):
                if regexp.match(value):
                    tag = candidate
                    break
            if len(memo) >= _TAG_MEMO_SIZE:
                memo.clear()
            memo[value] = tag
        return tag

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass  # no path resolvers are registered: nothing to track

    def ascend_resolver(self) -> None:
        pass


Pos = tuple[int, int]

MAX_DEPTH = 200
MAX_EXPANDED = 1_000_000  # nodes after alias expansion ...
ALIAS_RATIO = 20  # ... and that many times the nodes written: a "billion laughs" document
YAML_SUFFIXES = (".yaml", ".yml")
MAX_FILE_MIB = 8  # default largest input file; GITOPS_LB_MAX_FILE_MIB overrides it
MAX_FILE_ENV = "GITOPS_LB_MAX_FILE_MIB"


class LocMap(dict[str, Any]):
    """A mapping that remembers where it, its keys and its values were written."""

    __slots__ = ("kpos", "pos", "vpos")

    def __init__(self, pos: Pos = (1, 1)) -> None:
        super().__init__()
        self.pos = pos
        self.kpos: dict[str, Pos] = {}
        self.vpos: dict[str, Pos] = {}


class LocSeq(list[Any]):
    """A sequence that remembers where it and each item were written."""

    __slots__ = ("ipos", "pos")

    def __init__(self, pos: Pos = (1, 1)) -> None:
        super().__init__()
        self.pos = pos
        self.ipos: list[Pos] = []


@dataclass(frozen=True, slots=True)
class LoadIssue:
    rule: str
    location: Location
    message: str
    fatal: bool = False  # the input could not be read at all


@dataclass(slots=True)
class Document:
    file: str
    index: int
    data: Any
    pos: Pos


@dataclass(slots=True)
class LoadedFile:
    path: str
    documents: list[Document] = field(default_factory=list)
    issues: list[LoadIssue] = field(default_factory=list)
    lost: int = 0  # documents (or the rest of the file) that could not be parsed
    directives: list[Directive] = field(default_factory=list)  # suppression comments


def locate(root: Any, path: Sequence[PathPart], *, key: bool = False) -> tuple[Pos, bool]:
    """Position of `path` inside `root`; the deepest known ancestor when part of it is missing.

    Returns (position, exact). With key=True the position of the last mapping key is returned
    (where an unknown field is written) instead of its value.
    """
    node = root
    pos: Pos = getattr(root, "pos", (1, 1))
    for i, part in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, LocMap) and isinstance(part, str) and part in node:
            pos = node.kpos[part] if (key and last) else node.vpos[part]
            node = node[part]
        elif isinstance(node, LocSeq) and isinstance(part, int) and 0 <= part < len(node):
            pos = node.ipos[part]
            node = node[part]
        else:
            return pos, False
    return pos, True


def positions_only(doc: Any, path: Sequence[PathPart]) -> LocMap:
    """A LocMap chain holding just what `locate(doc, path)` needs, without the rest of doc."""
    root = LocMap(getattr(doc, "pos", (1, 1)))
    node, copy = doc, root
    for i, part in enumerate(path):
        if not (isinstance(node, LocMap) and isinstance(part, str) and part in node):
            break
        value = node[part]
        last = i == len(path) - 1
        child: Any = value if last or not isinstance(value, LocMap) else LocMap(value.pos)
        copy[part] = child
        copy.kpos[part] = node.kpos[part]
        copy.vpos[part] = node.vpos[part]
        if not isinstance(child, LocMap) or last:
            break
        node, copy = value, child
    return root


def plain(value: Any) -> Any:
    """A copy with LocMap/LocSeq replaced by dict/list (for output and comparison)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


class Builder:
    """Turns composed YAML nodes into LocMap/LocSeq/scalars.

    An alias shares the object built for its anchor, so building is linear in the size of the
    text; the size the document would have with every alias expanded is computed separately and
    bounded, because everything downstream walks the expanded tree.
    """

    _ctor = yaml.constructor.SafeConstructor()

    def __init__(self, file: str, issues: list[LoadIssue]) -> None:
        self.file = file
        self.issues = issues
        self.built: dict[int, Any] = {}
        self.sizes: dict[int, int] = {}
        self.aliased = False

    def issue(self, rule: str, node: Node, message: str) -> None:
        mark = node.start_mark
        self.issues.append(
            LoadIssue(rule, Location(self.file, mark.line + 1, mark.column + 1), message)
        )

    def expanded_size(self, node: Node, depth: int = 0) -> int:
        if isinstance(node, ScalarNode):
            return 1
        known = self.sizes.get(id(node))
        if known is not None:
            return known
        if depth > MAX_DEPTH:
            raise TooBig(node, f"document is nested more than {MAX_DEPTH} levels deep")
        total = 1
        if isinstance(node, SequenceNode):
            for item in node.value:
                total += self.expanded_size(item, depth + 1)
        else:
            for knode, vnode in node.value:
                total += self.expanded_size(knode, depth + 1) + self.expanded_size(vnode, depth + 1)
        self.sizes[id(node)] = total
        return total

    def document(self, node: Node) -> Any:
        self.built.clear()
        self.sizes.clear()
        self.aliased = False
        data = self.build(node)
        if self.aliased:  # only then can the expanded tree be larger than the text
            size = self.expanded_size(node)
            if size > MAX_EXPANDED and size > ALIAS_RATIO * len(self.sizes):
                raise TooBig(
                    node,
                    f"aliases expand this document to {size} nodes from {len(self.sizes)} "
                    "(an alias bomb?)",
                )
        return data

    def objects(self, node: Node) -> list[Node]:
        """The objects of a document: one, or several when its top-level mapping repeats
        apiVersion or kind, i.e. objects written one after the other without `---` between
        them. That is reported once per missing `---` (instead of once per repeated key) and
        each object is read on its own, so that none is lost."""
        if not isinstance(node, MappingNode):
            return [node]
        pairs = node.value
        groups: list[list[tuple[Node, Node]]] = [[]]
        seen: set[str] = set()
        for i, (knode, vnode) in enumerate(pairs):
            key = knode.value if isinstance(knode, ScalarNode) else None
            if key in seen and starts_object(pairs, i, seen):
                groups.append([])
                seen = set()
            groups[-1].append((knode, vnode))
            if isinstance(key, str):
                seen.add(key)
        if len(groups) == 1:
            return [node]
        out: list[Node] = []
        for n, group in enumerate(groups):
            first = group[0][0]
            start = node.start_mark
            if n:
                start = first.start_mark
                self.issue(
                    "yaml-duplicate-key",
                    first,
                    f"two objects in one document: add `---` before line {start.line + 1} "
                    "(without it, Kubernetes reads one object with duplicate keys)",
                )
            out.append(MappingNode(node.tag, group, start, group[-1][1].end_mark))
        return out

    def build(self, node: Node, depth: int = 0) -> Any:
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if depth >= MAX_DEPTH:  # everything downstream recurses: stop before it can overflow
            raise TooBig(node, f"document is nested more than {MAX_DEPTH} levels deep")
        done = self.built.get(id(node))
        if done is not None:
            self.aliased = True
            return done
        pos = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, SequenceNode):
            seq = LocSeq(pos)
            self.built[id(node)] = seq
            for item in node.value:
                seq.append(self.build(item, depth + 1))
                seq.ipos.append((item.start_mark.line + 1, item.start_mark.column + 1))
            return seq
        assert isinstance(node, MappingNode)
        mapping = LocMap(pos)
        self.built[id(node)] = mapping
        merged: list[tuple[Node, Node]] = []
        for knode, vnode in node.value:
            if knode.tag == "tag:yaml.org,2002:merge":
                merged.extend(self._merge_source(vnode))
                continue
            self._put(mapping, knode, vnode, depth)
        for knode, vnode in merged:  # explicit keys win over merged ones
            if isinstance(knode, ScalarNode) and knode.value not in mapping:
                self._put(mapping, knode, vnode, depth)
        return mapping

    def _merge_source(self, vnode: Node) -> list[tuple[Node, Node]]:
        if isinstance(vnode, MappingNode):
            return list(vnode.value)
        if isinstance(vnode, SequenceNode):
            out: list[tuple[Node, Node]] = []
            for item in vnode.value:
                if isinstance(item, MappingNode):
                    out.extend(item.value)
            return out
        self.issue("yaml-syntax", vnode, "a merge key (<<) needs a mapping or a list of mappings")
        return []

    def _put(self, mapping: LocMap, knode: Node, vnode: Node, depth: int) -> None:
        if not isinstance(knode, ScalarNode):
            self.issue("yaml-syntax", knode, "mapping keys must be plain strings")
            return
        key = str(knode.value)
        if key in mapping:
            first = mapping.kpos[key]
            self.issue(
                "yaml-duplicate-key",
                knode,
                f"duplicate key {key!r} (first defined at line {first[0]}); "
                "Kubernetes keeps only the last value",
            )
        mapping[key] = self.build(vnode, depth + 1)
        mapping.kpos[key] = (knode.start_mark.line + 1, knode.start_mark.column + 1)
        mapping.vpos[key] = (vnode.start_mark.line + 1, vnode.start_mark.column + 1)

    def scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == STR_TAG:
            return node.value
        ctor = self._ctor
        if tag in (_INT, _FLOAT) and ":" in node.value:
            return node.value  # YAML 1.1 base 60 (1:30 = 90): Kubernetes reads a string
        try:
            if tag == "tag:yaml.org,2002:int":
                return ctor.construct_yaml_int(node)
            if tag == "tag:yaml.org,2002:float":
                return ctor.construct_yaml_float(node)
            if tag == "tag:yaml.org,2002:bool":
                return ctor.construct_yaml_bool(node)
            if tag == "tag:yaml.org,2002:null":
                return None
        except (ValueError, yaml.YAMLError):  # pragma: no cover - resolver and constructor agree
            return node.value
        return node.value  # timestamps, binary and custom tags stay text


_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


OBJECT_KEYS = ("apiVersion", "kind")


def starts_object(pairs: Sequence[tuple[Node, Node]], i: int, seen: set[str]) -> bool:
    """The key at pairs[i], which the object so far (`seen`) has, starts another object:
    apiVersion or kind comes again before any key of the new object repeats."""
    new: set[str] = set()
    for knode, _ in pairs[i:]:
        key = knode.value if isinstance(knode, ScalarNode) else None
        if not isinstance(key, str):
            continue
        if key in new:
            return False
        if key in OBJECT_KEYS and key in seen:
            return True
        new.add(key)
    return False


LFS_POINTER = b"version https://git-lfs.github.com/spec/"


class TooBig(Exception):
    def __init__(self, node: Node, message: str) -> None:
        super().__init__(message)
        self.node = node


def decode(raw: bytes, file: str) -> tuple[str | None, LoadIssue | None]:
    """Bytes to text: UTF-8 (with or without BOM) only, as Kubernetes expects.

    A file in another encoding cannot be read at all, so its issue is fatal (exit status 3,
    "could not run: unreadable input"), like a missing or unreadable file."""
    if raw.startswith(LFS_POINTER) and len(raw) < 1024:
        return None, LoadIssue(
            "file-unreadable",
            Location(file),
            "file is a Git LFS pointer, not its content (install git-lfs and run "
            "`git lfs pull`); not read",
            fatal=True,
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, LoadIssue(
            "file-encoding",
            Location(file),
            "file is UTF-16 encoded; save it as UTF-8",
            fatal=True,
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, LoadIssue(
            "file-encoding",
            Location(file, line, col),
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            fatal=True,
        )
    return text, None


# --- suppression comments (docs/suppressions.md; applied by gitops_lb.suppress) -----------

MARK = "gitops-lb:"
# a YAML comment starts at the line's start or after a blank
_DIRECTIVE = re.compile(r"(?:^|(?<=[ \t]))#[ \t]*gitops-lb:[ \t]*(disable-file|disable)\b(.*)$")
_RULES = re.compile(r"[ \t]*=[ \t]*([^#]*)")


def _rules(rest: str) -> tuple[str, ...]:
    m = _RULES.match(rest)
    if m is None:
        return ()
    return tuple(r for r in (part.strip() for part in m.group(1).split(",")) if r)


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def find_directives(text: str, file: str) -> list[Directive]:
    """Every suppression comment of a file's text, in line order."""
    if MARK not in text:  # nearly every file: no scan
        return []
    lines = text.splitlines()
    out: list[Directive] = []
    for n, raw in enumerate(lines, 1):
        if MARK not in raw:
            continue
        m = _DIRECTIVE.search(raw)
        if m is None:
            continue
        kind, rules = m.group(1), _rules(m.group(2))
        where = Location(file, n, m.start() + 1)
        if kind == "disable-file":
            out.append(Directive(where, rules, None))
        elif _is_content(raw[: m.start()]):
            out.append(Directive(where, rules, n))
        else:  # alone on its line: the next line that is not blank or a comment
            target = next(
                (i for i in range(n + 1, len(lines) + 1) if _is_content(lines[i - 1])), n + 1
            )
            out.append(Directive(where, rules, target))
    return out


def load_text(text: str, file: str) -> LoadedFile:
    """Every document of a text. After a syntax error, reading goes on at the next `---`
    line, so that one broken document hides none of the others (LoadedFile.lost counts the
    documents lost)."""
    out = LoadedFile(file, directives=find_directives(text, file))
    builder = Builder(file, out.issues)
    lines: list[str] | None = None
    part, start, index = text, 1, 0
    while True:
        index, stopped = _load_part(part, out, builder, index)
        if stopped is None:
            return out
        out.lost += 1
        if lines is None:
            lines = text.splitlines(keepends=True)
        at = _next_separator(lines, max(stopped, start + 1))
        if at is None:
            return out
        # the lines before it are kept as empty lines: positions stay those of the file
        part, start, index = "\n" * (at - 1) + "".join(lines[at - 1 :]), at, index + 1


def _next_separator(lines: list[str], line: int) -> int | None:
    """The first line from `line` on (1-based) that starts a document (`---`)."""
    for n in range(line, len(lines) + 1):
        here = lines[n - 1]
        if here.startswith("---") and (len(here) == 3 or here[3] in " \t\r\n#"):
            return n
    return None


def _load_part(text: str, out: LoadedFile, builder: Builder, index: int) -> tuple[int, int | None]:
    """Load documents of `text` into `out` (numbered from `index`): (next index, the line of
    a syntax error that stopped reading, else None)."""
    file = out.path
    loader = FastLoader(text)
    try:
        while loader.check_node():
            root = loader.get_node()
            if root is None:  # pragma: no cover - check_node said there is one
                break
            for node in builder.objects(root):
                try:
                    data = builder.document(node)
                except TooBig as exc:
                    builder.issue("yaml-too-complex", exc.node, str(exc))
                    data = None
                    out.lost += 1
                except RecursionError:
                    builder.issue("yaml-too-complex", node, "document is nested too deeply")
                    data = None
                    out.lost += 1
                pos = (node.start_mark.line + 1, node.start_mark.column + 1)
                out.documents.append(Document(file, index, data, pos))
            index += 1
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        tab = tab_at(text, line, col)
        if tab is not None:
            line, col = tab
            problem = "a tab character here: YAML forbids tabs for indentation; indent with spaces"
        out.issues.append(LoadIssue("yaml-syntax", Location(file, line, col), f"YAML: {problem}"))
        return index, line
    except yaml.reader.ReaderError as exc:  # control characters, NUL bytes
        out.issues.append(
            LoadIssue(
                "yaml-syntax",
                _offset_location(text, exc.position, file),
                f"YAML: unacceptable character #x{ord(exc.character):04x}: {exc.reason}"
                if isinstance(exc.character, str)
                else f"YAML: {exc.reason}",
            )
        )
        out.lost += 1
    except RecursionError:
        out.issues.append(
            LoadIssue("yaml-too-complex", Location(file), "document is nested too deeply to parse")
        )
        out.lost += 1
    finally:
        loader.dispose()
    return index, None


def tab_at(text: str, line: int, col: int) -> tuple[int, int] | None:
    """Where the tab is that caused a syntax error at line:col: one in the indentation of
    that line, or the character at line:col itself; None when no tab is to blame."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return None
    here = lines[line - 1]
    indent = here[: len(here) - len(here.lstrip(" \t"))]
    if "\t" in indent:
        return line, indent.index("\t") + 1
    if 0 < col <= len(here) and here[col - 1] == "\t":
        return line, col
    return None


def _offset_location(text: str, offset: int, file: str) -> Location:
    before = text[:offset]
    return Location(file, before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1)


def max_file_bytes() -> int:
    """The largest input file read (MAX_FILE_MIB MiB unless the environment says otherwise)."""
    try:
        mib = float(os.environ.get(MAX_FILE_ENV) or MAX_FILE_MIB)
    except ValueError:
        mib = MAX_FILE_MIB
    return int(max(mib, 0.0) * 1024 * 1024)


def too_large_message(limit: int) -> str:
    """Why a file over the limit was not read (files on disk and Git blobs alike)."""
    return (
        f"file is larger than {limit / 1048576:g} MiB and was not read (no MetalLB "
        f"configuration is that large; {MAX_FILE_ENV} raises the limit)"
    )


class _TooLarge(Exception):
    pass


def _read_limited(fh: Any, limit: int) -> bytes:
    """At most `limit` bytes; a regular file that is larger is refused without reading it."""
    try:
        info = os.fstat(fh.fileno())
    except (OSError, ValueError, AttributeError):  # a stream without a file
        info = None
    if info is not None and stat.S_ISREG(info.st_mode) and info.st_size > limit:
        raise _TooLarge
    data: bytes = fh.read(limit + 1)  # pipes, devices: stop reading past the limit
    if len(data) > limit:
        raise _TooLarge
    return data


def load_file(path: str) -> LoadedFile:
    raw = read_input(path)
    if isinstance(raw, LoadedFile):
        return raw
    return load_bytes(raw, "<stdin>" if path == "-" else path, path)


def read_input(path: str) -> bytes | LoadedFile:
    """The bytes of an input file, or a LoadedFile holding why it could not be read."""
    limit = max_file_bytes()
    name = "<stdin>" if path == "-" else path
    try:
        if path == "-":
            return _read_limited(sys.stdin.buffer, limit)
        with open(path, "rb") as fh:
            return _read_limited(fh, limit)
    except OSError as exc:
        out = LoadedFile(path)
        reason = exc.strerror or str(exc)
        out.issues.append(
            LoadIssue("file-unreadable", Location(name), f"cannot read file: {reason}", fatal=True)
        )
        return out
    except _TooLarge:
        out = LoadedFile(path)
        message = too_large_message(limit)
        out.issues.append(LoadIssue("file-unreadable", Location(name), message, fatal=True))
        return out


def load_bytes(raw: bytes, name: str, path: str | None = None) -> LoadedFile:
    """load_file() on bytes already read: `name` is the file as findings name it, `path` the
    LoadedFile's path when it differs (standard input)."""
    text, issue = decode(raw, name)
    if text is None:
        out = LoadedFile(name if path is None else path)
        assert issue is not None
        out.issues.append(issue)
        return out
    return load_text(text, name)


CONFIG_FILE = ".gitops-lb.yaml"  # gitops_lb.projectconfig; never read as an input


def _never_input(path: str) -> bool:
    return os.path.basename(path) == CONFIG_FILE


# which files found in folders are left out; the CLI sets it from the configuration file's
# `exclude` (gitops_lb.projectconfig.skip_predicate)
_SKIP: dict[str, Callable[[str], bool]] = {"file": _never_input}


def set_skip_file(predicate: Callable[[str], bool] | None) -> None:
    _SKIP["file"] = _never_input if predicate is None else predicate


def skip_file(path: str) -> bool:
    """Is `path`, found in a folder, left out of the inputs?"""
    return _SKIP["file"](path)


def expand_paths(paths: Iterable[str]) -> Iterator[tuple[str, LoadIssue | None]]:
    """Files named, and every *.yaml / *.yml below folders named, in a stable order (less
    the files skip_file() leaves out: the configuration file and its `exclude`)."""
    for raw in paths:
        if raw == "-":
            yield raw, None
            continue
        p = Path(raw)
        if p.is_dir():
            found = False
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    full = os.path.join(dirpath, name)
                    if name.endswith(YAML_SUFFIXES) and not skip_file(full):
                        found = True
                        yield full, _not_regular(full)
            if not found:
                yield (
                    raw,
                    LoadIssue(
                        "file-unreadable",
                        Location(raw),
                        "folder holds no *.yaml or *.yml file",
                        fatal=True,
                    ),
                )
        elif p.exists() or p.is_symlink():
            yield raw, None
        else:
            yield (
                raw,
                LoadIssue("file-unreadable", Location(raw), "no such file or folder", fatal=True),
            )


def _not_regular(path: str) -> LoadIssue | None:
    """A FIFO, socket or device found in a folder is not read (it could block or never end)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # a dangling link or a loop: reading it reports why
    if stat.S_ISREG(mode):
        return None
    return LoadIssue("file-unreadable", Location(path), "not a regular file; not read", fatal=True)


def load_paths(paths: Iterable[str]) -> list[LoadedFile]:
    out: list[LoadedFile] = []
    for path, problem in expand_paths(paths):
        if problem is not None:
            lf = LoadedFile(path)
            lf.issues.append(problem)
            out.append(lf)
        else:
            out.append(load_file(path))
    return out
