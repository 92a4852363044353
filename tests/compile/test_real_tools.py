"""The compiled tree against real tools: kubectl kustomize and MetalLB's CRD schemas."""

import pytest
import yaml

from gitops_lb.compile.tree import compile_targets
from tests.compile import checks
from tests.compile.targets import site_dict, targets


def full_site():
    data = site_dict(bgpMode="frr")
    c = data["spec"]["clusters"][0]
    c["bfdProfiles"] = [{"name": "fast", "receiveInterval": 100, "echoMode": False}]
    c["communities"] = [{"name": "c", "communities": [{"name": "nx", "value": "65535:65282"}]}]
    c["bgpPeers"][0].update(bfdProfile="fast", holdTime="90s")
    c["l2Advertisements"] = [{"name": "all-pools"}]
    c["bgpAdvertisements"] = [{"name": "agg", "aggregationLength": 24, "communities": ["nx"]}]
    return data


@pytest.mark.skipif(checks.KUBECTL is None, reason="kubectl is not installed")
@pytest.mark.parametrize("platform", ["acp", "metallb"])
def test_kubectl_kustomize_builds_every_cluster(tmp_path, platform):
    data = full_site()
    data["spec"]["platform"] = platform
    root = checks.write(compile_targets(targets(data)), tmp_path)
    docs = checks.kustomize(root / "dc1" / "prod")
    kinds = {d["kind"] for d in docs}
    assert {"IPAddressPool", "BGPPeer", "L2Advertisement", "Service", "Job"} <= kinds
    assert "SpeakerPlan" not in kinds
    apps = checks.kustomize(root / "argocd")
    assert {d["kind"] for d in apps} == {"Application"}


def test_metallb_objects_validate_against_the_crds(crd_schemas):
    schemas = crd_schemas
    files = compile_targets(targets(full_site()))
    seen = set()
    for path, data in files.items():
        for obj in yaml.safe_load_all(data):
            if not obj["apiVersion"].startswith("metallb.io/"):
                continue
            seen.add(obj["kind"])
            assert checks.schema_errors(obj, schemas) == [], path
    assert seen == {
        "IPAddressPool",
        "L2Advertisement",
        "BGPAdvertisement",
        "BGPPeer",
        "BFDProfile",
        "Community",
    }


def test_the_crd_check_can_fail(crd_schemas):
    schemas = crd_schemas
    bad = {
        "apiVersion": "metallb.io/v1beta1",
        "kind": "IPAddressPool",
        "metadata": {"name": "x"},
        "spec": {"addresses": ["10.0.0.0/24"], "autoAssing": True},
    }
    assert checks.schema_errors(bad, schemas)
