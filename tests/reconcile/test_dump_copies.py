"""reconcile --live with an object given more than once: dumps that overlap, a file given twice,
dumps joined without `---`. Equal copies are one object; copies that differ make the live
state unknown (exit status 3, each copy's file:line:col), whatever the order of the files."""

from __future__ import annotations

import copy
import io
import itertools
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitops_lb.reconcile.dump import read_dump
from tests.reconcile.helpers import comparable, run, run_json, site_args, write_dump, write_site
from tests.reconcile.scenario import Objects, drifted, find, in_sync, metallb, node, service

PREFIX = "gitops-lb: error: cannot read the live state: "


def positions(text: str, file: str) -> dict[tuple[str, str], list[str]]:
    """`file:line:col` of each item of every `items` list of `text`, by (kind, name), found
    by PyYAML's own composer (an oracle independent of the reader under test; it keeps every
    pair of a mapping whose keys repeat)."""
    out: dict[tuple[str, str], list[str]] = {}
    for root in yaml.compose_all(text):
        assert isinstance(root, yaml.MappingNode)
        for key, value in root.value:
            if key.value != "items":
                continue
            for item in value.value:
                data = yaml.safe_load(yaml.serialize(item))
                mark = item.start_mark
                where = f"{file}:{mark.line + 1}:{mark.column + 1}"
                out.setdefault((data["kind"], data["metadata"]["name"]), []).append(where)
    return out


def item_positions(path: Path) -> dict[tuple[str, str], str]:
    """The position of each item of the List in `path` (each written once)."""
    return {k: v for k, (v,) in positions(path.read_text(), str(path)).items()}


def nodes_only(objects: Objects) -> Objects:
    return [copy.deepcopy(o) for o in objects if o["kind"] == "Node"]


def stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))


# --- equal copies: one object ---------------------------------------------------------------------


def test_the_same_dump_given_twice_is_read_once(tmp_path, capsys):
    site, live = write_site(tmp_path), write_dump(tmp_path, in_sync())
    once = run_json(capsys, *site_args(site), "--live", str(live))
    twice = run_json(capsys, *site_args(site), "--live", str(live), str(live))
    assert once[0] == twice[0] == 0
    assert twice[1]["differences"] == [] and twice[1]["in_sync"] is True  # no node-labels drift
    assert comparable(twice[1]) == comparable(once[1])


def test_a_drift_given_twice_is_reported_once(tmp_path, capsys):
    objects, expected = drifted("node-labels", "changed")
    site, live = write_site(tmp_path), write_dump(tmp_path, objects)
    once = run_json(capsys, *site_args(site), "--live", str(live))
    twice = run_json(capsys, *site_args(site), "--live", str(live), str(live))
    assert once[0] == twice[0] == 1
    assert {(d["type"], d["kind"], d["name"]) for d in twice[1]["differences"]} == expected
    assert twice[1]["differences"] == once[1]["differences"]


