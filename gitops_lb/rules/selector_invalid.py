"""A label selector that Kubernetes cannot convert.

MetalLB turns every selector of its objects into a Kubernetes label selector and rejects the
whole configuration when one does not convert. The operator must be exactly `In`, `NotIn`,
`Exists` or `DoesNotExist` (case matters: `in` is refused); `In` and `NotIn` need at least
one value, `Exists` and `DoesNotExist` take none; keys must be valid label keys (an optional
DNS subdomain prefix and `/`, then at most 63 letters, digits, `-`, `_` or `.`, starting and
ending alphanumeric) and values valid label values (the same characters, at most 63, or
empty). Checked in pool `serviceAllocation` selectors, advertisement pool, node and service
selectors, L2 `preferredNodeSelectors` preferences and BGPPeer `nodeSelectors`.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity, format_path
from gitops_lb.metallb.selector_fields import all_selectors
from gitops_lb.metallb.selectors import selector_problems
from gitops_lb.rules._base import Rule
from gitops_lb.words import field_subject

ID = "selector-invalid"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for item, path, sel in all_selectors(cfg):
        for problem in selector_problems(sel):
            yield Finding(
                f"{field_subject(item, path, format_path(path[1:]))}: {problem.message}",
                item,
                (*path, *problem.path),
            )


RULE = Rule(ID, Severity.ERROR, "metallb", __doc__ or "", check, enforced=True)
