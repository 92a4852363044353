"""The MetalLB Operator's own resource: accepted, checked against the operator's CRD."""

import textwrap

from gitops_lb.manifests import config_from_files
from gitops_lb.rules import run_rules
from gitops_lb.yamlload import load_text
from tests.builders import l2adv, line_of
from tests.helpers import NS, config, errors, hits, lint, pool


def metallb(spec: str = "", *, name: str = "metallb", ns: str | None = NS) -> str:
    where = f", namespace: {ns}" if ns else ""
    text = "---\napiVersion: metallb.io/v1beta1\nkind: MetalLB\n"
    text += f"metadata: {{name: {name}{where}}}\n"
    return text + (f"spec:\n{spec}" if spec else "")


FULL = metallb(
    "  logLevel: debug\n"
    "  bgpBackend: frr-k8s\n"
    "  loadBalancerClass: example.com/internal-vip\n"
    "  nodeSelector: {node-role.kubernetes.io/worker: ''}\n"
    "  speakerTolerations:\n"
    "  - {key: node-role.kubernetes.io/master, operator: Exists, effect: NoSchedule}\n"
    "  controllerNodeSelector: {kubernetes.io/os: linux}\n"
    "  controllerTolerations: [{key: x, operator: Equal, value: y, tolerationSeconds: 30}]\n"
    "  frrk8sConfig: {alwaysBlock: [192.168.1.0/24], namespace: openshift-frr-k8s}\n"
    "  speakerConfig:\n"
    "    priorityClassName: system-node-critical\n"
    "    annotations: {a: b}\n"
    "    resources: {limits: {cpu: 500m, memory: 1Gi}, requests: {cpu: 0.1, memory: 64}}\n"
    "    affinity:\n"
    "      nodeAffinity:\n"
    "        requiredDuringSchedulingIgnoredDuringExecution:\n"
    "          nodeSelectorTerms:\n"
    "          - matchExpressions: [{key: zone, operator: In, values: [a]}]\n"
    "      podAntiAffinity:\n"
    "        preferredDuringSchedulingIgnoredDuringExecution:\n"
    "        - weight: 10\n"
    "          podAffinityTerm:\n"
    "            topologyKey: kubernetes.io/hostname\n"
    "            labelSelector: {matchLabels: {app: metallb}}\n"
    "  controllerConfig: {runtimeClassName: rc}\n"
)


def test_operator_resource_is_accepted_and_kept_apart():
    text = pool("web", "10.0.0.0/24") + l2adv("web") + FULL
    assert errors(text) == []
    assert errors(text, compat=True) == []
    cfg = config(text)
    assert [it.name for it in cfg.operators] == ["metallb"]
    assert cfg.operators[0].model.spec.bgpBackend == "frr-k8s"
    assert [it.name for it in cfg.pools] == ["web"]  # the operator's resource is no pool


def test_bare_operator_resource_is_accepted():
    assert lint(metallb()) == []
    assert lint(metallb("  bgpBackend: ''\n")) == []  # the operator's default


def test_operator_resource_unknown_fields_suggest_the_field():
    text = metallb(
        "  nodeSelectors: {a: b}\n"
        "  speakerTolerations: [{key: a, efect: NoSchedule}]\n"
        "  speakerConfig: {affinity: {nodeAfinity: {}}}\n"
    )
    diags = [d for d in lint(text) if d.rule == "schema-unknown-field"]
    assert [d.location.line for d in diags] == [
        line_of(text, "nodeSelectors"),
        line_of(text, "efect"),
        line_of(text, "nodeAfinity"),
    ]
    assert diags[0].location.column == 3  # the key, where the typo is
    assert "did you mean 'nodeSelector'?" in diags[0].message
    assert "did you mean 'effect'?" in diags[1].message
    assert "did you mean 'nodeAffinity'?" in diags[2].message


