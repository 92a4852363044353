"""Bad variants of good inputs, each with the finding it must produce and where.

Two families:
- text edits at every nesting level (a broken value, a tab, a duplicate key, a NUL byte, an
  invalid UTF-8 byte) of each source file, once per (indentation, key) so every level and
  every key is hit without repeating the same case a hundred times;
- structural edits of each field (once per field path, list items folded): a value of every
  wrong type (a string for a list, a list for a map, numbers for strings, booleans, integers
  beyond 64 bits) and null.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from gitops_lb.yamlload import load_text, locate

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LINT_SOURCES = (HERE / "data" / "every-field.yaml", ROOT / "examples/manifests/seed-guide.yaml")
SITE_SOURCES = tuple(sorted((ROOT / "examples" / "sites").glob("*.yaml")))
CLEAN_LINT_SOURCES = LINT_SOURCES[:1]  # lints without errors: any error is the edit's

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Variant:
    id: str
    data: bytes
    rule: str | None  # the rule that must report it (None: any error)
    line: int | None  # on this line (None: anywhere)


# --- text edits -------------------------------------------------------------------------------

_KEY_LINE = re.compile(r"^(?P<indent> *)(?P<dash>- )?(?P<key>[A-Za-z][\w./-]*): (?P<value>\S.*)$")


def key_lines(text: str) -> Iterator[tuple[int, re.Match[str]]]:
    """(line number, match) of `key: value` lines, first of each (indentation, key) only."""
    seen: set[tuple[int, bool, str]] = set()
    for n, line in enumerate(text.splitlines(), 1):
        m = _KEY_LINE.match(line)
        if m is None or m["value"].startswith("#"):
            continue
        sig = (len(m["indent"]), bool(m["dash"]), m["key"])
        if sig in seen:
            continue
        seen.add(sig)
        yield n, m


def _replace_line(text: str, n: int, new: str) -> str:
    lines = text.splitlines()
    lines[n - 1] = new
    return "\n".join(lines) + "\n"


def text_variants(source: Path, *, bytes_too: bool = True) -> Iterator[Variant]:
    """Syntax edits at every level; with bytes_too also a NUL and an invalid byte there."""
    text = source.read_text()
    name = source.stem.removeprefix("live-")
    for n, m in key_lines(text):
        line = m.group(0)
        head = line[: m.start("value")]
        yield Variant(
            f"{name}:{n}:bad-token",
            _replace_line(text, n, head + "@oops").encode(),
            "yaml-syntax",
            n,
        )
        if m["indent"]:
            tabbed = "\t" + line[len(m["indent"]) :]
            yield Variant(
                f"{name}:{n}:tab", _replace_line(text, n, tabbed).encode(), "yaml-syntax", n
            )
        key_col = " " * (len(m["indent"]) + (2 if m["dash"] else 0))
        dup = f"{line}\n{key_col}{m['key']}: {m['value']}"
        if not m["value"].startswith(("{", "[")) or m["value"].endswith(("}", "]")):
            yield Variant(
                f"{name}:{n}:duplicate-key",
                _replace_line(text, n, dup).encode(),
                "yaml-duplicate-key",
                n + 1,
            )
        if not bytes_too:
            continue
        raw = text.encode()
        lines = raw.split(b"\n")
        nul = lines.copy()
        nul[n - 1] = nul[n - 1] + b"\x00"
        yield Variant(f"{name}:{n}:nul", b"\n".join(nul), "yaml-syntax", n)
        bad = lines.copy()
        bad[n - 1] = bad[n - 1] + b"\xff"
        yield Variant(f"{name}:{n}:invalid-utf8", b"\n".join(bad), "file-encoding", n)


def encoding_variants(source: Path) -> Iterator[Variant]:
    text = source.read_text()
    name = source.stem.removeprefix("live-")
    yield Variant(f"{name}:utf-16-bom", text.encode("utf-16"), "file-encoding", 1)
    yield Variant(
        f"{name}:utf-16-be-bom", b"\xfe\xff" + text.encode("utf-16-be"), "file-encoding", 1
    )
    yield Variant(f"{name}:utf-32-bom", text.encode("utf-32"), "file-encoding", 1)
    yield Variant(f"{name}:utf-16-le-no-bom", text.encode("utf-16-le"), None, 1)
    yield Variant(
        f"{name}:latin-1",
        (text + "# caf\xe9\n").encode("latin-1"),
        "file-encoding",
        text.count("\n") + 1,
    )


# --- structural edits -------------------------------------------------------------------------

HUGE = (2**64 + 1, -(2**64) - 1, 10**40)
WRONG: dict[type, tuple[Any, ...]] = {
    str: (12345, True, ["x"], {"x": "y"}),
    bool: ("true", 1, [True], {"x": True}),
    int: ("80", True, [1], {"x": 1}, 1.5, *HUGE),
    list: ("x", 1, {"x": "y"}, True),
    dict: ("x", 1, ["x"], True),
}
# fields whose type is a union the replacement may fit (targetPort: int or a port name)
UNION_KEYS = frozenset({"targetPort"})


def field_paths(value: Any, prefix: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every (path, value) below `value`; of a list only the first item is descended into."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield (*prefix, k), v
            yield from field_paths(v, (*prefix, k))
    elif isinstance(value, list) and value:
        yield (*prefix, 0), value[0]
        yield from field_paths(value[0], (*prefix, 0))


def set_at(doc: Any, path: Path_, value: Any) -> Any:
    out = copy.deepcopy(doc)
    node = out
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return out


def drop_at(doc: Any, path: Path_) -> Any:
    out = copy.deepcopy(doc)
    node = out
    for part in path[:-1]:
        node = node[part]
    del node[path[-1]]
    return out


_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump_one(doc: Any) -> str:
    text: str = yaml.dump(
        doc, Dumper=_Dumper, sort_keys=False, default_flow_style=False, allow_unicode=True
    )
    return text


def dump(docs: list[Any]) -> str:
    return "---\n".join(dump_one(d) for d in docs)


def _type_of(value: Any) -> type | None:
    for t in (bool, int, str, list, dict):
        if isinstance(value, t):
            return t
    return None


@dataclass(frozen=True)
class Edit:
    id: str
    text: str
    path: Path_
    doc_index: int
    line: int  # where the edited value now sits
    wrong: bool  # True: a wrong type (must be an error); False: null (absent)
    without: str | None  # for null edits of a mapping key: the same text with the key removed


def structural_edits(*sources: Path) -> Iterator[Edit]:
    """Edits of every field of the sources; a field path two sources share is edited once."""
    seen: set[tuple[str, Path_]] = set()
    for source in sources:
        yield from _edits(source, seen)


def _edits(source: Path, seen: set[tuple[str, Path_]]) -> Iterator[Edit]:
    docs = [d for d in yaml.safe_load_all(source.read_text()) if d is not None]
    texts = [dump_one(d) for d in docs]
    for i, doc in enumerate(docs):
        before = "---\n".join(texts[:i]) + ("---\n" if i else "")
        after = ("---\n" if i + 1 < len(docs) else "") + "---\n".join(texts[i + 1 :])
        offset = before.count("\n")
        for path, value in field_paths(doc):
            kind = _type_of(value)
            if kind is None or path[-1] in UNION_KEYS or (str(doc.get("kind")), path) in seen:
                continue
            seen.add((str(doc.get("kind")), path))
            where = ".".join(str(p) for p in path)
            for j, bad in enumerate((*WRONG[kind], None)):
                edited = dump_one(set_at(doc, path, bad))
                loaded = load_text(edited, "x").documents[0].data
                (line, _), exact = locate(loaded, path)
                assert exact, (source, path)
                without = None
                if bad is None and isinstance(path[-1], str):
                    without = before + dump_one(drop_at(doc, path)) + after
                label = "null" if bad is None else f"{type(bad).__name__}{j}"
                yield Edit(
                    f"{source.stem}:{i}:{where}:{label}",
                    before + edited + after,
                    path,
                    i,
                    offset + line,
                    bad is not None,
                    without,
                )


# --- a live dump --------------------------------------------------------------------------------


def live_dump(site: Path, cluster: str, folder: Path) -> Path:
    """What `kubectl get -o yaml` shows of a cluster that runs the compiled `cluster` (its
    objects, its inventory nodes, each Service with an address), written to
    folder/live-<site>.yaml; reconcile finds it in sync."""
    import ipaddress

    from gitops_lb.check import load_checked
    from gitops_lb.compile.tree import PLAN_FILE, cluster_files
    from gitops_lb.site.target import select

    loaded = load_checked([str(site)])
    assert not loaded.result.errors
    (target,) = select(loaded.targets, cluster)
    pools = {p.name: p.model.spec.addresses for p in target.config.pools}
    docs: list[Any] = []
    objects = [
        obj
        for name, data in sorted(cluster_files(target).items())
        if name not in ("kustomization.yaml", PLAN_FILE)
        for obj in yaml.safe_load_all(data)
    ]
    for obj in objects:
        if obj["kind"] == "Service":
            notes = obj["metadata"].get("annotations", {})
            ips = next((v for k, v in notes.items() if k.endswith("/loadBalancerIPs")), None)
            if ips is None:
                pool = next(v for k, v in notes.items() if k.endswith("/address-pool"))
                ips = str(ipaddress.ip_network(pools[pool][0], strict=False)[10])
            ingress = [{"ip": ip.strip()} for ip in ips.split(",")]
            obj["status"] = {"loadBalancer": {"ingress": ingress}}
        docs.append(obj)
    for node in target.config.nodes:
        meta = node.model.metadata
        docs.append(
            {
                "apiVersion": "v1",
                "kind": "Node",
                "metadata": {"name": meta.name, "labels": meta.labels},
            }
        )
    path = folder / f"live-{site.stem}.yaml"
    path.write_text(dump(docs))
    return path
