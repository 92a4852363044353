"""Check one site and only summarize the others (`render --cluster SITE/CLUSTER`).

The Argo CD plugin runs render for every refresh of every Application, so its cost must follow
the site, not the repository. The files that hold SITE are read, lowered and checked exactly as
`validate` checks them. Of every other file only the summaries of its sites are needed, for the
rules that compare sites (site-duplicate-name, site-pool-overlap), which run on the summaries of
every site in input order as in `validate`:
- with the cache (docs/cache.md), they come from the file's entry, the very entry `validate`
  stores under the same options; on a miss the file is checked as validate checks it and its
  entry stored, so the next refresh reads only entries;
- without it, the file is skimmed (gitops_lb.site.skim): only its sites' names, required fields
  and pools are read and summarized. A file the skim cannot be sure of is checked as validate
  checks it, which gives the same summaries.

The findings of the other sites' own checks are not reported: render for one site does not fail
because of another. A file that could hold SITE (its text has `name: SITE`, or a site document
whose name could not be read) or that cannot be read cleanly (unreadable, not UTF-8, a YAML
error) is read and checked whole, and its findings reported. The decision is taken on what the
file gives, never on where it came from: the cache changes no output.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gitops_lb.cache import Cache
from gitops_lb.check import Loaded, SiteChecker
from gitops_lb.config import Item, Origin
from gitops_lb.diagnostics import Result
from gitops_lb.incremental import _int, _str, decode_summary, encode_summary, file_record
from gitops_lb.metallb.ipnet import parse_entry
from gitops_lb.site.load import LoadedSite, SiteLoad, add_file, note_no_site
from gitops_lb.site.lower import copy_fields, k8s_object, lower_site, named_fields
from gitops_lb.site.overlap import ADDRESSES_PATH, Block
from gitops_lb.site.skim import skim
from gitops_lb.site.summary import NAME_PATH, SiteSummary
from gitops_lb.site.target import ClusterTarget
from gitops_lb.site.words import CLUSTER_LISTS, named
from gitops_lb.yamlload import (
    LoadedFile,
    LoadIssue,
    LocMap,
    LocSeq,
    decode,
    load_bytes,
    load_file,
    load_text,
    max_file_bytes,
    positions_only,
)

POOL_API = "metallb.io/v1beta1"


@dataclass(eq=False)
class Scoped:
    loaded: Loaded  # the findings, and the clusters of the files read whole
    skimmed: list[str] = field(default_factory=list)  # SITE/CLUSTER of the skimmed sites
    whole: int = 0  # files read whole


def _names(site: str) -> re.Pattern[str]:
    """`name: SITE` however quoted: a file that has it may hold the site (or a cluster, a
    pool... named like it), and is read whole without being skimmed first."""
    return re.compile(rf"name:[ \t]*['\"]?{re.escape(site)}['\"]?(?=[ \t]*(?:[,}}\r\n#]|$))")


@dataclass(eq=False)
class _Other:
    """What a file that does not hold SITE gives render: for each of its sites with clusters,
    its clusters' ids and its summary (numbered as a whole run numbers it)."""

    candidates: int
    sites: list[tuple[list[str], SiteSummary]]
    names: list[str]  # of every site document (those without clusters too)


def _read(path: str, names: re.Pattern[str]) -> bytes | None:
    """The content of a file that cannot hold SITE; None when it must be read whole."""
    try:
        if os.path.getsize(path) > max_file_bytes():
            return None
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError:
        return None
    text, issue = decode(raw, path)
    if text is None or issue is not None or names.search(text):
        return None
    return raw


def _from_skim(raw: bytes, path: str, number: int, first: int) -> _Other | None:
    """The file's sites through its skim; None when the skim cannot be sure of them."""
    text, _ = decode(raw, path)
    masked = None if text is None else skim(text)
    if masked is None:
        return None
    lf = load_text(masked, path)
    out = SiteLoad()
    add_file(out, lf)
    if lf.issues or lf.lost or out.candidates != len(out.sites):
        return None
    if any(not s.complete for s in out.sites):
        return None  # schema errors: a site is summarized as `validate` reads it
    sites: list[tuple[list[str], SiteSummary]] = []
    for ls in out.sites:
        clusters = ls.site.spec.clusters
        if clusters:  # one lowered cluster each, as SiteChecker.site() counts them
            summary = skimmed_summary(ls, number + len(sites), first)
            sites.append(([f"{ls.site.metadata.name}/{c.name}" for c in clusters], summary))
            first += len(clusters)
    return _Other(out.candidates, sites, [ls.site.metadata.name for ls in out.sites])


