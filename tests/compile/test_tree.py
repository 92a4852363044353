import pytest
import yaml

from gitops_lb.compile import waves
from gitops_lb.compile.tree import PLAN_FILE, CompileError, compile_targets
from tests.compile.targets import site_dict, targets


def objects(files, prefix="dc1/prod/"):
    """The objects of one cluster folder, keyed `kind.name` (Services: `service.ns.name`)."""
    out = {}
    for path, data in files.items():
        if path.startswith(prefix) and path != prefix + PLAN_FILE:
            for doc in yaml.safe_load_all(data):
                if doc["kind"] == "Kustomization":
                    continue
                meta = doc["metadata"]
                ns = f"{meta['namespace']}." if doc["kind"] == "Service" else ""
                key = f"{doc['kind'].lower()}.{ns}{meta['name']}.yaml"
                assert key not in out, key
                out[key] = doc
    return out


def wave(obj):
    return int(obj["metadata"]["annotations"][waves.SYNC_WAVE])


def test_every_object_has_a_wave_in_the_documented_order():
    objs = objects(compile_targets(targets()))
    by_kind: dict[str, set[int]] = {}
    for obj in objs.values():
        by_kind.setdefault(obj["kind"], set()).add(wave(obj))
    assert by_kind["ClusterPluginInstance"] == {waves.INSTALL}
    assert by_kind["ServiceAccount"] == {waves.GATE_RBAC}
    assert by_kind["Job"] == {waves.GATE}
    assert by_kind["IPAddressPool"] == by_kind["BGPPeer"] == {waves.CONFIG}
    assert by_kind["L2Advertisement"] == by_kind["BGPAdvertisement"] == {waves.ADVERTISE}
    assert by_kind["Service"] == {waves.SERVICES}
    assert waves.INSTALL < waves.GATE_RBAC < waves.GATE < waves.REFERENCED < waves.CONFIG
    assert waves.CONFIG < waves.ADVERTISE < waves.SERVICES


def test_referenced_objects_come_before_their_users():
    data = site_dict()
    cluster = data["spec"]["clusters"][0]
    cluster["bfdProfiles"] = [{"name": "fast", "receiveInterval": 100}]
    cluster["communities"] = [{"name": "c", "communities": [{"name": "x", "value": "1:2"}]}]
    cluster["bgpPeers"][0]["bfdProfile"] = "fast"
    objs = objects(compile_targets(targets(data)))
    assert wave(objs["bfdprofile.fast.yaml"]) < wave(objs["bgppeer.tor1.yaml"])
    assert wave(objs["community.c.yaml"]) < wave(objs["bgpadvertisement.edge.yaml"])


def test_metallb_objects_skip_dry_run_and_carry_no_tracking_metadata():
    objs = objects(compile_targets(targets()))
    for obj in objs.values():
        ann = obj["metadata"].get("annotations", {})
        labels = obj["metadata"].get("labels", {})
        assert "argocd.argoproj.io/tracking-id" not in ann
        assert "app.kubernetes.io/instance" not in labels
        skip = ann.get(waves.SYNC_OPTIONS) == waves.SKIP_DRY_RUN
        assert skip == obj["apiVersion"].startswith("metallb.io/"), obj["kind"]


def test_only_services_with_emit_true_are_written():
    objs = objects(compile_targets(targets()))
    services = {p: o for p, o in objs.items() if o["kind"] == "Service"}
    assert list(services) == ["service.web.nginx.yaml"]
    ann = services["service.web.nginx.yaml"]["metadata"]["annotations"]
    assert ann["metallb.io/loadBalancerIPs"] == "192.168.10.70"
    data = site_dict(metallb={"annotationPrefix": "metallb.universe.tf"})
    svc = objects(compile_targets(targets(data)))["service.web.nginx.yaml"]
    assert svc["metadata"]["annotations"]["metallb.universe.tf/address-pool"] == "web"


def test_objects_hold_only_what_the_site_spec_set():
    objs = objects(compile_targets(targets()))
    assert objs["ipaddresspool.web.yaml"]["spec"] == {"addresses": ["192.168.10.64/27"]}
    assert objs["ipaddresspool.edge.yaml"]["spec"]["autoAssign"] is False
    assert "status" not in objs["service.web.nginx.yaml"]


