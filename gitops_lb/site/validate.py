"""Check site specs: reading findings, every rule on each lowered cluster, whole-repo rules.

Shared by `gitops-lb validate` and the commands that validate before they act (compile).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from gitops_lb.config import ClusterConfig
from gitops_lb.diagnostics import Diagnostic, Result, Severity
from gitops_lb.rules import all_rules, run_across_rules, run_one_site_rules, run_rules
from gitops_lb.site.load import SiteLoad, add_file, note_no_site, read_files
from gitops_lb.site.lower import lower_site
from gitops_lb.site.summary import SiteSummary, by_site, summarize
from gitops_lb.site.target import ClusterTarget
from gitops_lb.yamlload import LoadedFile

# Manifest rules that need objects a site spec never holds: the BGP password Secret is
# delivered outside Git (sealed or external secrets), so its absence is not a mistake here.
NOT_FOR_SITES = frozenset({"peer-password-secret"})


def replaced_rules(disabled: Iterable[str]) -> set[str]:
    """Manifest rules that enabled site rules report in site terms (Rule.replaces)."""
    skip = set(disabled)
    return {r for rule in all_rules().values() if rule.id not in skip for r in rule.replaces}


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
        self.on_clusters = self.skip | replaced_rules(self.skip) | NOT_FOR_SITES
        self.found: list[Diagnostic] = []
        self.summaries: list[SiteSummary] = []
        self.targets = 0  # clusters checked so far: numbers them in input order

    def site(self, targets: Sequence[ClusterTarget]) -> bool:
        """Check the clusters of one site (as lowering returns them); True if no error."""
        if not targets:
            return True
        before = len(self.found)
        for target in targets:
            self.found.extend(
                run_rules(target.config, compat=self.compat, disabled=self.on_clusters)
            )
        self.found.extend(run_one_site_rules(targets, compat=self.compat, disabled=self.skip))
        self.summaries.append(summarize(targets, len(self.summaries), self.targets))
        self.targets += len(targets)
        return all(d.severity is not Severity.ERROR for d in self.found[before:])

    def finish(self, intake: ClusterConfig) -> list[Diagnostic]:
        """Reading findings, the findings of every site, and the comparisons between sites."""
        found = run_rules(intake, compat=self.compat, disabled=self.skip)
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
    gets the lowered clusters of every site without errors of its own before they are let go
    (it must not keep them: they are taken apart)."""
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
    for lf in files:
        add_file(load, lf)
        lf.documents.clear()  # only its issues are needed from here on
        while load.sites:
            targets = lower_site(load.sites.pop(0))
            if checker.site(targets) and each_site is not None:
                each_site(targets)
            let_go(targets)
            del targets
    note_no_site(load)
    result = Result(files=len(load.files), fatal=load.fatal)
    result.extend(checker.finish(load.intake))
    return result


def let_go(targets: Sequence[ClusterTarget]) -> None:
    """Break what ties a site's clusters together so reference counting frees them at once
    (commands run without the cycle collector): each configuration refers back to its
    ClusterTarget."""
    for target in targets:
        target.config.site = None