def _from_record(record: Any, site: str, number: int, first: int) -> _Other | None:
    """The file's sites from its record (gitops_lb.incremental.file_record); None when the
    file must be read whole: it could not be read cleanly, or one of its site documents is
    SITE or has no name that could be read."""
    if record["fatal"] or record["issues"]:
        return None
    names = [_str(n) for n in record["names"]]
    if len(names) != _int(record["candidates"]) or site in names or "" in names:
        return None
    sites: list[tuple[list[str], SiteSummary]] = []
    for entry in record["sites"]:
        ids = [_str(i) for i in entry["clusters"]]
        if len(ids) != _int(entry["targets"]):
            raise ValueError("a record's clusters and targets differ")
        sites.append((ids, decode_summary(entry, number + len(sites), first)))
        first += len(ids)
    return _Other(len(names), sites, names)


_BAD = (KeyError, TypeError, ValueError, IndexError, RecursionError)


@dataclass(frozen=True)
class Caches:
    """render's two kinds of entries: `records` are validate's own (a file's findings and
    summaries, gitops_lb.incremental.file_record), `summaries` hold only what render needs of
    a file (its site names and summaries), made from the skim when validate's entry is
    missing, since skimming costs a fraction of checking."""

    records: Cache
    summaries: Cache


def _summary_entry(raw: bytes, path: str) -> dict[str, Any] | None:
    """A file's summaries through its skim, shaped as a record without findings; None when
    the skim cannot be sure of them."""
    found = _from_skim(raw, path, 0, 0)
    if found is None:
        return None
    sites = []
    for ids, summary in found.sites:
        entry = encode_summary(summary, len(ids))
        entry["clusters"] = ids
        sites.append(entry)
    return {
        "fatal": False,
        "issues": False,
        "candidates": found.candidates,
        "names": found.names,
        "sites": sites,
    }


def _other_file(
    path: str,
    site: str,
    names: re.Pattern[str],
    at: tuple[int, int],
    caches: Caches | None,
    *,
    compat: bool,
    skip: set[str],
) -> _Other | None:
    """What a file gives render when it does not hold SITE, or None to read it whole.

    Without the cache the file is skimmed; what the skim cannot be sure of is checked as
    `validate` checks it, to summarize its sites as validate does. With the cache, validate's
    entry of the file is used, else render's own summary entry; on a miss the file is skimmed
    and its summary entry stored, or, when the skim cannot be sure, checked as validate checks
    it and validate's entry stored. Either way the decision and the summaries are those of a
    record, so the cache changes no output.
    """
    raw = _read(path, names)
    if raw is None:
        return None
    if caches is None:
        skimmed = _from_skim(raw, path, *at)
        if skimmed is not None:
            return skimmed
        return _from_record(file_record(load_bytes(raw, path), compat=compat, skip=skip), site, *at)
    keys = {kind: kind.key(path, raw) for kind in (caches.records, caches.summaries)}
    for kind, key in keys.items():
        record = kind.get(key)
        if record is not None:
            try:
                return _from_record(record, site, *at)
            except _BAD:  # an entry no run of this version writes: made again below
                pass
    entry = _summary_entry(raw, path)
    if entry is not None:
        caches.summaries.put(keys[caches.summaries], entry)
        return _from_record(entry, site, *at)
    record = file_record(load_bytes(raw, path), compat=compat, skip=skip)
    caches.records.put(keys[caches.records], record)
    return _from_record(record, site, *at)


def _map(value: Any) -> LocMap:
    return value if isinstance(value, LocMap) else LocMap()


def _seq(value: Any) -> LocSeq:
    return value if isinstance(value, LocSeq) else LocSeq()


