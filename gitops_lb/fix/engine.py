"""Pair the findings of a run with fixes, choose which to apply, apply them, write the files.

`attach` gives each finding its fix (Diagnostic.fix), which the reports show; `choose` picks
the fixes to apply (not suppressed, safe unless --unsafe-fixes, not overlapping another);
`apply_file` splices them into the file's text and proves with yamltext.verified that the
data changed only as meant; `write_all` replaces the files through temporary files, so that an
unwritable file leaves every file as it was.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import os
import stat
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from gitops_lb.diagnostics import Diagnostic, Fix, Replacement, Result
from gitops_lb.errors import GitopsLbError
from gitops_lb.fix import fixable
from gitops_lb.fix import yamltext as yt
from gitops_lb.fix.fixers import Plan, plans
from gitops_lb.metallb.versions import Version
from gitops_lb.yamlload import decode

BOM = "\ufeff"


@dataclass(slots=True)
class FileText:
    """A file as read (its text without the byte-order mark) and as the fixes leave it."""

    path: str
    original: str
    bom: bool
    text: str

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def data(self) -> bytes:
        return ((BOM if self.bom else "") + self.text).encode("utf-8")


def read(path: str) -> FileText | None:
    """The text of a file a fix may rewrite; None when it cannot be read as UTF-8 text."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError:
        return None
    text, _ = decode(raw, path)
    if text is None:
        return None
    return FileText(path, text, raw.startswith(BOM.encode("utf-8")), text)


Key = tuple[str, str, int, int]  # rule, file, line, column


def _key(d: Diagnostic) -> Key:
    return d.rule, d.location.file, d.location.line, d.location.column


def plan_all(
    result: Result, texts: Mapping[str, FileText], version: Version, *, fast: bool = False
) -> dict[Key, tuple[Plan, yt.Source]]:
    """The plan fixing each finding that has one (by finding), with the text it edits;
    `fast` locates nodes with libyaml instead of ruamel.yaml (yamltext.parse)."""
    wanted: dict[str, set[str]] = {}
    for d in result.diagnostics:
        if fixable(d):
            wanted.setdefault(d.location.file, set()).add(d.rule)
    lines: dict[str, set[int]] = {}
    for d in result.diagnostics:
        if fixable(d):
            lines.setdefault(d.location.file, set()).add(d.location.line)
    out: dict[Key, tuple[Plan, yt.Source]] = {}
    for file, rules in sorted(wanted.items()):
        ft = texts.get(file)
        if ft is None:
            continue
        if yt.plain_documents(ft.text) is None:
            continue  # a document YAML cannot read: the fixes could not be checked
        src = yt.parse(ft.text, lines[file], fast=fast)
        if src is None:
            continue
        found = list(plans(src, rules, version))
        by_place: dict[tuple[str, int, int], list[Plan]] = {}
        by_line: dict[tuple[str, int], list[Plan]] = {}
        for p in found:
            by_place.setdefault((p.rule, *p.anchor), []).append(p)
            by_line.setdefault((p.rule, p.anchor[0]), []).append(p)
        for d in result.diagnostics:
            if d.location.file != file or d.rule not in rules:
                continue
            here = by_place.get((d.rule, d.location.line, d.location.column))
            if here is None:  # the rule points elsewhere on the line: one plan there only
                same_line = by_line.get((d.rule, d.location.line), [])
                here = same_line if len(same_line) == 1 else []
            # a plan that names its correction fixes the finding that names the same one
            fitting = [p for p in here if p.hint in d.message]
            if fitting:
                out[_key(d)] = (fitting[0], src)
    return out


def as_fix(plan: Plan, src: yt.Source) -> Fix:
    return Fix(
        plan.description,
        plan.safe,
        tuple(
            Replacement(src.position(start), src.position(end), new)
            for start, end, new in sorted(plan.edits)
        ),
    )


def attach(result: Result, planned: Mapping[Key, tuple[Plan, yt.Source]]) -> None:
    """Give each finding with a plan its Diagnostic.fix (what the reports show)."""
    result.diagnostics = [
        dataclasses.replace(d, fix=as_fix(*planned[_key(d)])) if _key(d) in planned else d
        for d in result.diagnostics
    ]


