"""Site spec test helpers: load text in memory, find lines by their content."""

from __future__ import annotations

import textwrap

from gitops_lb.check import validate_sites
from gitops_lb.diagnostics import Diagnostic
from gitops_lb.site.load import SiteLoad, sites_from_files
from gitops_lb.site.lower import lower_all
from gitops_lb.site.target import ClusterTarget
from gitops_lb.yamlload import load_text

FILE = "site.yaml"

HEAD = """\
apiVersion: gitops-lb.io/v1alpha1
kind: Site
metadata:
  name: {name}
spec:
  platform: acp
  argocd: {{repoURL: https://git.example.com/lb.git}}
"""


def site(body: str, *, name: str = "dc1") -> str:
    """A site document: the header plus `body` (dedented, then indented under spec:)."""
    return HEAD.format(name=name) + textwrap.indent(textwrap.dedent(body), "  ")


def load(*texts: str, files: tuple[str, ...] = ()) -> SiteLoad:
    names = files or tuple(FILE if i == 0 else f"site{i}.yaml" for i in range(len(texts)))
    return sites_from_files(load_text(t, f) for t, f in zip(texts, names, strict=True))


def targets(*texts: str) -> list[ClusterTarget]:
    return lower_all(load(*texts))


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line number of the nth line containing `needle`."""
    found = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(found) >= nth, f"{needle!r} not in text"
    return found[nth - 1]


def check(*texts: str, compat: bool = False) -> list[Diagnostic]:
    """Everything `validate` reports for these site texts."""
    sl = load(*texts)
    return validate_sites(sl, lower_all(sl), compat=compat)


def hits(rule: str, *texts: str) -> list[tuple[str, int]]:
    """(file, line) where `rule` fires."""
    return [(d.location.file, d.location.line) for d in check(*texts) if d.rule == rule]


def lines(rule: str, *texts: str) -> list[int]:
    return [line for _, line in hits(rule, *texts)]
