"""Site spec files -> validated Site models, keeping every position.

A document is read as a site spec when it says `kind: Site`, uses the gitops-lb.io API group,
or has a `spec` but no `kind` (a site spec that forgot its header). Other Kubernetes objects
(they have apiVersion and kind) are reported by `site-not-a-site`; YAML that is not shaped like
a Kubernetes object at all (lists, scalars, mappings without apiVersion/kind/spec: editor or
tool configuration lying in the same folder) is ignored.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from gitops_lb.config import ClusterConfig, Finding, Item
from gitops_lb.diagnostics import FieldPath, Location
from gitops_lb.intake import Gaps, report_validation_error, reported, salvage
from gitops_lb.site.models import Site
from gitops_lb.site.words import SiteWords
from gitops_lb.yamlload import Document, LoadedFile, LoadIssue, LocMap, expand_paths, load_file

GROUP = "gitops-lb.io"
API_VERSION = f"{GROUP}/v1alpha1"
NOT_A_SITE = "site-not-a-site"


@dataclass(eq=False, slots=True)
class LoadedSite:
    """One site document: valid, or salvaged from schema errors (reported in the intake)
    without the parts that could not be read, which `gaps` names; then `doc` is a copy of
    the document without them (positions kept)."""

    site: Site
    file: str
    doc: LocMap
    index: int  # document number in its file (0-based)
    gaps: Gaps | None = None

    @property
    def complete(self) -> bool:
        """Read as written (no schema error)."""
        return self.gaps is None


@dataclass(eq=False)
class SiteLoad:
    """Everything read from the inputs: valid sites and the findings made while reading.

    `intake` is a ClusterConfig that holds only reading findings (syntax, schema,
    site-not-a-site), so they go through the rule registry like every other finding.
    """

    sites: list[LoadedSite] = field(default_factory=list)
    files: list[LoadedFile] = field(default_factory=list)
    intake: ClusterConfig = field(default_factory=lambda: ClusterConfig(name="<site specs>"))
    candidates: int = 0  # documents read as site specs, valid or not

    @property
    def fatal(self) -> bool:
        return any(issue.fatal for lf in self.files for issue in lf.issues)


def load_sites(paths: Iterable[str]) -> SiteLoad:
    """Read files and folders (each file once, however often it is named)."""
    return sites_from_files(read_files(paths))


def read_files(paths: Iterable[str]) -> Iterator[LoadedFile]:
    """Each file of the files and folders named, once, read when asked for."""
    return read_expanded(expand_paths(paths))


def read_expanded(entries: Iterable[tuple[str, LoadIssue | None]]) -> Iterator[LoadedFile]:
    """read_files() on what expand_paths() (or a filter of it) yields."""
    seen: set[str] = set()
    for path, problem in entries:
        key = path if path == "-" else os.path.realpath(path)
        if key in seen:  # a folder and a file inside it: read the file once
            continue
        seen.add(key)
        if problem is not None:
            lf = LoadedFile(path)
            lf.issues.append(problem)
        else:
            lf = load_file(path)
        yield lf


def sites_from_files(files: Iterable[LoadedFile]) -> SiteLoad:
    out = SiteLoad()
    for lf in files:
        add_file(out, lf)
    note_no_site(out)
    return out


def add_file(out: SiteLoad, lf: LoadedFile) -> None:
    out.files.append(lf)
    for issue in lf.issues:
        out.intake.add_intake(issue.rule, Finding(issue.message, location=issue.location))
    for doc in lf.documents:
        add_document(out, doc)


def note_no_site(out: SiteLoad) -> None:
    """After the last file: say so when no document at all was a site spec."""
    if not out.candidates and out.files and not any(lf.issues for lf in out.files):
        out.intake.add_intake(
            NOT_A_SITE,
            Finding(
                f"no site spec (kind: Site, apiVersion: {API_VERSION}) found in the inputs",
                location=Location(out.files[0].path),
            ),
        )


def is_site_candidate(data: LocMap) -> bool:
    api, kind = data.get("apiVersion"), data.get("kind")
    if kind == "Site":
        return True
    if isinstance(api, str) and api.partition("/")[0] == GROUP:
        return True
    return "spec" in data and "kind" not in data and "apiVersion" not in data


def add_document(out: SiteLoad, doc: Document) -> None:
    data = doc.data
    if not isinstance(data, LocMap):
        return  # not shaped like a Kubernetes object or a site spec: ignored
    loc = Location(doc.file, *doc.pos)
    if not is_site_candidate(data):
        api, kind = data.get("apiVersion"), data.get("kind")
        if isinstance(kind, str) and isinstance(api, str):
            out.intake.add_intake(
                NOT_A_SITE,
                Finding(
                    f"{kind} ({api}) is not a site spec and is not checked; "
                    "check Kubernetes manifests with `gitops-lb lint`",
                    location=loc,
                ),
            )
        return
    out.candidates += 1
    meta = data.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    stub: Item[Any] = Item(
        None, "Site", name if isinstance(name, str) else "", None, doc.file, data
    )
    try:
        site = Site.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        words = SiteWords(data)
        for err in reported(Site, errors):
            report_validation_error(out.intake, stub, Site, err, words)
        # check the rest: what could not be read is left out (and noted, so that no rule
        # reports its absence)
        got = salvage(Site, data, errors, fill=stand_in)
        if got.model is not None:
            out.sites.append(LoadedSite(got.model, doc.file, got.doc, doc.index, got.gaps))
        return
    out.sites.append(LoadedSite(site, doc.file, data, doc.index))


# required fields of a site whose value no check reads: a stand-in keeps the rest checked
STAND_INS: dict[FieldPath, Any] = {
    ("apiVersion",): API_VERSION,
    ("kind",): "Site",
    ("spec", "platform"): "metallb",
    ("spec", "argocd", "repoURL"): "https://invalid.invalid/",
}


def stand_in(path: FieldPath) -> Any:
    if path == ("spec", "argocd"):
        value = LocMap()
        value["repoURL"] = STAND_INS[(*path, "repoURL")]
        value.kpos["repoURL"] = value.vpos["repoURL"] = value.pos
        return value
    return STAND_INS.get(path)
