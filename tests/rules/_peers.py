"""Manifest builders for the BGPPeer tests (block style, one spec field per line).

A document from `peer` starts with `---`; its spec lines start at line 6 of the document.
"""

from __future__ import annotations

from tests.helpers import NS

BASE = ("myASN: 64512", "peerASN: 64513", "peerAddress: 10.0.0.1")


def peer(name: str, *lines: str, version: str = "v1beta2", base: bool = True) -> str:
    spec = (*BASE, *lines) if base else lines
    body = "".join(f"  {line}\n" for line in spec) if spec else "  {}\n"
    return (
        f"---\napiVersion: metallb.io/{version}\nkind: BGPPeer\n"
        f"metadata: {{name: {name}, namespace: {NS}}}\nspec:\n{body}"
    )


def bfd(name: str) -> str:
    return (
        f"---\napiVersion: metallb.io/v1beta1\nkind: BFDProfile\n"
        f"metadata: {{name: {name}, namespace: {NS}}}\n"
    )


def secret(
    name: str,
    *,
    type_: str = "kubernetes.io/basic-auth",
    data: str = "password: cHc=",
    namespace: str = NS,
) -> str:
    return (
        f"---\napiVersion: v1\nkind: Secret\nmetadata: {{name: {name}, namespace: {namespace}}}\n"
        f"type: {type_}\ndata: {{{data}}}\n"
    )


def node(name: str, **labels: str) -> str:
    shown = ", ".join(f"{k}: {v}" for k, v in {"kubernetes.io/hostname": name, **labels}.items())
    return f"---\napiVersion: v1\nkind: Node\nmetadata: {{name: {name}, labels: {{{shown}}}}}\n"
