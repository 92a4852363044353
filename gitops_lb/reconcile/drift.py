"""Desired (Git) against live (cluster): the differences. Pure: no I/O, no printing.

MetalLB's configuration objects are compared object by object in MetalLB's namespace
(missing, extra, changed; see normalize.py for what counts as equal); Services in
services.py; Nodes and L2 announcements in nodes.py; MetalLB's own ConfigurationState and,
on ACP, the plugin object here. A kind that could not be read is reported once as
`unreadable` and every check that needs it is skipped; the rest is still compared.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from gitops_lb.config import Item
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb import models as m
from gitops_lb.reconcile.desired import Desired
from gitops_lb.reconcile.difference import Difference, difference, show
from gitops_lb.reconcile.nodes import check_l2_status, check_nodes
from gitops_lb.reconcile.normalize import (
    canonical,
    metadata_differences,
    path_text,
    spec_differences,
    spec_model,
)
from gitops_lb.reconcile.services import check_services
from gitops_lb.reconcile.state import BY_KIND, PLUGIN, PLUGIN_NAME, LiveState, mapping, meta
from gitops_lb.reconcile.state import name_of as live_name

SENSITIVE = frozenset({"password"})  # compared, never shown
REDACTED = "<redacted>"

# kind -> (ClusterConfig attribute, model)
CONFIG_KINDS: dict[str, tuple[str, type[BaseModel]]] = {
    "IPAddressPool": ("pools", m.IPAddressPool),
    "L2Advertisement": ("l2advs", m.L2Advertisement),
    "BGPAdvertisement": ("bgpadvs", m.BGPAdvertisement),
    "BGPPeer": ("peers", m.BGPPeer),
    "BFDProfile": ("bfdprofiles", m.BFDProfile),
    "Community": ("communities", m.Community),
}


def compare(d: Desired, live: LiveState) -> list[Difference]:
    """Every difference, sorted: unreadable kinds first, then by kind, namespace, name, path."""
    out: list[Difference] = [*unreadable(live)]
    for kind in CONFIG_KINDS:
        out.extend(compare_kind(d, live, kind))
    out.extend(check_services(d, live))
    out.extend(check_nodes(d, live))
    out.extend(check_l2_status(d, live))
    out.extend(check_configuration_state(live))
    out.extend(check_plugin(d, live))
    return sorted(out, key=Difference.sort_key)


def notes(live: LiveState) -> list[str]:
    """What was not checked because the cluster does not serve it, and what the reader said."""
    out = []
    for kind in sorted(live.not_served):
        res = BY_KIND[kind]
        out.append(
            f"the cluster does not serve {res.api_version} {res.plural}; "
            + (
                f"{kind} not checked (an older MetalLB)"
                if res.optional
                else "is MetalLB installed?"
            )
        )
    return out + live.messages


def unreadable(live: LiveState) -> Iterator[Difference]:
    for kind, reason in sorted(live.unreadable.items()):
        res = BY_KIND[kind]
        ns = live.namespace if res.scope == "metallb" else None
        message = f"could not read {kind}: {reason}"
        yield difference("unreadable", Severity.ERROR, (kind, ns, None), message)


def compare_kind(d: Desired, live: LiveState, kind: str) -> Iterator[Difference]:
    if not live.readable(kind):
        return
    attr, model = CONFIG_KINDS[kind]
    smodel = spec_model(model)
    assert smodel is not None
    ns = d.config.namespace
    want: dict[str, Item[Any]] = {}
    for item in getattr(d.config, attr):
        want.setdefault(item.name, item)
    have: dict[str, dict[str, Any]] = {}
    for obj in live.get(kind):
        have.setdefault(live_name(obj), obj)
    for name in sorted(want.keys() | have.keys()):
        item, current = want.get(name), have.get(name)
        ref = f"{kind} {ns}/{name}"
        if current is None:
            assert item is not None
            spec = redact(canonical(desired_spec(item), smodel))
            message = f"{ref} is in Git but not in the cluster"
            yield difference(
                "missing", Severity.ERROR, (kind, ns, name), message, desired=spec, item=item
            )
            continue
        live_spec = canonical(current.get("spec"), smodel)
        if item is None:
            message = f"{ref} is in the cluster but not in Git"
            shown = redact(live_spec)
            yield difference("extra", Severity.ERROR, (kind, ns, name), message, live=shown)
            continue
        desired_meta = item.model.metadata.model_dump(mode="json", warnings=False)
        changes = [
            *metadata_differences(desired_meta, meta(current)),
            *spec_differences(canonical(desired_spec(item), smodel), live_spec, smodel, ("spec",)),
        ]
        for path, want_value, have_value in changes:
            w, h = want_value, have_value
            if path[-1] in SENSITIVE:
                w, h = (REDACTED if w else w), (REDACTED if h else h)
            message = f"{ref} {path_text(path)}: Git {show(w)}, live {show(h)}"
            yield difference(
                "changed",
                Severity.ERROR,
                (kind, ns, name),
                message,
                path=path,
                desired=w,
                live=h,
                item=item,
            )


def redact(value: Any) -> Any:
    """A copy with the values of sensitive fields (a BGP password) hidden."""
    if isinstance(value, dict):
        return {k: (REDACTED if k in SENSITIVE and v else redact(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def desired_spec(item: Item[Any]) -> Any:
    return item.model.model_dump(mode="json", warnings=False).get("spec")


def check_configuration_state(live: LiveState) -> Iterator[Difference]:
    """MetalLB's own verdict on the configuration (MetalLB
    internal/k8s/controllers/configuration_state_controller.go, v0.15.3): Invalid is an error,
    any other failing condition a warning."""
    for obj in sorted(live.get("ConfigurationState"), key=live_name):
        name = live_name(obj)
        status = mapping(obj, "status")
        ref = f"ConfigurationState {live.namespace}/{name}"
        if status.get("result") == "Invalid":
            summary = str(status.get("errorSummary") or "").strip() or "(no summary)"
            yield difference(
                "config-error",
                Severity.ERROR,
                ("ConfigurationState", live.namespace, name),
                f"{ref}: MetalLB rejects the configuration: {summary}",
                path=("status", "result"),
                desired="Valid",
                live="Invalid",
            )
            continue
        conditions = status.get("conditions")
        for cond in conditions if isinstance(conditions, list) else []:
            if not isinstance(cond, dict) or cond.get("status") != "False":
                continue
            reason = cond.get("reason") or "no reason"
            text = str(cond.get("message") or "").strip()
            yield difference(
                "config-error",
                Severity.WARNING,
                ("ConfigurationState", live.namespace, name),
                f"{ref}: condition {cond.get('type')} is False ({reason})"
                + (f": {text}" if text else ""),
                path=("status", "conditions"),
                live=cond,
            )


def check_plugin(d: Desired, live: LiveState) -> Iterator[Difference]:
    if not d.plugin or not live.readable(PLUGIN.kind):
        return
    if any(live_name(o) == PLUGIN_NAME for o in live.get(PLUGIN.kind)):
        return
    message = f"{PLUGIN.kind} {PLUGIN_NAME} (the ACP MetalLB plugin) does not exist in the cluster"
    diff = difference("plugin-missing", Severity.ERROR, (PLUGIN.kind, None, PLUGIN_NAME), message)
    yield dataclasses.replace(diff, location=d.plugin_location)
