"""Argo CD's sync order replayed over two compiled trees, against a fake MetalLB webhook.

The replay follows gitops-engine's sync context (pkg/sync/sync_context.go, getSyncTasks and
runTasks): one task per object to apply and one per live object that Git no longer holds (a
prune); the waves of the prune tasks are swapped symmetrically among the prune waves only; a
prune whose *live* object carries `PruneLast=true` moves to one wave after the last Sync-phase
wave; waves run in ascending order and, inside a wave, the prunes run before the applies. The
first task the webhook refuses fails the sync.
"""

from __future__ import annotations

import copy
import ipaddress
from dataclasses import dataclass
from typing import Any

import pytest
import yaml

from gitops_lb.compile import waves
from gitops_lb.compile.tree import compile_targets
from tests.compile.targets import site_dict, targets

Key = tuple[str, str, str]  # kind, namespace, name


def key(obj: dict[str, Any]) -> Key:
    meta = obj["metadata"]
    return obj["kind"], meta.get("namespace", ""), meta["name"]


def cluster_objects(files: dict[str, bytes], folder: str = "dc1/prod") -> dict[Key, Any]:
    """What the cluster Application applies: the files its kustomization.yaml lists."""
    listed = yaml.safe_load(files[f"{folder}/kustomization.yaml"])["resources"]
    out: dict[Key, Any] = {}
    for name in listed:
        for doc in yaml.safe_load_all(files[f"{folder}/{name}"]):
            out[key(doc)] = doc
    return out


def options(obj: dict[str, Any]) -> list[str]:
    text = obj["metadata"].get("annotations", {}).get(waves.SYNC_OPTIONS, "")
    return [o.strip() for o in text.split(",") if o.strip()]


@dataclass
class Task:
    action: str  # "apply" or "prune"
    obj: dict[str, Any]  # the target object (apply) or the live object (prune)
    wave: int


def sync_tasks(live: dict[Key, Any], target: dict[Key, Any]) -> list[Task]:
    tasks = [Task("apply", obj, waves.wave_of(obj)) for obj in target.values()]
    tasks += [
        Task("prune", obj, waves.wave_of(obj))
        for k, obj in live.items()
        if k not in target and waves.HOOK not in obj["metadata"].get("annotations", {})
    ]
    prune_waves = sorted({t.wave for t in tasks if t.action == "prune"})
    swapped = dict(zip(prune_waves, reversed(prune_waves), strict=True))
    for t in tasks:
        if t.action == "prune":
            t.wave = swapped[t.wave]
    last = max((t.wave for t in tasks), default=0) + 1  # every task here is of the Sync phase
    for t in tasks:
        if t.action == "prune" and waves.PRUNE_LAST in options(t.obj):
            t.wave = last
    # ascending waves; prunes first inside a wave
    return sorted(tasks, key=lambda t: (t.wave, t.action != "prune", key(t.obj)))


class Refused(Exception):
    pass


class FakeWebhook:
    """The live objects of a cluster, behind the admission rules of MetalLB v0.15 that bear on
    ordering: a BFDProfile cannot be deleted while a BGPPeer names it; a pool cannot be created
    overlapping another pool; a Community cannot define an alias another Community defines."""

    def __init__(self, live: dict[Key, Any] | None = None) -> None:
        self.live: dict[Key, Any] = copy.deepcopy(live or {})
        self.log: list[str] = []

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [o for k, o in self.live.items() if k[0] == kind]

    def apply(self, obj: dict[str, Any]) -> None:
        k = key(obj)
        if k not in self.live:
            self.admit_create(obj)
        self.live[k] = copy.deepcopy(obj)
        self.log.append(f"apply {k[0]}/{k[2]}")

    def admit_create(self, obj: dict[str, Any]) -> None:
        if obj["kind"] == "IPAddressPool":
            mine = [ipaddress.ip_network(a) for a in obj["spec"]["addresses"]]
            for other in self.of_kind("IPAddressPool"):
                for a in other["spec"]["addresses"]:
                    theirs = ipaddress.ip_network(a)
                    if any(m.version == theirs.version and m.overlaps(theirs) for m in mine):
                        raise Refused(
                            f"CIDR {a} in pool {obj['metadata']['name']} overlaps with "
                            f"already defined CIDR {a} of pool {other['metadata']['name']}"
                        )
        if obj["kind"] == "Community":
            aliases = {c["name"] for c in obj["spec"]["communities"]}
            for other in self.of_kind("Community"):
                for c in other["spec"]["communities"]:
                    if c["name"] in aliases:
                        raise Refused(f"duplicate definition of community {c['name']!r}")

    def delete(self, obj: dict[str, Any]) -> None:
        k = key(obj)
        if k[0] == "BFDProfile":
            for peer in self.of_kind("BGPPeer"):
                if peer["spec"].get("bfdProfile") == k[2]:
                    raise Refused(
                        f"failed to delete BFDProfile {k[2]}, used by BGPPeer "
                        f"{peer['metadata']['name']}"
                    )
        del self.live[k]
        self.log.append(f"prune {k[0]}/{k[2]}")


def replay(cluster: FakeWebhook, target: dict[Key, Any]) -> None:
    for task in sync_tasks(cluster.live, target):
        if task.action == "prune":
            cluster.delete(task.obj)
        else:
            cluster.apply(task.obj)


