"""A Service requests an IP written in IPv4-mapped IPv6 notation (`::ffff:a.b.c.d`).

MetalLB treats `::ffff:192.0.2.10` as the IPv4 address 192.0.2.10 and assigns it, but the
Service status then shows `192.0.2.10`, so Git and the cluster spell the same address
differently, and tools that compare them (reviews, reconciliation, address inventories) see a
change where there is none. A Service that asks for IPv6 gets IPv4. Write the plain IPv4
address; the message gives it.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.mapped import plain_form
from gitops_lb.metallb.services import services_of
from gitops_lb.rules._base import Rule
from gitops_lb.words import title

ID = "service-ipv4-mapped"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for view in services_of(cfg).views:
        for request in view.requests:
            if request.error is not None:
                continue
            parts = [request.text] if request.label.startswith("spec.") else request.text.split(",")
            for part in parts:
                plain = plain_form(part.strip())
                if plain is not None:
                    yield Finding(
                        f"{title(view.item)}: {request.label} {part.strip()!r} uses IPv4-mapped "
                        f"IPv6 notation; write {plain!r}",
                        view.item,
                        request.path,
                    )


RULE = Rule(ID, Severity.ERROR, "service", __doc__ or "", check)