def test_operator_resource_wrong_values_are_schema_invalid():
    text = metallb(
        "  logLevel: verbose\n"
        "  bgpBackend: frrk8s\n"
        "  loadBalancerClass: -bad-\n"
        "  speakerConfig: {resources: {limits: {memory: 1 GB}}}\n"
        "  controllerTolerations: [{key: a, tolerationSeconds: '30'}]\n"
    )
    diags = [d for d in lint(text) if d.rule == "schema-invalid"]
    assert [d.location.line for d in diags] == [
        line_of(text, "logLevel"),
        line_of(text, "bgpBackend"),
        line_of(text, "loadBalancerClass"),
        line_of(text, "1 GB"),
        line_of(text, "tolerationSeconds"),
    ]
    assert "'all', 'debug', 'info', 'warn', 'error' or 'none'" in diags[0].message
    assert "'frr-k8s'" in diags[1].message and "(got 'frrk8s')" in diags[1].message
    assert "a Kubernetes quantity such as 500m" in diags[3].message
    # what could not be read is left out of the object, as for any other: the rest is
    # checked, and nothing reads the fields left out as if they were defaults
    (item,) = config(text).operators
    assert ("spec", "bgpBackend") in item.unsure and not item.sure(("spec", "logLevel"))
    assert item.sure(("metadata", "name"))


def test_other_versions_and_kinds_of_the_group_stay_unknown():
    text = metallb().replace("v1beta1", "v1") + metallb().replace("kind: MetalLB", "kind: MetalLb")
    diags = [d for d in lint(text) if d.rule == "schema-invalid"]
    assert [d.message for d in diags] == [
        "metallb.io/v1 MetalLB is not a MetalLB kind this version serves",
        "metallb.io/v1beta1 MetalLb is not a MetalLB kind this version serves",
    ]


def test_operator_resource_gets_no_configuration_namespace_findings():
    text = metallb(ns=None) + metallb(ns="openshift-operators")
    rules = {d.rule for d in lint(text)}
    assert not rules & {"object-no-namespace", "object-wrong-namespace"}


def test_model_knows_every_bgp_backend_of_the_operator():
    for backend in ("", "native", "frr", "frr-k8s", "frr-k8s-external"):
        assert hits(metallb(f"  bgpBackend: {backend!r}\n"), "schema-invalid") == [], backend


# --- operator-resource-ignored ---------------------------------------------------------------


def test_operator_resource_with_another_name_or_namespace_is_ignored():
    text = (
        metallb(name="metallb-instance")
        + metallb(ns="openshift-operators")
        + metallb(name="x", ns="openshift-operators")
        + "---\napiVersion: metallb.io/v1beta1\nkind: MetalLB\n"
        f"metadata:\n  generateName: metallb-\n  namespace: {NS}\n"
    )
    diags = [d for d in lint(text) if d.rule == "operator-resource-ignored"]
    assert [d.location.line for d in diags] == [
        line_of(text, "name: metallb-instance"),
        line_of(text, "namespace: openshift-operators"),
        line_of(text, "name: x, namespace: openshift-operators"),  # one finding: the namespace
        line_of(text, "generateName: metallb-"),
    ]
    assert "named 'metallb'" in diags[0].message and "Degraded" in diags[0].message
    assert "only in 'metallb-system'" in diags[1].message
    assert {str(d.severity) for d in diags} == {"error"}
    assert {str(d.severity) for d in lint(text, compat=True) if d.rule == diags[0].rule} == {
        "warning"
    }


def test_operator_resource_named_metallb_in_its_namespace_or_none_is_fine():
    text = metallb() + metallb(ns=None)
    assert hits(text, "operator-resource-ignored") == []


def test_operator_namespace_follows_the_namespace_option():
    text = textwrap.dedent(metallb(ns="lb-system") + metallb(name="lb", ns=NS))
    cfg = config_from_files([load_text(text, "t.yaml")], namespace="lb-system")
    diags = [d for d in run_rules(cfg) if d.rule == "operator-resource-ignored"]
    assert [d.location.line for d in diags] == [line_of(text, f"name: lb, namespace: {NS}")]
    assert "only in 'lb-system'" in diags[0].message
