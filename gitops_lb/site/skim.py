"""Skim a site spec file: the file with everything but what the site summaries need blanked out.

`render --cluster SITE/CLUSTER` checks only the files of SITE. The rules that compare sites
(site-duplicate-name, site-pool-overlap) still need every other site's summary (its name and
its pools' addresses, gitops_lb.site.summary), and reading the whole of every other file is
most of what render used to cost in a large repository.

skim() keeps, line for line, the parts of each document a summary needs and the required
fields that make it a site: apiVersion, kind, metadata, spec.platform, spec.bgpMode,
spec.metallb, spec.argocd, and of each cluster its first line, name, server and pools. Every
other line becomes an empty line, so the text has the same lines and columns as the file: the
real loader (gitops_lb.yamlload) reads it, the real model validates it and lowering makes the
same pools, at the same positions, as from the whole file.

The structure is found from indentation, so skim() reads only block-style YAML it can be sure
of. Anything else makes it return None and the caller reads the whole file: a block scalar,
an anchor, alias or tag, a tab, a quote not closed on its line, flow style where structure is
looked for, a document whose top level is not `key:` lines.
"""

from __future__ import annotations

import re

# a block scalar (| or >), an anchor, alias or tag: the structure cannot be read from lines
_BLOCK_SCALAR = re.compile(r"(?m)(?:^|[:\-?][ \t]+)[|>][-+0-9]*[ \t]*(?:#.*)?$")
_NODE_PROPERTY = re.compile(r"(?m)(?:^|[\s\[{,])[&*!]")
_DOC_MARK = re.compile(r"\n(?:---|\.\.\.)(?=[ \t\r\n]|$)([^\n]*)")
_TOP_LINE = re.compile(r"\n(?![#\s])(\S[^\n]*)")
_KEY = re.compile(r"([A-Za-z][A-Za-z0-9_-]*):(?:[ \t]+(.*))?$")
_CONTENT = re.compile(r"\n( *)(?!#)(\S[^\n]*)")
_SHALLOW: dict[int, re.Pattern[str]] = {}


def _shallow(indent: int) -> re.Pattern[str]:
    """Content lines indented by at most `indent` spaces (deeper lines fail fast, in C). Like
    every line pattern here it matches from the newline before the line: search from
    _before(start); the line starts at match.start() + 1."""
    found = _SHALLOW.get(indent)
    if found is None:
        found = _SHALLOW[indent] = re.compile(rf"\n( {{0,{indent}}})(?![#\s])(\S[^\n]*)")
    return found


def _unsure(text: str) -> bool:
    """Whether the text has what lines cannot tell the structure of. A quoted scalar that goes
    on over several lines is not looked for (that costs as much as the rest of skim()): its
    lines are blanked with the region they are in, and a kept region cut inside one is a
    syntax error when the skim is read, which makes the caller read the whole file."""
    if "\t" in text:
        return True
    if ("|" in text or ">" in text) and _BLOCK_SCALAR.search(text):
        return True
    return bool(("&" in text or "*" in text or "!" in text) and _NODE_PROPERTY.search(text))


SPEC_KEPT = frozenset({"platform", "bgpMode", "metallb", "argocd"})
CLUSTER_KEPT = frozenset({"name", "server"})
POOL_KEPT = frozenset({"name", "addresses"})


class _Unsure(Exception):
    """The skimmer cannot be sure of the structure: read the whole file."""


def skim(text: str) -> str | None:
    """The text with only what the summaries need (same lines and columns), or None."""
    text = "\n" + text  # every line pattern matches from the newline before its line
    if _unsure(text):
        return None
    keep: list[tuple[int, int]] = []
    try:
        start = 1
        for m in _DOC_MARK.finditer(text):
            if _content(m.group(1)):
                raise _Unsure  # `--- {...}`, `--- !tag`: content on the marker line
            _document(text, start, m.start() + 1, keep)
            keep.append((m.start() + 1, _line_end(text, m.end())))
            start = _line_end(text, m.end())
        _document(text, start, len(text), keep)
    except _Unsure:
        return None
    return _mask(text, keep)[1:]


def _content(rest: str) -> bool:
    rest = rest.strip()
    return bool(rest) and not rest.startswith("#")


def _before(start: int) -> int:
    """Where to search for lines from `start` (a line start; skim() gives the text a leading
    newline, so there is always one before it)."""
    return start - 1


def _line_end(text: str, pos: int) -> int:
    """The offset after the newline ending the line at pos (the text's end on its last line)."""
    n = text.find("\n", pos)
    return len(text) if n < 0 else n + 1


def _mask(text: str, keep: list[tuple[int, int]]) -> str:
    out: list[str] = []
    at = 0
    for a, b in sorted(keep):  # disjoint whole lines, by construction
        if a > at:
            out.append("\n" * text.count("\n", at, a))
        out.append(text[a:b])
        at = b
    out.append("\n" * text.count("\n", at))
    return "".join(out)


