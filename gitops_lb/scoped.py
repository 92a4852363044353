"""Check one site and only summarize the others (`render --cluster SITE/CLUSTER`).

The Argo CD plugin runs render for every refresh of every Application, so its cost must follow
the site, not the repository. The files that hold SITE are read, lowered and checked exactly as
`validate` checks them. Every other file is skimmed (gitops_lb.site.skim): only its sites'
names, required fields and pools are read, lowered and summarized, for the rules that compare
sites (site-duplicate-name, site-pool-overlap), which run on the summaries of every site in
input order as in `validate`. The findings of the other sites' own checks are not reported:
render for one site does not fail because of another. A file the skimmer cannot be sure of
(gitops_lb.site.skim says which), or whose skim cannot be read, or that could hold SITE (a
site document whose name could not be read), is read and checked whole, as before.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gitops_lb.check import Loaded, SiteChecker
from gitops_lb.config import Item, Origin
from gitops_lb.diagnostics import Result
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


def _skimmed_sites(path: str, names: re.Pattern[str]) -> SiteLoad | None:
    """The sites of a file read through its skim; None when the file must be read whole."""
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
    masked = skim(text)
    if masked is None:
        return None
    lf = load_text(masked, path)
    out = SiteLoad()
    add_file(out, lf)
    if lf.issues or lf.lost or out.candidates != len(out.sites):
        return None
    if any(not s.complete for s in out.sites):
        return None  # schema errors: a site is compared as `validate` reads it
    return out


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
) -> Scoped:
    """What load_site_specs() finds for the clusters of `site`, reading the other files only
    as far as the comparisons between sites need."""
    checker = SiteChecker(compat=compat, disabled=disabled)
    load = SiteLoad()  # the files read whole
    targets: list[ClusterTarget] = []
    scoped = Scoped(Loaded(Result(), targets))
    names = _names(site)
    seen: set[str] = set()
    files = 0
    candidates = 0  # site documents of the skimmed files
    for path, problem in entries:
        key = path if path == "-" else os.path.realpath(path)
        if key in seen:
            continue
        seen.add(key)
        files += 1
        skimmed = None if problem is not None or path == "-" else _skimmed_sites(path, names)
        if skimmed is not None and all(s.site.metadata.name != site for s in skimmed.sites):
            candidates += skimmed.candidates
            for loaded in skimmed.sites:
                clusters = loaded.site.spec.clusters
                if clusters:  # one lowered cluster each, as SiteChecker.site() counts them
                    number, first = len(checker.summaries), checker.targets
                    checker.summaries.append(skimmed_summary(loaded, number, first))
                    checker.targets += len(clusters)
                    scoped.skimmed.extend(f"{loaded.site.metadata.name}/{c.name}" for c in clusters)
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
