"""`validate` with the on-disk cache (gitops_lb.cache, docs/cache.md).

The checks of gitops_lb.check split in two: what one file gives on its own (its reading
findings, every rule on each of its lowered clusters and on each of its sites, the summaries
of its sites) and what needs every file (the rules comparing sites, "no site spec at all").
The first part of each file is a record of plain data, stored in the cache under the file's
content; a file whose record is found is not read as YAML, validated nor lowered. The second
part runs on the records every time. A record is used in the same way whether it was just
made or read back, so a run without a single hit checks what it stores.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any

from gitops_lb.cache import Cache
from gitops_lb.config import ClusterConfig, Finding, Item, Origin
from gitops_lb.diagnostics import (
    Diagnostic,
    Directive,
    FieldPath,
    Location,
    Related,
    Result,
    Severity,
)
from gitops_lb.metallb.ipnet import Net
from gitops_lb.rules import run_across_rules, run_one_site_rules, run_rules, run_target_rules
from gitops_lb.rules._base import Input
from gitops_lb.site.load import API_VERSION, NOT_A_SITE, SiteLoad, add_file
from gitops_lb.site.lower import lower_site
from gitops_lb.site.overlap import Block
from gitops_lb.site.summary import SiteSummary, summarize
from gitops_lb.yamlload import LoadedFile, LoadIssue, LocMap, LocSeq, load_bytes, read_input

Source = tuple[str, bytes] | LoadedFile  # a file's name and content, or one that was not read


def sources(entries: Iterable[tuple[str, LoadIssue | None]]) -> Iterator[Source]:
    """gitops_lb.site.load.read_expanded() without parsing: each file once, as bytes."""
    seen: set[str] = set()
    for path, problem in entries:
        key = os.path.realpath(path)
        if key in seen:
            continue
        seen.add(key)
        if problem is not None:
            lf = LoadedFile(path)
            lf.issues.append(problem)
            yield lf
            continue
        raw = read_input(path)
        yield raw if isinstance(raw, LoadedFile) else (path, raw)


def check_sources(
    files: Iterable[Source], cache: Cache | None, *, compat: bool, disabled: Iterable[str]
) -> Result:
    """gitops_lb.check.check_files() on these files, each file's own part from the cache when
    it holds it (and stored there when not)."""
    skip = set(disabled)
    merged = _Merged()
    for src in files:
        if isinstance(src, LoadedFile):
            merged.add(src.path, file_record(src, compat=compat, skip=skip))
            continue
        name, raw = src
        key = cache.key(name, raw) if cache is not None else ""
        if cache is not None:
            found = cache.get(key)
            if found is not None and merged.add(name, found):
                continue
        record = file_record(load_bytes(raw, name), compat=compat, skip=skip)
        if cache is not None:
            cache.put(key, record)
        merged.add(name, record)
    return merged.finish(compat=compat, skip=skip)


class _Merged:
    """The records of the files so far, numbered as one run numbers sites and clusters."""

    def __init__(self) -> None:
        self.found: list[Diagnostic] = []
        self.directives: list[Directive] = []
        self.summaries: list[SiteSummary] = []
        self.targets = 0
        self.files: list[str] = []
        self.fatal = False
        self.issues = False
        self.candidates = 0

    def add(self, path: str, record: Any) -> bool:
        """Take a file's record; False (and nothing taken) if it is not well formed."""
        try:
            diags = [decode_diagnostic(d) for d in record["diags"]]
            directives = [decode_directive(d) for d in record["directives"]]
            summaries: list[SiteSummary] = []
            targets = self.targets
            for site in record["sites"]:
                number = len(self.summaries) + len(summaries)
                summaries.append(decode_summary(site, number, targets))
                targets += _int(site["targets"])
            fatal, issues = bool(record["fatal"]), bool(record["issues"])
            candidates = _int(record["candidates"])
        except (KeyError, TypeError, ValueError, IndexError, RecursionError):
            return False
        self.found.extend(diags)
        self.directives.extend(directives)
        self.summaries.extend(summaries)
        self.targets = targets
        self.files.append(path)
        self.fatal = self.fatal or fatal
        self.issues = self.issues or issues
        self.candidates += candidates
        return True

    def finish(self, *, compat: bool, skip: set[str]) -> Result:
        intake = ClusterConfig(name="<site specs>")
        if not self.candidates and self.files and not self.issues:  # load.note_no_site
            intake.add_intake(
                NOT_A_SITE,
                Finding(
                    f"no site spec (kind: Site, apiVersion: {API_VERSION}) found in the inputs",
                    location=Location(self.files[0]),
                ),
            )
        found = run_rules(intake, compat=compat, disabled=skip, source=Input.SITES)
        found.extend(self.found)
        found.extend(run_across_rules(self.summaries, compat=compat, disabled=skip))
        result = Result(files=len(self.files), fatal=self.fatal, directives=self.directives)
        result.extend(sorted(set(found), key=Diagnostic.sort_key))
        return result