def test_kustomization_lists_manifests_in_wave_order_but_not_the_plan():
    files = compile_targets(targets())
    kust = yaml.safe_load(files["dc1/prod/kustomization.yaml"])
    listed = kust["resources"]
    on_disk = sorted(
        p.removeprefix("dc1/prod/")
        for p in files
        if p.startswith("dc1/prod/") and not p.endswith(("kustomization.yaml", PLAN_FILE))
    )
    assert sorted(listed) == on_disk
    assert PLAN_FILE not in listed
    waves_listed = []
    for name in listed:  # every object of a file shares its wave; files come in wave order
        file_waves = {wave(doc) for doc in yaml.safe_load_all(files["dc1/prod/" + name])}
        assert len(file_waves) == 1, name
        waves_listed.append(file_waves.pop())
    assert waves_listed == sorted(waves_listed)
    plan = yaml.safe_load(files["dc1/prod/" + PLAN_FILE])
    assert (plan["apiVersion"], plan["kind"]) == ("plan.gitops-lb.io/v1alpha1", "SpeakerPlan")


def test_acp_install_and_gate():
    objs = objects(compile_targets(targets()))
    cpi = objs["clusterplugininstance.metallb.yaml"]
    assert cpi["spec"] == {"pluginName": "metallb"}
    assert "namespace" not in cpi["metadata"]  # cluster-scoped
    job = objs["job.metallb-readiness-gate.yaml"]
    ann = job["metadata"]["annotations"]
    assert ann[waves.HOOK] == "Sync"
    assert job["metadata"]["namespace"] == "cpaas-system"
    assert job["spec"]["backoffLimit"] == 0 and job["spec"]["activeDeadlineSeconds"] > 600
    script = job["spec"]["template"]["spec"]["containers"][0]["command"][2]
    assert "appreleases.operator.alauda.io metallb" in script
    assert "metallb-webhook-service" in script
    role = objs["role.metallb-readiness-gate.yaml"]
    assert role["metadata"]["namespace"] == "cpaas-system"
    assert role["rules"] == [
        {
            "apiGroups": ["operator.alauda.io"],
            "resources": ["appreleases"],
            "resourceNames": ["metallb"],
            "verbs": ["get"],
        }
    ]
    slices = objs["clusterrole.metallb-readiness-gate.yaml"]["rules"]
    assert slices == [
        {"apiGroups": ["discovery.k8s.io"], "resources": ["endpointslices"], "verbs": ["list"]}
    ]
    reader = objs["clusterrole.gitops-lb-reconcile-reader.yaml"]
    verbs = {v for rule in reader["rules"] for v in rule["verbs"]}
    assert verbs == {"get", "list", "watch"}
    groups = {g for rule in reader["rules"] for g in rule["apiGroups"]}
    assert groups == {"metallb.io", "", "cluster.alauda.io"}


def test_gate_image_and_timeout_come_from_the_site():
    data = site_dict()
    data["spec"]["argocd"]["gateImage"] = "registry.local/kubectl:1.30"
    data["spec"]["argocd"]["gateTimeoutSeconds"] = 120
    job = objects(compile_targets(targets(data)))["job.metallb-readiness-gate.yaml"]
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "registry.local/kubectl:1.30"
    assert {"name": "TIMEOUT_SECONDS", "value": "120"} in container["env"]


@pytest.mark.parametrize(
    ("mode", "frr", "frrk8s"),
    [
        (None, False, False),
        ("native", False, False),
        ("frr", True, False),
        ("frr-k8s", False, True),
    ],
)
def test_upstream_helm_application(mode, frr, frrk8s):
    data = site_dict(platform="metallb", bgpMode=mode, metallb={"version": "v0.14.9"})
    files = compile_targets(targets(data))
    objs = objects(files)
    assert "clusterplugininstance.metallb.yaml" not in objs
    job = objs["job.metallb-readiness-gate.yaml"]
    assert job["metadata"]["namespace"] == "metallb-system"
    assert (
        "deployments.apps metallb-controller"
        in job["spec"]["template"]["spec"]["containers"][0]["command"][2]
    )
    helm = yaml.safe_load(files["argocd/dc1.prod.metallb.yaml"])
    src = helm["spec"]["source"]
    assert src["repoURL"] == "https://metallb.github.io/metallb"
    assert (src["chart"], src["targetRevision"]) == ("metallb", "0.14.9")
    values = src["helm"]["valuesObject"]
    assert values["controller"]["image"]["tag"] == "v0.14.9"
    assert values["speaker"]["image"]["tag"] == "v0.14.9"
    assert values["speaker"]["frr"]["enabled"] is frr
    assert values["frrk8s"]["enabled"] is frrk8s
    app = yaml.safe_load(files["argocd/dc1.prod.yaml"])
    assert wave(helm) < wave(app)
    assert "CreateNamespace=true" in app["spec"]["syncPolicy"]["syncOptions"]
    kust = yaml.safe_load(files["argocd/kustomization.yaml"])
    assert kust["resources"] == ["dc1.prod.metallb.yaml", "dc1.prod.yaml"]


