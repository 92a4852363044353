"""Small document builders for rule tests: one object per call, `spec` in YAML flow style."""

from __future__ import annotations

from tests.helpers import NS


def obj(kind: str, name: str, spec: str = "", *, labels: str = "", api: str = "") -> str:
    """A MetalLB object on five lines: ---, apiVersion, kind, metadata, spec."""
    version = api or ("metallb.io/v1beta2" if kind == "BGPPeer" else "metallb.io/v1beta1")
    lab = f", labels: {labels}" if labels else ""
    text = (
        f"---\napiVersion: {version}\nkind: {kind}\n"
        f"metadata: {{name: {name}, namespace: {NS}{lab}}}\n"
    )
    return text + (f"spec: {spec}\n" if spec else "")


def bgpadv(name: str, spec: str = "{}", **kw: str) -> str:
    return obj("BGPAdvertisement", name, spec, **kw)


def l2adv(name: str, spec: str = "{}", **kw: str) -> str:
    return obj("L2Advertisement", name, spec, **kw)


def peer(name: str, spec: str = "") -> str:
    return obj("BGPPeer", name, spec or "{myASN: 64512, peerASN: 64513, peerAddress: 10.9.0.1}")


def community(name: str, *aliases: tuple[str, str]) -> str:
    items = ", ".join(f'{{name: "{n}", value: "{v}"}}' for n, v in aliases)
    return obj("Community", name, f"{{communities: [{items}]}}")


def node(name: str, labels: str = "{}") -> str:
    return f"---\napiVersion: v1\nkind: Node\nmetadata: {{name: {name}, labels: {labels}}}\n"


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line containing `needle`."""
    found = [i + 1 for i, ln in enumerate(text.splitlines()) if needle in ln]
    return found[nth - 1]