def skimmed_summary(ls: LoadedSite, number: int, first: int) -> SiteSummary:
    """summarize(lower_site(ls), number, first) for a skimmed site (complete, no schema
    error), made without lowering the site: the same slim pools (name, address positions,
    origin), in the order lowering files them (by name), with the same address blocks."""
    site, doc, file = ls.site, ls.doc, ls.file
    name = site.metadata.name
    ns = site.spec.metallb.namespace
    item: Item[Any] = Item(None, "Site", name, None, file, positions_only(doc, NAME_PATH))
    ref = f"Site/{name}"
    clusters = _seq(_map(doc.get("spec")).get("clusters"))
    word = CLUSTER_LISTS["pools"]
    out: list[Block] = []
    for ci, cluster in enumerate(site.spec.clusters):
        cdoc = _map(clusters[ci]) if ci < len(clusters) else LocMap(doc.pos)
        scope = named("cluster", "clusters", ci, cdoc)
        cluster_id = f"{name}/{cluster.name}"
        pools: list[tuple[Item[Any], list[str]]] = []
        for i, (pdoc, pool) in enumerate(zip(_seq(cdoc.get("pools")), cluster.pools, strict=False)):
            p = _map(pdoc)
            spec = LocMap(p.pos)
            copy_fields(spec, p, ("addresses",))
            obj = k8s_object(POOL_API, "IPAddressPool", pool.name, namespace=ns, at=p, spec=spec)
            element = named(word, "pools", i, p)
            path = ("spec", "clusters", ci, "pools", i)
            origin = Origin(ref, word, element, scope, f"{element} of {scope}", path, named_fields)
            slim: Item[Any] = Item(
                None,
                "IPAddressPool",
                pool.name,
                ns,
                file,
                positions_only(obj, ADDRESSES_PATH),
                origin,
            )
            pools.append((slim, pool.addresses))
        pools.sort(key=lambda entry: entry[0].name)  # as ClusterConfig.sort() files them
        ti = first + ci
        for pi, (slim, addresses) in enumerate(pools):
            for ei, text in enumerate(addresses):
                out.extend(
                    Block(n, (ti, pi, ei), cluster_id, number, slim, ei, text)
                    for n in parse_entry(text).nets
                )
    return SiteSummary(number, name, item, out)


def check_scoped(
    entries: Iterable[tuple[str, LoadIssue | None]],
    site: str,
    *,
    compat: bool = False,
    disabled: Iterable[str] = (),
    caches: Caches | None = None,
) -> Scoped:
    """What load_site_specs() finds for the clusters of `site`, reading the other files only
    as far as the comparisons between sites need (from `caches` when given)."""
    skip = set(disabled)
    checker = SiteChecker(compat=compat, disabled=skip)
    load = SiteLoad()  # the files read whole
    targets: list[ClusterTarget] = []
    scoped = Scoped(Loaded(Result(), targets))
    names = _names(site)
    seen: set[str] = set()
    files = 0
    candidates = 0  # site documents of the files not read whole
    for path, problem in entries:
        key = path if path == "-" else os.path.realpath(path)
        if key in seen:
            continue
        seen.add(key)
        files += 1
        other = None
        if problem is None and path != "-":
            at = (len(checker.summaries), checker.targets)  # the numbers of its first site
            other = _other_file(path, site, names, at, caches, compat=compat, skip=skip)
        if other is not None:
            candidates += other.candidates
            for ids, summary in other.sites:
                checker.summaries.append(summary)
                checker.targets += len(ids)
                scoped.skimmed.extend(ids)
            continue
        scoped.whole += 1
        if problem is not None:
            lf = LoadedFile(path)
            lf.issues.append(problem)
        else:
            lf = load_file(path)
        add_file(load, lf)
        while load.sites:
            lowered = lower_site(load.sites.pop(0))
            checker.site(lowered)
            targets.extend(lowered)
    if not candidates:
        note_no_site(load)
    result = Result(files=files, fatal=load.fatal)
    result.extend(checker.finish(load.intake))
    scoped.loaded.result = result
    return scoped