def _keys(text: str, start: int, end: int, indent: int) -> list[tuple[str, int, int, str]]:
    """The `key:` lines at `indent` between start and end: (key, line start, region end, rest
    of the line); every content line at or left of `indent` must be one of them."""
    found: list[tuple[str, int, int, str]] = []
    for m in _shallow(indent).finditer(text, _before(start), end):
        width = len(m.group(1))
        if width < indent:
            raise _Unsure
        if found and (m.group(2) == "-" or m.group(2).startswith("- ")):
            continue  # an entry of the previous key's list, written at the key's indentation
        k = _KEY.match(m.group(2))
        if k is None:
            raise _Unsure
        found.append((k.group(1), m.start() + 1, 0, k.group(2) or ""))
    out = []
    for i, (key, a, _, rest) in enumerate(found):
        b = found[i + 1][1] if i + 1 < len(found) else end
        out.append((key, a, b, rest))
    return out


def _child_indent(text: str, start: int, end: int) -> int | None:
    """The indentation of the first content line between start and end (None: there is none)."""
    m = _CONTENT.search(text, _before(start), end)
    return None if m is None else len(m.group(1))


def _document(text: str, start: int, end: int, keep: list[tuple[int, int]]) -> None:
    tops: list[tuple[str, int]] = []
    for m in _TOP_LINE.finditer(text, _before(start), end):
        k = _KEY.match(m.group(1))
        if k is None:
            raise _Unsure  # a top-level list or scalar
        tops.append((k.group(1), m.start() + 1))
    for i, (key, a) in enumerate(tops):
        b = tops[i + 1][1] if i + 1 < len(tops) else end
        if key != "spec":
            keep.append((a, b))
            continue
        line = _line_end(text, a)
        if _content(text[a + len("spec:") : line]):
            keep.append((a, b))  # spec: null, a flow mapping...: kept whole, read as written
            continue
        keep.append((a, line))
        _spec(text, line, b, keep)


def _spec(text: str, start: int, end: int, keep: list[tuple[int, int]]) -> None:
    indent = _child_indent(text, start, end)
    if indent is None:
        return
    if indent == 0:
        raise _Unsure
    for key, a, b, rest in _keys(text, start, end, indent):
        if key in SPEC_KEPT:
            keep.append((a, b))
        elif key == "clusters":
            line = _line_end(text, a)
            if _content(rest):
                keep.append((a, b))  # `clusters: []` or a flow list: kept whole
                continue
            keep.append((a, line))
            _clusters(text, line, b, indent, keep)


def _clusters(text: str, start: int, end: int, parent: int, keep: list[tuple[int, int]]) -> None:
    """The clusters: of each its first key, name, server, and of its pools their first key,
    name and addresses."""
    for key_col, keys in _items(text, start, end, parent):
        for n, (key, ka, kb, rest) in enumerate(keys):
            if key == "pools" and not _content(rest):
                line = _line_end(text, ka)
                keep.append((ka, line))
                for _, pool_keys in _items(text, line, kb, key_col):
                    keep.extend(
                        (x, y)
                        for i, (k, x, y, _) in enumerate(pool_keys)
                        if i == 0 or k in POOL_KEPT
                    )
            elif n == 0 or key in CLUSTER_KEPT or key == "pools":
                keep.append((ka, kb))  # `pools: []`, a flow list: kept whole


def _items(
    text: str, start: int, end: int, parent: int
) -> list[tuple[int, list[tuple[str, int, int, str]]]]:
    """The entries of a block list of mappings between start and end, under a key at
    `parent`: (column of its keys, its keys as _keys() gives them, the first one's region
    starting at the entry's `- `). One pass over the lines at most as deep as the keys."""
    head = _CONTENT.search(text, _before(start), end)
    if head is None:
        return []
    indent = len(head.group(1))
    if indent < parent or not head.group(2).startswith("- "):
        raise _Unsure
    body = head.group(2)[2:]
    key_col = indent + 2 + len(body) - len(body.lstrip(" "))
    out: list[tuple[int, list[tuple[str, int, int, str]]]] = []
    keys: list[tuple[str, int, int, str]] = []
    for m in _shallow(key_col).finditer(text, _before(start), end):
        width, line, at = len(m.group(1)), m.group(2), m.start() + 1
        if width == indent:
            if not line.startswith("- "):
                raise _Unsure
            rest = line[2:]
            if indent + 2 + len(rest) - len(rest.lstrip(" ")) != key_col:
                raise _Unsure
            line = rest.lstrip(" ")
            keys = []
            out.append((key_col, keys))
        elif width != key_col or not keys:
            raise _Unsure
        elif line == "-" or line.startswith("- "):
            continue  # an entry of the previous key's list, written at the key's indentation
        k = _KEY.match(line)
        if k is None:
            raise _Unsure  # `- {name: ...}`, `-` alone, a scalar
        if out:
            _close(out, at)
        keys.append((k.group(1), at, end, k.group(2) or ""))
    return out


def _close(out: list[tuple[int, list[tuple[str, int, int, str]]]], at: int) -> None:
    """End the region of the last key found so far at `at`."""
    for _, keys in reversed(out):
        if keys:
            key, a, _, rest = keys[-1]
            keys[-1] = (key, a, at, rest)
            return
