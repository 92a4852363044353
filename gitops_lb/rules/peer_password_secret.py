"""The Secret a BGPPeer's `passwordSecret` names is missing or unusable.

MetalLB looks the Secret up by name in its own namespace (the `namespace` of the reference is
ignored) and rejects the whole configuration when the Secret does not exist there, when its
`type` is not `kubernetes.io/basic-auth`, or when it has no `password` key (in `data` or
`stringData`). The webhook does not check this; the speakers do. Fix: create the Secret in
MetalLB's namespace:

    apiVersion: v1
    kind: Secret
    type: kubernetes.io/basic-auth
    metadata: {name: bgp-password, namespace: metallb-system}
    stringData: {password: ...}

When the Secret is delivered outside these manifests (a SealedSecret or an ExternalSecret),
or the speakers run FRR-K8s with secret passthrough, disable this rule with
`--disable peer-password-secret`.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding, Item, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb import models as m
from gitops_lb.metallb.bgp import peer_label
from gitops_lb.rules._base import MANIFESTS_ONLY, Rule

ID = "peer-password-secret"
BASIC_AUTH = "kubernetes.io/basic-auth"


def _secrets(cfg: ClusterConfig) -> tuple[dict[str, Item[m.Secret]], dict[str, Item[m.Secret]]]:
    """(name -> Secret in MetalLB's namespace, name -> Secret elsewhere), first one wins."""
    here: dict[str, Item[m.Secret]] = {}
    elsewhere: dict[str, Item[m.Secret]] = {}
    for secret in cfg.secrets:
        where = here if secret.namespace in (None, cfg.namespace) else elsewhere
        where.setdefault(secret.name, secret)
    return here, elsewhere


def _data_path(secret: Item[m.Secret]) -> tuple[str, ...]:
    doc = secret.doc
    for key in ("data", "stringData"):
        if isinstance(doc, dict) and key in doc:
            return (key,)
    return ("metadata", "name")


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    here, elsewhere = _secrets(cfg)
    for peer in cfg.peers:
        ref = peer.model.spec.passwordSecret
        if ref is None or not ref.name:
            continue
        path = ("spec", "passwordSecret", "name")
        secret = here.get(ref.name)
        if secret is None and cfg.may_exist("Secret", ref.name):
            continue  # a Secret that could not be read
        if secret is None:
            other = elsewhere.get(ref.name)
            related: tuple[Rel, ...] = ()
            note = ""
            if other is not None:
                note = f"; the one in namespace {other.namespace!r} is not read"
                related = (Rel("Secret in another namespace", other, ("metadata", "namespace")),)
            yield Finding(
                f"{peer_label(peer)} uses passwordSecret {ref.name!r}, but there is no Secret "
                f"{ref.name!r} in namespace {cfg.namespace!r}{note}",
                peer,
                path,
                related=related,
            )
            continue
        model = secret.model
        if model.type != BASIC_AUTH:
            yield Finding(
                f"Secret {ref.name!r} (passwordSecret of {peer_label(peer)}) has type "
                f"{model.type!r}; MetalLB needs {BASIC_AUTH}",
                peer,
                path,
                related=(Rel("Secret defined here", secret, ("type",)),),
            )
        if not secret.sure(("data",), ("stringData",)):
            continue  # its keys were not read as written (schema errors)
        if "password" not in model.data and "password" not in model.stringData:
            yield Finding(
                f"Secret {ref.name!r} (passwordSecret of {peer_label(peer)}) has no 'password' key",
                peer,
                path,
                related=(Rel("Secret defined here", secret, _data_path(secret)),),
            )


# not on site specs: the Secret is delivered outside Git (sealed or external secrets), so its
# absence there is not a mistake
RULE = Rule(
    ID, Severity.ERROR, "metallb", __doc__ or "", check, enforced=True, applies=MANIFESTS_ONLY
)
