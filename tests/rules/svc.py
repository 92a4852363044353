"""Builders for Service test manifests (line numbers are found with `line_of`)."""

from __future__ import annotations

import json

from tests.helpers import NS, lint

IPS = "metallb.io/loadBalancerIPs"
OLD_IPS = "metallb.universe.tf/loadBalancerIPs"
POOL = "metallb.io/address-pool"
OLD_POOL = "metallb.universe.tf/address-pool"
SHARE = "metallb.io/allow-shared-ip"
OLD_SHARE = "metallb.universe.tf/allow-shared-ip"


def svc(
    name: str,
    *,
    ns: str | None = "web",
    ann: dict[str, str] | None = None,
    labels: str = "",
    spec: str = "",
    ports: str = "[{port: 80}]",
) -> str:
    """A LoadBalancer Service; `spec` holds extra indented spec lines."""
    lines = ["---", "apiVersion: v1", "kind: Service", "metadata:", f"  name: {name}"]
    if ns:
        lines.append(f"  namespace: {ns}")
    if labels:
        lines.append(f"  labels: {labels}")
    if ann:
        lines.append("  annotations:")
        lines.extend(f"    {k}: {json.dumps(v)}" for k, v in ann.items())
    lines += ["spec:", "  type: LoadBalancer", f"  ports: {ports}"]
    return "\n".join(lines) + "\n" + spec


def l2(name: str, spec: str = "") -> str:
    body = f"spec:\n{spec}" if spec else ""
    return (
        f"---\napiVersion: metallb.io/v1beta1\nkind: L2Advertisement\n"
        f"metadata: {{name: {name}, namespace: {NS}}}\n{body}"
    )


def namespace(name: str, labels: str) -> str:
    return f"---\napiVersion: v1\nkind: Namespace\nmetadata: {{name: {name}, labels: {labels}}}\n"


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line containing needle."""
    found = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return found[nth - 1]


def found(text: str, rule: str, *, version: str | None = None) -> list[tuple[int, str]]:
    """(line, message) of every finding of `rule`."""
    return [(d.location.line, d.message) for d in lint(text, version=version) if d.rule == rule]


def severities(text: str, rule: str, *, version: str | None = None) -> set[str]:
    return {str(d.severity) for d in lint(text, compat=True, version=version) if d.rule == rule}