def with_bfd(profile: str = "fast") -> dict[str, Any]:
    data = site_dict()
    cluster = data["spec"]["clusters"][0]
    cluster["bfdProfiles"] = [{"name": profile, "receiveInterval": 100}]
    cluster["bgpPeers"][0]["bfdProfile"] = profile
    return data


def without_bfd() -> dict[str, Any]:
    return site_dict()


def first_sync(data: dict[str, Any]) -> FakeWebhook:
    cluster = FakeWebhook()
    replay(cluster, cluster_objects(compile_targets(targets(data))))
    return cluster


def strip_prune_last(live: dict[Key, Any]) -> None:
    """The live objects as a tree compiled without PruneLast left them."""
    for obj in live.values():
        kept = [o for o in options(obj) if o != waves.PRUNE_LAST]
        if waves.SYNC_OPTIONS in obj["metadata"].get("annotations", {}):
            obj["metadata"]["annotations"][waves.SYNC_OPTIONS] = ",".join(kept)


def test_bfd_profile_carries_prune_last_from_the_first_compile():
    objs = cluster_objects(compile_targets(targets(with_bfd())))
    profile = objs[("BFDProfile", "metallb-system", "fast")]
    assert options(profile) == [waves.SKIP_DRY_RUN, waves.PRUNE_LAST]
    for k, obj in objs.items():
        if obj["apiVersion"].startswith("metallb.io/") and k[0] != "BFDProfile":
            assert options(obj) == [waves.SKIP_DRY_RUN], k


def test_removing_a_profile_and_its_use_in_one_commit_syncs():
    cluster = first_sync(with_bfd())
    assert ("BFDProfile", "metallb-system", "fast") in cluster.live
    before = len(cluster.log)
    replay(cluster, cluster_objects(compile_targets(targets(without_bfd()))))
    assert ("BFDProfile", "metallb-system", "fast") not in cluster.live
    assert cluster.live[("BGPPeer", "metallb-system", "tor1")]["spec"].get("bfdProfile") is None
    # the profile goes after the last wave, once the peer no longer names it
    second = cluster.log[before:]
    assert second[-1] == "prune BFDProfile/fast"
    assert second.index("apply BGPPeer/tor1") < second.index("apply Service/nginx")


def test_without_prune_last_the_same_change_is_refused():
    """The replay can fail: with the option missing from the live profile (a tree compiled
    before it was written), Argo CD prunes the profile in wave 3, before wave 4 updates the
    peer, and the webhook refuses."""
    cluster = first_sync(with_bfd())
    strip_prune_last(cluster.live)
    with pytest.raises(Refused, match="failed to delete BFDProfile fast, used by BGPPeer tor1"):
        replay(cluster, cluster_objects(compile_targets(targets(without_bfd()))))


def test_renaming_a_profile_syncs():
    cluster = first_sync(with_bfd("fast"))
    replay(cluster, cluster_objects(compile_targets(targets(with_bfd("quick")))))
    assert {k[2] for k in cluster.live if k[0] == "BFDProfile"} == {"quick"}


def test_removing_a_profile_together_with_its_peer_syncs():
    data = with_bfd()
    cluster = first_sync(data)
    gone = copy.deepcopy(data)
    spec = gone["spec"]["clusters"][0]
    del spec["bfdProfiles"]
    spec["pools"] = [p for p in spec["pools"] if "bgp" not in p]
    spec["bgpPeers"] = []
    replay(cluster, cluster_objects(compile_targets(targets(gone))))
    assert not [k for k in cluster.live if k[0] in ("BFDProfile", "BGPPeer")]


def with_community() -> dict[str, Any]:
    data = site_dict()
    cluster = data["spec"]["clusters"][0]
    cluster["communities"] = [{"name": "c", "communities": [{"name": "edge", "value": "1:2"}]}]
    cluster["pools"][1]["bgp"]["communities"] = ["edge"]
    return data


def test_communities_are_not_pruned_last_so_a_renamed_one_syncs():
    """A Community is pruned in its own wave, before the renamed one is created: with
    PruneLast the new one would meet the old one and be refused for the duplicate alias."""
    cluster = first_sync(with_community())
    renamed = with_community()
    renamed["spec"]["clusters"][0]["communities"][0]["name"] = "c2"
    target = cluster_objects(compile_targets(targets(renamed)))
    clean = copy.deepcopy(cluster)
    replay(clean, target)
    assert {k[2] for k in clean.live if k[0] == "Community"} == {"c2"}
    for obj in cluster.of_kind("Community"):
        obj["metadata"]["annotations"][waves.SYNC_OPTIONS] += "," + waves.PRUNE_LAST
    with pytest.raises(Refused, match="duplicate definition of community 'edge'"):
        replay(cluster, target)


def test_renaming_a_pool_with_its_advertisement_in_one_commit_is_refused():
    """What Argo CD does with a pool renamed in place (docs/compile.md, "Prune order"): the
    old pool and its advertisement are both pruned, the swap of the two prune waves deletes the
    pool in wave 5, after wave 4 created the new pool over the same addresses."""
    cluster = first_sync(site_dict())
    renamed = site_dict()
    spec = renamed["spec"]["clusters"][0]
    spec["pools"][0]["name"] = "web2"
    for svc in spec["services"]:
        svc["pool"] = "web2"
    with pytest.raises(Refused, match="overlaps with already defined CIDR"):
        replay(cluster, cluster_objects(compile_targets(targets(renamed))))
