"""`compile -o DIR` writes somewhere else than the site's `argocd.path`.

Each Application that compile writes reads its cluster's folder at
`<argocd.path>/<site>/<cluster>` of the repository `argocd.repoURL` names. When DIR is not
`argocd.path`, the Applications point at a folder compile did not write (or at an old copy of
it), and Argo CD syncs nothing, or the wrong thing. compile compares DIR, relative to the root
of the Git repository that holds it, with each site's `argocd.path`; outside every Git
repository, DIR is taken relative to the current folder, and a DIR outside both is not checked.
The warning is at the site's `argocd.path` (or its `argocd:` when the default `deploy`
applies), and names the `-o` that matches; compile still writes. Compile to that folder, or set
`argocd.path` to where the tree is kept. Only `compile` runs this check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from gitops_lb.config import Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.names import repo_path_spelling
from gitops_lb.rules._base import SITES_ONLY, Rule
from gitops_lb.site.facts import one_per_site, site_item

if TYPE_CHECKING:
    from gitops_lb.site.target import ClusterTarget

ID = "site-argocd-path-mismatch"


def check_output(
    targets: Sequence[ClusterTarget],
    written: str,
    in_repository: bool,
    output_for: Callable[[str], str],
) -> Iterator[Finding]:
    """One finding per site whose argocd.path is not `written`, where compile writes (a
    repository path, relative to the repository's root or, outside every repository, to
    the current folder); output_for(path) is the -o that writes to `path`."""
    for target in one_per_site(targets):
        path = target.site.spec.argocd.path
        if repo_path_spelling(path) == written:
            continue
        base = (
            "the root of the Git repository holding it" if in_repository else "the current folder"
        )
        yield Finding(
            f"site {target.site.metadata.name!r}: the Applications read argocd.path {path!r}, "
            f"but compile writes to {written!r} (relative to {base}), so Argo CD will not "
            f"find this tree; compile with -o {output_for(path)}, or set argocd.path to "
            f"{written!r}",
            site_item(target),
            ("spec", "argocd", "path"),
        )


RULE = Rule(ID, Severity.WARNING, "site", __doc__ or "", applies=SITES_ONLY)
