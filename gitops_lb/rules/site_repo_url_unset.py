"""`argocd.repoURL` still holds the marker `gitops-lb import` writes when it is not told the URL.

`gitops-lb import` cannot know which Git repository Argo CD will read the compiled tree from.
Run without `--repo-url`, it writes `repoURL: REPLACE-ME-git-repository-url` (with a comment
above it) instead of inventing a URL that would look real: every Application `compile` writes
copies `argocd.repoURL` as its `source.repoURL`, and Argo CD would fail to fetch it, or fetch
somebody else's repository. This rule keeps the site spec from validating or compiling until
the marker is replaced: set `spec.argocd.repoURL` to the URL Argo CD knows the repository by
(the one in its repository Secret, e.g. `https://git.example.org/platform/lb.git`), or import
again with `--repo-url URL`. The error is at the marker's line.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from gitops_lb.config import Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import SITES_ONLY, Rule
from gitops_lb.site.facts import one_per_site, site_item

if TYPE_CHECKING:
    from gitops_lb.site.target import ClusterTarget

ID = "site-repo-url-unset"
# what `gitops-lb import` writes as argocd.repoURL without --repo-url: no URL scheme, so it can
# never be mistaken for (or resolve to) a real repository
MARKER = "REPLACE-ME-git-repository-url"


def is_marker(url: str) -> bool:
    return url.strip() == MARKER


def check_sites(targets: Sequence[ClusterTarget]) -> Iterator[Finding]:
    for target in one_per_site(targets):
        if is_marker(target.site.spec.argocd.repoURL):
            yield Finding(
                f"site {target.site.metadata.name!r}: argocd.repoURL is still the marker "
                f"{MARKER!r} that `gitops-lb import` writes; set it to the URL of the Git "
                "repository Argo CD reads the compiled tree from (or import again with "
                "--repo-url URL)",
                site_item(target),
                ("spec", "argocd", "repoURL"),
            )


RULE = Rule(ID, Severity.ERROR, "site", __doc__ or "", check_sites=check_sites, applies=SITES_ONLY)
