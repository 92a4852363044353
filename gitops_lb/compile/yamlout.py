"""A small deterministic YAML writer for the compiled tree.

Only what manifests hold is supported: mappings with string keys, sequences, strings, integers,
booleans and null. The same data always gives the same bytes: keys in a fixed order (the
Kubernetes head keys first, then sorted), two-space indentation, LF line endings, no anchors,
no timestamps. A string is written plain only when every YAML 1.1 and 1.2 reader takes it back
as that same string; otherwise it is double-quoted (or a literal block when it spans lines).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import yaml
from yaml.nodes import ScalarNode

# keys that come first, in this order, wherever they appear; the rest are sorted
HEAD_KEYS = ("apiVersion", "kind", "metadata", "name", "namespace", "spec")
_HEAD_RANK = {k: i for i, k in enumerate(HEAD_KEYS)}

_PLAIN = re.compile(r"[A-Za-z0-9_./][A-Za-z0-9_./:@+=~ -]*")
_YAML12_SPECIAL = re.compile(
    r"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?"  # numbers
    r"|0o[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+"  # 1.2 / 1.1 prefixed integers
    r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*"  # dates and timestamps
    r"|y|Y|n|N|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF"
    r"|true|True|TRUE|false|False|FALSE|null|Null|NULL|~"
)
_RESOLVE: Callable[..., str] = yaml.resolver.Resolver().resolve
_STR_TAG = "tag:yaml.org,2002:str"


def _printable(ch: str) -> bool:
    """YAML's printable set (c-printable), minus the byte-order mark and the YAML 1.1 line
    breaks NEL, LS and PS (written escaped so that no reader breaks a line there)."""
    o = ord(ch)
    return (
        o in (0x09, 0x0A, 0x0D)
        or 0x20 <= o <= 0x7E
        or (0xA0 <= o <= 0xD7FF and o not in (0x2028, 0x2029))
        or (0xE000 <= o <= 0xFFFD and o != 0xFEFF)
        or 0x10000 <= o <= 0x10FFFF
    )


@lru_cache(maxsize=65536)  # the same keys and values come back in every object
def _is_plain_safe(s: str) -> bool:
    if not s or not _PLAIN.fullmatch(s):
        return False
    if s != s.strip() or s.endswith(":") or ": " in s or " #" in s or "  " in s:
        return False
    if _YAML12_SPECIAL.fullmatch(s):
        return False
    return _RESOLVE(ScalarNode, s, (True, False)) == _STR_TAG


def quote(s: str) -> str:
    """A double-quoted YAML scalar (JSON escapes are valid YAML escapes)."""
    out = json.dumps(s, ensure_ascii=False)
    if all(_printable(c) for c in out):
        return out
    return "".join(c if _printable(c) else _escape(c) for c in out)


def _escape(ch: str) -> str:
    o = ord(ch)
    return f"\\u{o:04x}" if o <= 0xFFFF else f"\\U{o:08x}"


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value if _is_plain_safe(value) else quote(value)
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


def _block_ok(s: str) -> bool:
    """Whether a multi-line string can be a literal block scalar that reads back the same."""
    if "\n" not in s or "\r" in s or "\t" in s or not all(_printable(c) for c in s):
        return False
    lines = s.split("\n")
    if not lines[0] or lines[0][0] == " ":
        return False  # would need an indentation indicator
    return all(line.strip(" ") or not line for line in lines)  # no blank-but-spaces lines


def _block(s: str, indent: str) -> str:
    body = s.rstrip("\n")
    trailing = len(s) - len(body)
    chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
    lines = body.split("\n") + ([""] * (trailing - 1) if trailing > 1 else [])
    text = "".join(f"{indent}{line}\n" if line else "\n" for line in lines)
    return f"|{chomp}\n{text}"


def ordered_keys(mapping: Mapping[str, Any]) -> list[str]:
    return list(_ordered(tuple(mapping)))


@lru_cache(maxsize=4096)  # objects of one kind have the same keys
def _ordered(keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(keys, key=lambda k: (_HEAD_RANK.get(k, len(HEAD_KEYS)), k)))


def _emit(value: Any, indent: int, out: list[str]) -> None:
    """Append the lines of a block mapping or sequence whose entries start at `indent`."""
    pad = " " * indent
    if isinstance(value, Mapping):
        for key in ordered_keys(value):
            if not isinstance(key, str):
                raise TypeError("mapping keys must be strings")
            _entry(f"{pad}{scalar(key)}:", value[key], indent, out)
    else:
        for item in value:
            _entry(f"{pad}-", item, indent, out, in_seq=True)


def _entry(head: str, value: Any, indent: int, out: list[str], *, in_seq: bool = False) -> None:
    kind = type(value)
    if (kind is str and "\n" not in value) or kind is int or kind is bool or value is None:
        out.append(f"{head} {scalar(value)}\n")  # most entries: a one-line scalar
        return
    child = indent + 2
    if isinstance(value, Mapping) and value:
        if in_seq:  # "- key: value" with the rest of the mapping aligned under key
            sub: list[str] = []
            _emit(value, child, sub)
            out.append(f"{head} {sub[0].lstrip(' ')}")
            out.extend(sub[1:])
        else:
            out.append(head + "\n")
            _emit(value, child, out)
    elif isinstance(value, Sequence) and not isinstance(value, str) and value:
        out.append(head + "\n")
        _emit(value, child, out)
    elif isinstance(value, Mapping):
        out.append(f"{head} {{}}\n")
    elif isinstance(value, Sequence) and not isinstance(value, str):
        out.append(f"{head} []\n")
    elif isinstance(value, str) and _block_ok(value):
        out.append(f"{head} {_block(value, ' ' * child)}")
    else:
        out.append(f"{head} {scalar(value)}\n")


def dump(value: Mapping[str, Any]) -> str:
    """One document (a mapping) as YAML text ending in a newline."""
    if not value:
        return "{}\n"
    out: list[str] = []
    _emit(value, 0, out)
    return "".join(out)


def dump_all(docs: Iterable[Mapping[str, Any]], *, header: str = "") -> str:
    """Several documents separated by `---`, after an optional comment header."""
    parts = [dump(d) for d in docs]
    head = "".join(f"# {line}".rstrip(" ") + "\n" for line in header.splitlines())
    return head + "---\n".join(parts)
