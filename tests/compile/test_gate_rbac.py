"""The gate's RBAC grants exactly what its script's kubectl calls use: the calls are read from
the script itself, so a new call without its rule (or a rule no call needs) fails here."""

from __future__ import annotations

import re
import shlex

import pytest

from gitops_lb.compile import gate

NS = "metallb-system"

# (scope, apiGroup, resource, verb, resourceName or None); scope: a Role's namespace, "*" for
# a ClusterRole
Access = tuple[str, str, str, str, str | None]


def kubectl_calls(platform: str) -> list[list[str]]:
    """Every `kc ...` (the script's kubectl wrapper) and direct `kubectl ...` command line,
    continuation lines joined, with $METALLB_NAMESPACE substituted."""
    text = gate.script(platform).replace("\\\n", " ")
    calls = []
    for line in text.splitlines():
        words = shlex.split(line.split("||")[0], posix=True) if "kc " in line else []
        if words[:1] == ["kc"]:
            calls.append([w.replace("$METALLB_NAMESPACE", NS) for w in words[1:]])
    assert not re.search(r"^\s*kubectl ", text, re.M), "every kubectl call goes through kc"
    return calls


def access_of(args: list[str], gate_ns: str) -> Access:
    """What the API server authorises for one `kubectl get` call."""
    namespace, rest, selector, watch = None, [], False, False
    it = iter(args)
    for word in it:
        if word == "-n":
            namespace = next(it)
        elif word in ("-l", "--selector"):
            next(it)
            selector = True
        elif word == "-o":
            next(it)
        elif word in ("-w", "--watch"):
            watch = True
        else:
            rest.append(word)
    assert rest[0] == "get", args  # the gate only reads
    resource, _, group = rest[1].partition(".")
    assert group or resource in ("endpoints", "pods", "services"), "write resources qualified"
    name = rest[2] if len(rest) > 2 else None
    verb = "watch" if watch else "get" if name and not selector else "list"
    assert namespace is not None
    scope = namespace if namespace == gate_ns else "*"  # elsewhere only a ClusterRole reaches
    return scope, group, resource, verb, name


def granted(platform: str) -> set[Access]:
    out: set[Access] = set()
    for obj in gate.rbac(platform, NS):
        if obj["kind"] not in ("Role", "ClusterRole"):
            continue
        scope = obj["metadata"]["namespace"] if obj["kind"] == "Role" else "*"
        for rule in obj["rules"]:
            for group in rule["apiGroups"]:
                for resource in rule["resources"]:
                    for verb in rule["verbs"]:
                        for name in rule.get("resourceNames") or [None]:
                            out.add((scope, group, resource, verb, name))
    return out


@pytest.mark.parametrize("platform", ["acp", "metallb"])
def test_rules_cover_exactly_the_kubectl_calls(platform):
    gate_ns = gate.gate_namespace(platform, NS)
    used = {access_of(args, gate_ns) for args in kubectl_calls(platform)}
    assert len(used) == 2
    assert granted(platform) == used


def test_no_list_or_watch_unless_a_call_lists():
    acp = granted("acp")
    assert ("cpaas-system", "operator.alauda.io", "appreleases", "get", "metallb") in acp
    assert not [a for a in acp if a[3] == "watch"]
    assert [a[2] for a in acp if a[3] == "list"] == ["endpointslices"]


def test_every_role_is_bound_to_the_gate():
    for platform in ("acp", "metallb"):
        objs = gate.rbac(platform, NS)
        roles = {(o["kind"], o["metadata"].get("namespace")) for o in objs if "Role" in o["kind"]}
        bound = {
            (o["roleRef"]["kind"], o["metadata"].get("namespace"))
            for o in objs
            if o["kind"].endswith("Binding")
        }
        assert {r for r in roles if not r[0].endswith("Binding")} == bound