def test_overlapping_dumps_taken_apart_agree_on_what_is_compared(tmp_path, capsys):
    """`kubectl get all`-like dumps overlap; the copies differ only in what the API server
    changes by itself (resourceVersion, managedFields, a pool's status, the last-applied
    annotation), which reconcile never compares."""
    objects = in_sync()
    later = copy.deepcopy(objects)
    for obj in later:
        meta = obj["metadata"]
        meta["resourceVersion"] = "9999"
        meta["managedFields"] = [{"manager": "kubectl", "operation": "Update"}]
        meta["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] = '{"x": 1}'
    find(later, "IPAddressPool", "web")["status"] = {"assignedIPv4": 6}
    find(later, "Node", "node-a")["status"] = {"addresses": []}
    site = write_site(tmp_path)
    a, b = write_dump(tmp_path, objects, "a.yaml"), write_dump(tmp_path, later, "b.yaml")
    code, doc = run_json(capsys, *site_args(site), "--live", str(a), str(b))
    assert (code, doc["differences"]) == (0, [])


def test_overlapping_dumps_that_differ_in_what_is_compared_are_refused(tmp_path, capsys):
    objects = in_sync()
    later = copy.deepcopy(objects)
    find(later, "IPAddressPool", "web")["metadata"]["labels"]["tier"] = "front"
    site = write_site(tmp_path)
    a, b = write_dump(tmp_path, objects, "a.yaml"), write_dump(tmp_path, later, "b.yaml")
    code, out, err = run(capsys, *site_args(site), "--live", str(a), str(b))
    assert (code, out) == (3, "")
    where_a = item_positions(a)[("IPAddressPool", "web")]
    where_b = item_positions(b)[("IPAddressPool", "web")]
    assert (
        f'IPAddressPool metallb-system/web: metadata.labels["tier"] is absent at {where_a}, '
        f'"front" at {where_b}'
    ) in err


# --- copies that differ: the live state is unknown ----------------------------------------------


def two_node_dumps(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The cluster's dump without its Nodes, its Nodes, and the same Nodes with node-a's
    `lb` label changed (a dump taken after someone relabelled it)."""
    objects = in_sync()
    rest = write_dump(tmp_path, [o for o in objects if o["kind"] != "Node"], "metallb.yaml")
    nodes = nodes_only(objects)
    before = write_dump(tmp_path, nodes, "nodes.yaml")
    find(nodes, "Node", "node-a")["metadata"]["labels"]["lb"] = "no"
    after = write_dump(tmp_path, nodes, "nodes-later.yaml")
    return rest, before, after


def test_a_node_with_two_label_sets_is_refused_in_any_order(tmp_path, capsys):
    rest, before, after = two_node_dumps(tmp_path)
    site = write_site(tmp_path)
    first = item_positions(before)[("Node", "node-a")]
    second = item_positions(after)[("Node", "node-a")]
    outcomes = set()
    for order in itertools.permutations([rest, before, after]):
        outcomes.add(run(capsys, *site_args(site), "--live", *map(str, order)))
    assert outcomes == {
        (
            3,
            "",
            f"{PREFIX}1 object has copies that differ, so what is live is not known: Node "
            f'node-a: metadata.labels["lb"] is "no" at {second}, "yes" at {first} (give each '
            "object once: dumps taken at the same time, or one dump per kind)\n",
        )
    }


def test_the_same_nodes_in_two_dumps_in_any_order(tmp_path, capsys):
    rest, before, _ = two_node_dumps(tmp_path)
    again = write_dump(tmp_path, nodes_only(in_sync()), "nodes-again.yaml")
    site = write_site(tmp_path)
    outcomes = set()
    for order in itertools.permutations([rest, before, again]):
        code, doc = run_json(capsys, *site_args(site), "--live", *map(str, order))
        outcomes.add((code, repr(doc["differences"])))
    assert outcomes == {(0, "[]")}


def test_a_metallb_object_with_two_specs_names_the_field(tmp_path, capsys):
    objects = in_sync()
    other = [copy.deepcopy(find(objects, "IPAddressPool", "web"))]
    other[0]["spec"]["autoAssign"] = False
    site, a = write_site(tmp_path), write_dump(tmp_path, objects, "a.yaml")
    b = write_dump(tmp_path, other, "b.yaml")
    code, _, err = run(capsys, *site_args(site), "--live", str(b), str(a))
    assert code == 3
    where_a = item_positions(a)[("IPAddressPool", "web")]
    where_b = item_positions(b)[("IPAddressPool", "web")]
    assert (
        f"IPAddressPool metallb-system/web: spec.autoAssign is true at {where_a}, false at "
        f"{where_b} (give each"
    ) in err


def test_a_conflict_never_shows_a_password(tmp_path, capsys):
    secret, other = "pw-Vq8n2LkX4rT7", "pw-Zr5m1QwE9yU3"
    peer = metallb(
        "BGPPeer",
        "tor1",
        {"myASN": 64500, "peerASN": 64501, "peerAddress": "10.0.0.1", "password": secret},
        "v1beta2",
    )
    again = copy.deepcopy(peer)
    again["spec"]["password"] = other
    without = copy.deepcopy(peer)
    del without["spec"]
    site = write_site(tmp_path)
    a = write_dump(tmp_path, [peer], "a.yaml")
    b = write_dump(tmp_path, [again], "b.yaml")
    c = write_dump(tmp_path, [without], "c.yaml")
    code, _, err = run(capsys, *site_args(site), "--live", str(a), str(b))
    assert code == 3
    assert "BGPPeer metallb-system/tor1: spec.password is (not shown) at " in err
    code, _, err = run(capsys, *site_args(site), "--live", str(a), str(c))
    assert code == 3
    assert '"password": "<redacted>"' in err and "spec is {" in err and "absent at" in err
    for text in (secret, other):
        assert text not in err


def test_three_copies_two_alike(tmp_path, capsys):
    objects = in_sync()
    nodes = nodes_only(objects)
    site = write_site(tmp_path)
    a = write_dump(tmp_path, objects, "a.yaml")
    c = write_dump(tmp_path, nodes, "c.yaml")
    find(nodes, "Node", "node-b")["metadata"]["labels"].pop("lb")
    b = write_dump(tmp_path, nodes, "b.yaml")
    code, _, err = run(capsys, *site_args(site), "--live", str(c), str(b), str(a))
    assert code == 3
    at = {p: item_positions(p)[("Node", "node-b")] for p in (a, b, c)}
    assert (
        f'Node node-b: metadata.labels["lb"] is "yes" at {at[a]} and {at[c]}, absent at {at[b]}'
    ) in err


def test_copies_that_differ_within_one_file(tmp_path, capsys):
    objects = in_sync()
    twin = copy.deepcopy(find(objects, "Node", "node-c"))
    twin["metadata"]["labels"]["lb"] = "yes"
    objects.append(twin)
    site, live = write_site(tmp_path), write_dump(tmp_path, objects)
    code, _, err = run(capsys, *site_args(site), "--live", str(live))
    at = positions(live.read_text(), str(live))[("Node", "node-c")]
    assert code == 3
    assert f'Node node-c: metadata.labels["lb"] is absent at {at[0]}, "yes" at {at[1]}' in err


def test_many_conflicts_are_counted(tmp_path, capsys):
    names = [f"node-{i:02d}" for i in range(12)]
    site = write_site(tmp_path)
    a = write_dump(tmp_path, [node(n, rack="1") for n in names], "a.yaml")
    b = write_dump(tmp_path, [node(n, rack="2") for n in names], "b.yaml")
    code, _, err = run(capsys, *site_args(site), "--live", str(a), str(b))
    assert code == 3
    assert err.startswith(f"{PREFIX}12 objects have copies that differ")
    assert err.count('metadata.labels["rack"] is "1"') == 10
    assert "; and 2 more (give each object once" in err


# --- dumps joined without `---` -----------------------------------------------------------


def list_text(objects: Objects) -> str:
    return yaml.safe_dump({"apiVersion": "v1", "items": objects, "kind": "List"})


def test_lists_joined_without_a_separator_are_all_read(tmp_path, capsys, monkeypatch):
    """`cat metallb.yaml services.yaml | gitops-lb reconcile --live -`: both Lists are read, as
    two files would be (the last List alone made every MetalLB object `missing`)."""
    objects, _ = drifted("extra", "unmanaged")
    metallb = [o for o in objects if o["apiVersion"].startswith("metallb.io/")]
    rest = [o for o in objects if not o["apiVersion"].startswith("metallb.io/")]
    site = write_site(tmp_path)
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(list_text(metallb))
    b.write_text(list_text(rest))
    files = run_json(capsys, *site_args(site), "--live", str(a), str(b))
    stdin(monkeypatch, a.read_text() + b.read_text())
    joined = run_json(capsys, *site_args(site), "--live", "-")
    assert joined[0] == files[0] == 1
    assert joined[1]["differences"] == files[1]["differences"]
    assert {d["type"] for d in joined[1]["differences"]} == {"extra", "unmanaged"}


def test_the_same_list_joined_twice_is_read_once(tmp_path, capsys, monkeypatch):
    site = write_site(tmp_path)
    stdin(monkeypatch, list_text(in_sync()) * 2)
    code, doc = run_json(capsys, *site_args(site), "--live", "-")
    assert (code, doc["differences"]) == (0, [])


def test_lists_joined_with_a_relabelled_node_are_refused(tmp_path, capsys, monkeypatch):
    objects = in_sync()
    nodes = nodes_only(objects)
    find(nodes, "Node", "node-a")["metadata"]["labels"]["lb"] = "no"
    first, second = list_text(objects), list_text(nodes)
    stdin(monkeypatch, first + second)
    code, out, err = run(capsys, *site_args(write_site(tmp_path)), "--live", "-")
    assert (code, out) == (3, "")
    first_at, second_at = positions(first + second, "<stdin>")[("Node", "node-a")]
    assert f'"yes" at {first_at}' in err and f'"no" at {second_at}' in err


def single(obj: dict[str, Any]) -> str:
    return yaml.safe_dump(obj, sort_keys=False)


def test_objects_joined_without_a_separator_are_refused_naming_the_keys(
    tmp_path, capsys, monkeypatch
):
    """Two `kubectl get svc NAME -o yaml` outputs joined: one mapping whose keys repeat. Which
    Service is meant is not known: exit 3, each repeated key that differs at its line."""
    objects = in_sync()
    a, b = find(objects, "Service", "nginx", "web"), find(objects, "Service", "api", "web")
    text = single(a) + single(b)
    stdin(monkeypatch, text)
    code, out, err = run(capsys, *site_args(write_site(tmp_path)), "--live", "-")
    assert (code, out) == (3, "")
    lines = text.splitlines()
    for key in ("metadata", "status"):
        first, again = [n for n, line in enumerate(lines, 1) if line == f"{key}:"]
        assert (
            f"<stdin>:{again}:1: key {key!r} is given again with another value (first at line "
            f"{first}): two dumps joined without `---` between them?"
        ) in err
    assert "key 'apiVersion'" not in err and "key 'kind'" not in err  # the same value: fine


def test_the_same_object_joined_twice_is_read_once(tmp_path, capsys, monkeypatch):
    objects = in_sync()
    site = write_site(tmp_path)
    rest = write_dump(tmp_path, [o for o in objects if o["kind"] != "Node"], "rest.yaml")
    nodes = tmp_path / "node-a.yaml"
    nodes.write_text(
        "---\n".join(single(o) for o in nodes_only(objects) if o["metadata"]["name"] != "node-a")
        + "---\n"
        + single(find(objects, "Node", "node-a")) * 2
    )
    code, doc = run_json(capsys, *site_args(site), "--live", str(rest), str(nodes))
    assert (code, doc["differences"]) == (0, [])


# --- what is kept of a Service ------------------------------------------------------------


def test_services_kept_are_those_reconcile_looks_at(tmp_path):
    cluster_ip = service("apps", "internal", [], annotations={}, type_="ClusterIP")
    declared = service("apps", "declared", [], annotations={}, type_="ClusterIP")
    balanced = service("apps", "balanced", [], annotations={}, type_="LoadBalancer")
    holding = service("apps", "holding", ["192.168.10.99"], annotations={}, type_="NodePort")
    live = write_dump(tmp_path, [cluster_ip, declared, balanced, holding])
    kept = read_dump([str(live)], "metallb-system", plugin=False, services={("apps", "declared")})
    assert [o["metadata"]["name"] for o in kept.get("Service")] == [
        "balanced",
        "declared",
        "holding",
    ]
    everything = read_dump([str(live)], "metallb-system", plugin=False)
    assert len(everything.get("Service")) == 4
    (shown,) = (o for o in kept.get("Service") if o["metadata"]["name"] == "holding")
    assert shown == {  # what reconcile compares of it, and nothing else
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": "holding",
            "namespace": "apps",
            "labels": {"app.kubernetes.io/instance": "dc1-prod"},
            "annotations": {},
        },
        "spec": {"type": "NodePort"},
        "status": {"loadBalancer": {"ingress": [{"ip": "192.168.10.99", "ipMode": "VIP"}]}},
    }


def test_a_declared_service_changed_to_cluster_ip_is_still_compared(tmp_path, capsys):
    objects, expected = drifted("service-type")
    code, doc = run_json(
        capsys, *site_args(write_site(tmp_path)), "--live", str(write_dump(tmp_path, objects))
    )
    assert code == 1
    assert {(d["type"], d["kind"], d["name"]) for d in doc["differences"]} == expected