def test_cluster_application():
    files = compile_targets(targets())
    app = yaml.safe_load(files["argocd/dc1.prod.yaml"])
    assert app["metadata"] == {
        "name": "dc1-prod",
        "namespace": "argocd",
        "annotations": {waves.SYNC_WAVE: str(waves.APP_CLUSTER)},
        "finalizers": ["resources-finalizer.argocd.argoproj.io"],
    }
    spec = app["spec"]
    assert spec["source"] == {
        "repoURL": "https://git.example.com/lb.git",
        "targetRevision": "main",
        "path": "deploy/dc1/prod",
    }
    assert spec["destination"] == {
        "server": "https://10.0.0.10:6443",
        "namespace": "metallb-system",
    }
    assert spec["syncPolicy"]["retry"]["backoff"]["factor"] == 2
    assert "syncOptions" not in spec["syncPolicy"]  # ACP: the plugin creates the namespace


def test_application_name_clash_is_refused():
    a = site_dict()
    a["metadata"]["name"] = "a-b"
    a["spec"]["clusters"][0]["name"] = "c"
    b = site_dict()
    b["metadata"]["name"] = "a"
    b["spec"]["clusters"][0]["name"] = "b-c"
    with pytest.raises(CompileError, match="a-b-c"):
        compile_targets(targets(a) + targets(b))


def test_reserved_site_name_and_duplicate_cluster():
    a = site_dict()
    a["metadata"]["name"] = "argocd"
    with pytest.raises(CompileError, match="Applications folder"):
        compile_targets(targets(a))
    with pytest.raises(CompileError, match="defined twice"):
        compile_targets(targets() + targets())


def test_no_inventory_plan():
    data = site_dict()
    data["spec"]["clusters"][0]["nodes"] = []
    files = compile_targets(targets(data))
    plan = yaml.safe_load(files["dc1/prod/" + PLAN_FILE])["spec"]
    assert plan["nodes"] == [] and plan["memberlist"]["port"] == 7946


def test_metallb_objects_share_a_file_per_kind_and_services_one_per_namespace():
    data = site_dict()
    cluster = data["spec"]["clusters"][0]
    for i in range(40):
        cluster["pools"].append({"name": f"p{39 - i:02d}", "addresses": [f"10.9.{i}.0/28"]})
        ns = ("red", "blue")[i % 2]
        cluster["services"].append(
            {"name": f"s{39 - i:02d}", "namespace": ns, "pool": "web", "ports": [{"port": 80}]}
        )
    files = compile_targets(targets(data))
    names = {p.removeprefix("dc1/prod/") for p in files if p.startswith("dc1/prod/")}
    assert {"ipaddresspools.yaml", "services.red.yaml", "services.blue.yaml"} <= names
    assert not any(n.startswith(("ipaddresspool.", "service.")) for n in names)
    pools = list(yaml.safe_load_all(files["dc1/prod/ipaddresspools.yaml"]))
    assert {p["kind"] for p in pools} == {"IPAddressPool"}
    pool_names = [p["metadata"]["name"] for p in pools]
    assert pool_names == sorted(pool_names) and len(pool_names) == 42
    for ns in ("red", "blue"):
        svcs = list(yaml.safe_load_all(files[f"dc1/prod/services.{ns}.yaml"]))
        assert {s["metadata"]["namespace"] for s in svcs} == {ns}
        svc_names = [s["metadata"]["name"] for s in svcs]
        assert svc_names == sorted(svc_names) and len(svc_names) == 20
    # the folder does not grow with the objects: the same files as for the small site
    small = {p for p in compile_targets(targets()) if p.startswith("dc1/prod/")}
    assert len(names) == len(small) + 2
    assert files["dc1/prod/ipaddresspools.yaml"].count(b"# Generated by gitops-lb") == 1
