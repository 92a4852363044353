"""Two Services request the same IP, and MetalLB will not let them share it.

Several Services may use one address only if all of them carry the same non-empty
`metallb.io/allow-shared-ip` key, have the same backends (with `externalTrafficPolicy: Local`
their pod selectors must be identical; Cluster services need nothing more), and no protocol and
port pair is used twice on the address (TCP/53 and UDP/53 can coexist). Otherwise only the
first Service gets the address and the others stay pending. The rule takes the Services in
namespace/name order, treats the first as the holder and reports every later one that would be
refused, with the Service it collides with as related location.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.poolspace import IP, ip_text
from gitops_lb.metallb.services import ServiceView, services_of
from gitops_lb.rules._base import Rule
from gitops_lb.words import service_setting, title

ID = "service-ip-sharing"


def refusal(
    holder: ServiceView, new: ServiceView, used: dict[tuple[str, int], ServiceView]
) -> tuple[str, ServiceView] | None:
    """Why MetalLB refuses `new` on an address `holder` (and the accepted ones) already use."""
    key = service_setting(new.item, "allow-shared-ip", "allow-shared-ip key")
    if holder.sharing_key == "":
        return f"{holder.ref} has no {key}", holder
    if new.sharing_key == "":
        return f"it has no {key}", holder
    if new.sharing_key != holder.sharing_key:
        return (
            f"its {key} {new.sharing_key!r} differs from {holder.sharing_key!r} of {holder.ref}",
            holder,
        )
    if new.backend_key != holder.backend_key:
        return (
            "externalTrafficPolicy Local needs identical pod selectors, and "
            f"{holder.ref} selects other pods",
            holder,
        )
    for proto, port in new.ports:
        other = used.get((proto, port))
        if other is not None:
            return f"port {proto}/{port} is already used on it by {other.ref}", other
    return None


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    by_ip: dict[IP, list[ServiceView]] = {}
    for view in services_of(cfg).views:
        if view.desired is not None:
            for ip in dict.fromkeys(view.desired.ips):
                by_ip.setdefault(ip, []).append(view)
    reported: set[tuple[int, int]] = set()
    for ip, views in sorted(by_ip.items()):
        if len(views) < 2:
            continue
        views.sort(key=lambda v: (v.namespace or "", v.item.name, v.item.file))
        holder = views[0]
        seen = {(holder.namespace, holder.item.name)}
        used = dict.fromkeys(holder.ports, holder)
        for view in views[1:]:
            if (view.namespace, view.item.name) in seen:
                continue  # the same Service written twice: object-duplicate reports it
            seen.add((view.namespace, view.item.name))
            refused = refusal(holder, view, used)
            if refused is None:
                for port in view.ports:
                    used.setdefault(port, view)
                continue
            reason, other = refused
            if (id(view), id(other)) in reported:
                continue
            reported.add((id(view), id(other)))
            assert view.desired is not None and other.desired is not None
            yield Finding(
                f"{title(view.item)} cannot share {ip_text(ip)} with {other.ref}: {reason}",
                view.item,
                view.desired.path,
                related=(
                    Rel(f"{other.ref} requests {ip_text(ip)} here", other.item, other.desired.path),
                ),
            )


RULE = Rule(ID, Severity.ERROR, "service", __doc__ or "", check)
