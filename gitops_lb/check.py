"""Check site specs: reading findings, every rule on each lowered cluster, whole-repo rules.

What `gitops-lb validate` runs, and the commands that validate before they act (compile,
plan, render). It sits above gitops_lb.site and gitops_lb.rules: the site package reads,
lowers and describes site specs, the rules check them, and this module runs the one on the
other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from gitops_lb.config import ClusterConfig
from gitops_lb.diagnostics import Diagnostic, Directive, Result, Severity
from gitops_lb.rules import run_across_rules, run_one_site_rules, run_rules, run_target_rules
from gitops_lb.rules._base import Input
from gitops_lb.site.load import SiteLoad, add_file, load_sites, note_no_site, read_files
from gitops_lb.site.lower import lower_all, lower_site
from gitops_lb.site.summary import SiteSummary, by_site, summarize
from gitops_lb.site.target import ClusterTarget
from gitops_lb.yamlload import LoadedFile


@dataclass(eq=False)
class Loaded:
    """Site specs loaded, lowered and checked all at once (plan, render)."""

    result: Result  # every finding of the checks `validate` runs
    targets: list[ClusterTarget]


def checked(load: SiteLoad, *, compat: bool = False, disabled: Iterable[str] = ()) -> Loaded:
    """Lower loaded site specs and run the checks `validate` runs on them."""
    targets = lower_all(load)
    result = Result(files=len(load.files), fatal=load.fatal)
    result.extend(validate_sites(load, targets, compat=compat, disabled=disabled))
    return Loaded(result, targets)


def load_checked(
    paths: Iterable[str], *, compat: bool = False, disabled: Iterable[str] = ()
) -> Loaded:
    return checked(load_sites(paths), compat=compat, disabled=disabled)


def validate_sites(
    load: SiteLoad,
    targets: Sequence[ClusterTarget],
    *,
    compat: bool = False,
    disabled: Iterable[str] = (),
) -> list[Diagnostic]:
    """All diagnostics, deduplicated and sorted by location."""
    checker = SiteChecker(compat=compat, disabled=disabled)
    for group in by_site(targets):
        checker.site(group)
    return checker.finish(load.intake)


class SiteChecker:
    """validate's checks, one site at a time: each site's clusters can be let go once it has
    been checked; only the findings and a summary of the site (for the rules that compare
    sites) are kept."""

    def __init__(self, *, compat: bool = False, disabled: Iterable[str] = ()) -> None:
        self.compat = compat
        self.skip = set(disabled)
        self.found: list[Diagnostic] = []
        self.summaries: list[SiteSummary] = []
        self.targets = 0  # clusters checked so far: numbers them in input order

    def site(self, targets: Sequence[ClusterTarget]) -> bool:
        """Check the clusters of one site (as lowering returns them); True if no error."""
        if not targets:
            return True
        before = len(self.found)
        for target in targets:
            self.found.extend(run_target_rules(target, compat=self.compat, disabled=self.skip))
        self.found.extend(run_one_site_rules(targets, compat=self.compat, disabled=self.skip))
        self.summaries.append(summarize(targets, len(self.summaries), self.targets))
        self.targets += len(targets)
        return all(d.severity is not Severity.ERROR for d in self.found[before:])

    def finish(self, intake: ClusterConfig) -> list[Diagnostic]:
        """Reading findings, the findings of every site, and the comparisons between sites."""
        found = run_rules(intake, compat=self.compat, disabled=self.skip, source=Input.SITES)
        found.extend(self.found)
        found.extend(run_across_rules(self.summaries, compat=self.compat, disabled=self.skip))
        return sorted(set(found), key=Diagnostic.sort_key)


def check_paths(
    paths: Iterable[str],
    *,
    compat: bool = False,
    disabled: Iterable[str] = (),
    each_site: Callable[[list[ClusterTarget]], None] | None = None,
) -> Result:
    """Read, lower and check site spec files one at a time (what `validate` and `compile`
    do): memory holds one file's sites, whatever the size of the repository. `each_site`
    gets the lowered clusters of every site without errors of its own (schema errors
    included) before they are let go (what it keeps of them stays in memory)."""
    return check_files(read_files(paths), compat=compat, disabled=disabled, each_site=each_site)


def check_files(
    files: Iterable[LoadedFile],
    *,
    compat: bool = False,
    disabled: Iterable[str] = (),
    each_site: Callable[[list[ClusterTarget]], None] | None = None,
) -> Result:
    """check_paths() on files already read (or read one by one as they are iterated); each
    file's documents are let go once its sites are lowered (its issues stay)."""
    checker = SiteChecker(compat=compat, disabled=disabled)
    load = SiteLoad()
    directives: list[Directive] = []  # suppression comments, applied by lint and validate
    for lf in files:
        directives.extend(lf.directives)
        add_file(load, lf)
        lf.documents.clear()  # only its issues are needed from here on
        while load.sites:
            loaded = load.sites.pop(0)
            targets = lower_site(loaded)
            # a site salvaged from schema errors is checked, never compiled
            if checker.site(targets) and loaded.complete and each_site is not None:
                each_site(targets)
            del targets  # reference counting frees the site's clusters here
    note_no_site(load)
    result = Result(files=len(load.files), fatal=load.fatal, directives=directives)
    result.extend(checker.finish(load.intake))
    return result