def choose(
    result: Result, planned: Mapping[Key, tuple[Plan, yt.Source]], *, unsafe: bool
) -> dict[str, list[tuple[Diagnostic, Plan]]]:
    """The fixes to apply, by file: those of findings shown (not suppressed), safe unless
    `unsafe`, in file order, leaving out one that overlaps a fix chosen before it."""
    out: dict[str, list[tuple[Diagnostic, Plan]]] = {}
    for d in sorted(set(result.diagnostics), key=Diagnostic.sort_key):
        if d.suppressed or _key(d) not in planned:
            continue
        plan = planned[_key(d)][0]
        if not (plan.safe or unsafe):
            continue
        chosen = out.setdefault(d.location.file, [])
        if any(p.edits == plan.edits for _, p in chosen):
            chosen.append((d, plan))  # two findings, one correction (made once)
        elif not any(yt.overlaps(p.edits, plan.edits) for _, p in chosen):
            chosen.append((d, plan))
    return out


def apply_file(ft: FileText, chosen: Iterable[tuple[Diagnostic, Plan]]) -> list[Diagnostic]:
    """Make the chosen fixes in ft.text; the findings fixed. A fix whose result does not read
    as meant (yamltext.verified) is left out."""
    by_edits: dict[tuple[yt.Edit, ...], list[Diagnostic]] = {}
    unique: list[Plan] = []
    for d, plan in chosen:
        if plan.edits not in by_edits:
            unique.append(plan)
        by_edits.setdefault(plan.edits, []).append(d)
    kept = _verified(ft.text, unique)
    if not kept:
        return []
    ft.text = yt.apply(ft.text, [e for p in kept for e in p.edits])
    return [d for p in kept for d in by_edits[p.edits]]


def _verified(text: str, unique: list[Plan]) -> list[Plan]:
    def good(subset: list[Plan]) -> bool:
        new = yt.apply(text, [e for p in subset for e in p.edits])
        return yt.verified(text, new, [(p.doc, p.change) for p in subset])

    if not unique or good(unique):
        return unique
    alone = [pair for pair in unique if good([pair])]
    return alone if good(alone) else alone[:1]


def unified_diff(ft: FileText) -> str:
    """A unified diff of the file's fixes, labelled a/PATH and b/PATH."""
    name = _label(ft.path)
    old = ft.original.splitlines(keepends=True)
    new = ft.text.splitlines(keepends=True)
    lines = difflib.unified_diff(old, new, f"a/{name}", f"b/{name}")
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _label(path: str) -> str:
    """The path as the diff names it: relative to the current folder when inside it."""
    rel = os.path.relpath(path)
    shown = path if rel.startswith("..") else rel
    return shown.replace(os.sep, "/")


def write_all(files: Iterable[FileText]) -> None:
    """Replace each changed file by its new text: all of them, or (GitopsLbError) none."""
    todo = [ft for ft in files if ft.changed]
    for ft in todo:
        problem = _unwritable(ft.path)
        if problem is not None:
            raise GitopsLbError(f"cannot fix {ft.path}: {problem}; no file was changed")
    temps: list[tuple[str, FileText]] = []
    try:
        for ft in todo:
            # a link stays a link: the file it points to is rewritten
            folder = os.path.dirname(os.path.realpath(ft.path))
            fd, temp = tempfile.mkstemp(prefix=".gitops-lb-fix-", dir=folder)
            temps.append((temp, ft))
            with os.fdopen(fd, "wb") as fh:
                fh.write(ft.data())
            os.chmod(temp, stat.S_IMODE(os.stat(ft.path).st_mode))
    except OSError as exc:
        for temp, _ in temps:
            _remove(temp)
        where = temps[-1][1].path if temps else "the files"
        raise GitopsLbError(
            f"cannot fix {where}: {exc.strerror or exc}; no file was changed"
        ) from None
    for temp, ft in temps:
        os.replace(temp, os.path.realpath(ft.path))


def _unwritable(path: str) -> str | None:
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return exc.strerror or str(exc)
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return "the file is read-only"
    if not os.access(path, os.W_OK):
        return "permission denied"
    return None


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