def file_record(lf: LoadedFile, *, compat: bool, skip: set[str]) -> dict[str, Any]:
    """What one file gives on its own, as plain data (gitops_lb.check.SiteChecker's work)."""
    load = SiteLoad()
    add_file(load, lf)
    lf.documents.clear()
    found = run_rules(load.intake, compat=compat, disabled=skip, source=Input.SITES)
    names = [ls.site.metadata.name for ls in load.sites]  # render tells its site's files by them
    sites: list[Any] = []
    first = 0
    while load.sites:
        targets = lower_site(load.sites.pop(0))
        if not targets:
            continue
        for target in targets:
            found.extend(run_target_rules(target, compat=compat, disabled=skip))
        found.extend(run_one_site_rules(targets, compat=compat, disabled=skip))
        site = encode_summary(summarize(targets, len(sites), first), len(targets))
        site["clusters"] = [t.id for t in targets]
        sites.append(site)
        first += len(targets)
        del targets
    return {
        "fatal": load.fatal,
        "issues": any(f.issues for f in load.files),
        "candidates": load.candidates,
        "names": names,
        "directives": [encode_directive(d) for d in lf.directives],
        "diags": [encode_diagnostic(d) for d in found],
        "sites": sites,
    }


# --- plain data ----------------------------------------------------------------------------


def _int(value: Any) -> int:
    if type(value) is not int:
        raise TypeError("not an integer")
    return value


