"""A BGPPeer's interface, password, vrf or password Secret contains a line break.

MetalLB writes these values verbatim into the FRR configuration, which is line based: a
newline or carriage return in them ends the directive early and turns the rest of the value
into extra FRR commands. No MetalLB release checks this (v0.13.0 to v0.16.1 pass the text on
unchecked; a check is only proposed, in an open pull request to MetalLB), so the rule is not
enforced: an error by default, a warning under --metallb-compat. It looks at `interface`,
`password` and `vrf` of a BGPPeer and at the `password` in the Secret its `passwordSecret`
names, for `\\n` or `\\r`. A trailing newline usually comes from a YAML block scalar
(`password: |`) or from `echo` when the Secret was created: use a plain string, or
`echo -n ... | base64`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding, Item, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb import models as m
from gitops_lb.metallb.bgp import peer_label
from gitops_lb.rules._base import Rule

ID = "peer-line-break"
FIELDS = ("interface", "password", "vrf")


def has_line_break(text: str) -> bool:
    return "\n" in text or "\r" in text


def secret_password(secret: m.Secret) -> str | None:
    """The password the API server would store: stringData wins over data (base64)."""
    if "password" in secret.stringData:
        return secret.stringData["password"]
    raw = secret.data.get("password")
    if raw is None:
        return None
    try:
        return base64.b64decode(raw, validate=True).decode("utf-8", errors="replace")
    except (binascii.Error, ValueError):
        return None


def _secrets(cfg: ClusterConfig) -> dict[str, Item[m.Secret]]:
    out: dict[str, Item[m.Secret]] = {}
    for secret in cfg.secrets:
        if secret.namespace in (None, cfg.namespace):
            out.setdefault(secret.name, secret)
    return out


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    secrets = _secrets(cfg)
    for peer in cfg.peers:
        spec = peer.model.spec
        for field in FIELDS:
            value = getattr(spec, field)
            if has_line_break(value):
                yield Finding(
                    f"{field} of {peer_label(peer)} contains a line break ({value!r}); "
                    "MetalLB would write it into the FRR configuration as is",
                    peer,
                    ("spec", field),
                )
        ref = spec.passwordSecret
        secret = secrets.get(ref.name) if ref is not None and ref.name else None
        if secret is None or secret.model.type != "kubernetes.io/basic-auth":
            continue  # missing or unusable Secrets are peer-password-secret's
        password = secret_password(secret.model)
        if password is not None and has_line_break(password):
            yield Finding(
                f"the password in Secret {secret.name!r} (passwordSecret of {peer_label(peer)}) "
                "contains a line break; MetalLB would write it into the FRR configuration as is",
                peer,
                ("spec", "passwordSecret", "name"),
                related=(Rel("Secret defined here", secret, ("metadata", "name")),),
            )


# no release rejects it: not enforced (see the docstring)
RULE = Rule(ID, Severity.ERROR, "metallb", __doc__ or "", check)
