"""A URL in the site spec carries credentials (`https://user:token@host`).

The site spec lives in Git and its URLs are copied into the compiled Argo CD Applications, so
a token or password written into `argocd.repoURL` or a cluster's `server` would be readable by
everyone who can read either repository. Write the plain URL and give Argo CD the credentials
the way it expects them: a repository (or repo-creds) Secret for `repoURL`, a cluster Secret
for `server`. `gitops-lb compile` never writes such a URL, whatever the rule settings.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from gitops_lb.config import Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import SITES_ONLY, Rule
from gitops_lb.secrecy import has_url_credentials, mask_urls
from gitops_lb.site.facts import one_per_site, site_item

if TYPE_CHECKING:
    from gitops_lb.diagnostics import FieldPath
    from gitops_lb.site.target import ClusterTarget

ID = "site-url-credentials"


def urls(target: ClusterTarget) -> Iterator[tuple[str, FieldPath, str]]:
    """(what, path, url) of every URL of a site that ends up in the compiled output."""
    spec = target.site.spec
    yield "argocd.repoURL", ("spec", "argocd", "repoURL"), spec.argocd.repoURL
    for i, cluster in enumerate(spec.clusters):
        yield (
            f"the server of cluster {cluster.name!r}",
            ("spec", "clusters", i, "server"),
            (cluster.server),
        )


def check_sites(targets: Sequence[ClusterTarget]) -> Iterator[Finding]:
    for target in one_per_site(targets):
        item = site_item(target)
        for what, path, url in urls(target):
            if has_url_credentials(url):
                yield Finding(
                    f"{what} carries credentials ({mask_urls(url)}); give them to Argo CD in a "
                    "Secret and write the URL without them",
                    item,
                    path,
                )


RULE = Rule(ID, Severity.ERROR, "site", __doc__ or "", check_sites=check_sites, applies=SITES_ONLY)