def _str(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("not a string")
    return value


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _loc(value: Any) -> list[Any]:
    return [value.file, value.line, value.column]


def _location(value: Any) -> Location:
    file, line, column = value
    return Location(_str(file), _int(line), _int(column))


def encode_diagnostic(d: Diagnostic) -> list[Any]:
    if d.suppressed or d.fix is not None:  # set later, on the merged result only
        raise ValueError("a diagnostic is stored before suppression comments and fixes")
    related = [[_loc(r.location), r.message] for r in d.related]
    return [d.rule, d.severity.value, d.message, _loc(d.location), d.object, d.path, related]


def decode_diagnostic(value: Any) -> Diagnostic:
    rule, severity, message, location, obj, path, related = value
    return Diagnostic(
        rule=_str(rule),
        severity=Severity(severity),
        message=_str(message),
        location=_location(location),
        object=_opt_str(obj),
        path=_opt_str(path),
        related=tuple(Related(_location(loc), _str(text)) for loc, text in related),
    )


def encode_directive(d: Directive) -> list[Any]:
    return [_loc(d.location), list(d.rules), d.line]


def decode_directive(value: Any) -> Directive:
    location, rules, line = value
    return Directive(
        _location(location), tuple(_str(r) for r in rules), None if line is None else _int(line)
    )


def encode_doc(value: Any) -> Any:
    """The positions of a LocMap/LocSeq tree, without its values (none is needed to locate a
    path in it, and none is ever written to the cache: no secret can be)."""
    if isinstance(value, LocMap):
        return {
            "m": list(value.pos),
            "k": [
                [k, list(value.kpos[k]), list(value.vpos[k]), encode_doc(v)]
                for k, v in value.items()
            ],
        }
    if isinstance(value, LocSeq):
        return {
            "s": list(value.pos),
            "i": [[list(p), encode_doc(v)] for p, v in zip(value.ipos, value, strict=False)],
        }
    return None


def _pos(value: Any) -> tuple[int, int]:
    line, column = value
    return _int(line), _int(column)


def decode_doc(value: Any) -> Any:
    if value is None:
        return None
    if "m" in value:
        out = LocMap(_pos(value["m"]))
        for key, kpos, vpos, child in value["k"]:
            out[_str(key)] = decode_doc(child)
            out.kpos[key] = _pos(kpos)
            out.vpos[key] = _pos(vpos)
        return out
    seq = LocSeq(_pos(value["s"]))
    for pos, child in value["i"]:
        seq.append(decode_doc(child))
        seq.ipos.append(_pos(pos))
    return seq


ADDRESSES: FieldPath = ("spec", "addresses")


def encode_item(item: Item[Any], entries: int) -> dict[str, Any]:
    """A summary's Item: name and positions only (summary.py, overlap.slim_pool)."""
    if item.model is not None or item.unsure or item.partial:
        raise ValueError("only the slim items of a summary are stored")
    origin = item.origin
    out: dict[str, Any] = {
        "kind": item.kind,
        "name": item.name,
        "namespace": item.namespace,
        "file": item.file,
        "doc": encode_doc(item.doc),
        "origin": None,
    }
    if origin is not None:
        # the paths a finding on the pool's addresses reports (Origin.fields is a function)
        paths = [ADDRESSES, *((*ADDRESSES, i) for i in range(entries))]
        out["origin"] = {
            "ref": origin.ref,
            "kind": origin.kind,
            "element": origin.element,
            "scope": origin.scope,
            "title": origin.title,
            "path": list(origin.path),
            "frame": list(origin.frame),
            "fields": [[list(p), list(origin.fields(p))] for p in paths],
        }
    return out


def _field_path(value: Any) -> FieldPath:
    out: list[str | int] = []
    for part in value:
        if type(part) is not int and type(part) is not str:
            raise TypeError("not a path")
        out.append(part)
    return tuple(out)


def _fields(known: dict[FieldPath, FieldPath], path: FieldPath) -> FieldPath:
    return known[path]


def decode_item(value: Any) -> Item[Any]:
    origin = None
    o = value["origin"]
    if o is not None:
        known = {_field_path(p): _field_path(q) for p, q in o["fields"]}
        origin = Origin(
            _str(o["ref"]),
            _str(o["kind"]),
            _str(o["element"]),
            _str(o["scope"]),
            _str(o["title"]),
            _field_path(o["path"]),
            partial(_fields, known),
            tuple(_str(f) for f in o["frame"]),
        )
    return Item(
        None,
        _str(value["kind"]),
        _str(value["name"]),
        _opt_str(value["namespace"]),
        _str(value["file"]),
        decode_doc(value["doc"]),
        origin,
    )


def encode_summary(summary: SiteSummary, targets: int) -> dict[str, Any]:
    """A site's summary, its clusters numbered from 0 (renumbered when read)."""
    pools: dict[int, int] = {}
    items: list[Any] = []
    entries: dict[int, int] = {}
    for b in summary.blocks:
        entries[id(b.pool)] = max(entries.get(id(b.pool), 0), b.entry + 1)
    blocks = []
    for b in summary.blocks:
        if b.target is not None:
            raise ValueError("a summary's blocks hold no cluster")
        if id(b.pool) not in pools:
            pools[id(b.pool)] = len(items)
            items.append(encode_item(b.pool, entries[id(b.pool)]))
        n = b.net
        blocks.append(
            [
                n.family,
                n.first,
                n.last,
                n.prefixlen,
                *b.order,
                b.cluster,
                pools[id(b.pool)],
                b.entry,
                b.text,
            ]
        )
    return {
        "name": summary.name,
        "item": encode_item(summary.item, 0),
        "targets": targets,
        "pools": items,
        "blocks": blocks,
    }


def decode_summary(value: Any, number: int, first: int) -> SiteSummary:
    pools = [decode_item(p) for p in value["pools"]]
    blocks = []
    for family, lo, hi, prefixlen, ti, pi, ei, cluster, pool, entry, text in value["blocks"]:
        net = Net(_int(family), _int(lo), _int(hi), _int(prefixlen))
        order = (_int(ti) + first, _int(pi), _int(ei))
        blocks.append(
            Block(net, order, _str(cluster), number, pools[_int(pool)], _int(entry), _str(text))
        )
    return SiteSummary(number, _str(value["name"]), decode_item(value["item"]), blocks)
