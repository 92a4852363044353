"""Reading through the real `kubernetes` client: errors per resource type, timeouts,
pagination, credentials as kubectl finds them, and GET requests only."""

from __future__ import annotations

import time

import pytest

from tests.k8s_emulator import Emulator
from tests.reconcile.helpers import (
    TOKEN,
    closed_port,
    found,
    kubeconfig,
    run,
    run_json,
    site_args,
    write_site,
)
from tests.reconcile.scenario import NS, drifted

FORBIDDEN = (
    'services is forbidden: User "system:serviceaccount:ops:reconcile" cannot list resource '
    '"services" in API group "" at the cluster scope'
)


def reconcile(tmp_path, capsys, api, *extra):
    kc = kubeconfig(tmp_path, api.url)
    return run_json(capsys, *site_args(write_site(tmp_path)), "--kubeconfig", str(kc), *extra)


@pytest.mark.slow
def test_forbidden_type_is_reported_and_the_rest_compared(tmp_path, capsys):
    objects, expected = drifted("changed")
    with Emulator(objects, token=TOKEN) as api:
        api.fail(r"^/api/v1/services$", 403, FORBIDDEN)
        code, doc = reconcile(tmp_path, capsys, api)
    assert code == 3
    assert not doc["in_sync"]
    assert found(doc) == expected | {("unreadable", "Service", None)}
    unreadable = doc["differences"][0]
    assert unreadable["type"] == "unreadable"
    assert (
        unreadable["message"]
        == f"could not read Service: GET /api/v1/services: forbidden (403): {FORBIDDEN}"
    )
    # Services were not compared (no "missing" Service), Nodes and L2 status still were
    assert "/api/v1/nodes" in api.paths()
    assert api.methods() == {"GET"}


def test_server_error_on_one_type(tmp_path, capsys):
    with Emulator(drifted()[0]) as api:
        api.fail("/l2advertisements$", 500, "etcdserver: request timed out")
        code, doc = reconcile(tmp_path, capsys, api)
    assert code == 3
    [diff] = doc["differences"]
    assert diff["kind"] == "L2Advertisement" and diff["namespace"] == NS
    assert diff["message"] == (
        "could not read L2Advertisement: GET /apis/metallb.io/v1beta1/namespaces/metallb-system/"
        "l2advertisements: server error (500): etcdserver: request timed out"
    )


def test_status_kind_not_served_is_a_note(tmp_path, capsys):
    """ACP ships MetalLB 0.15.1, which has no ConfigurationState: nothing to compare."""
    with Emulator(drifted()[0]) as api:
        api.fail("/configurationstates$", 404)
        code, doc = reconcile(tmp_path, capsys, api)
    assert (code, doc["in_sync"], doc["differences"]) == (0, True, [])
    assert doc["notes"] == [
        "the cluster does not serve metallb.io/v1beta1 configurationstates; ConfigurationState "
        "not checked (an older MetalLB)"
    ]


def test_metallb_not_installed(tmp_path, capsys):
    objects = [o for o in drifted()[0] if o["kind"] != "IPAddressPool"]
    with Emulator(objects) as api:
        api.fail("/ipaddresspools$", 404)
        code, doc = reconcile(tmp_path, capsys, api)
    assert code == 1
    assert found(doc) == {
        ("missing", "IPAddressPool", "spare"),
        ("missing", "IPAddressPool", "web"),
    }
    assert doc["notes"] == [
        "the cluster does not serve metallb.io/v1beta1 ipaddresspools; is MetalLB installed?"
    ]


def test_plugin_type_absent_means_plugin_missing(tmp_path, capsys):
    objects = [o for o in drifted()[0] if o["kind"] != "ClusterPluginInstance"]
    with Emulator(objects) as api:
        api.fail("/clusterplugininstances", 404)
        code, doc = reconcile(tmp_path, capsys, api)
    assert code == 1
    assert found(doc) == {("plugin-missing", "ClusterPluginInstance", "metallb")}


def test_slow_server_fails_within_the_timeout(tmp_path, capsys):
    with Emulator(drifted()[0]) as api:
        api.slow("/l2advertisements$", 30)
        start = time.monotonic()
        code, doc = reconcile(tmp_path, capsys, api, "--timeout", "0.5")
        elapsed = time.monotonic() - start
    assert code == 3
    assert elapsed < 5  # one timeout, no retries, nothing asked after it
    messages = {d["kind"]: d["message"] for d in doc["differences"]}
    assert messages["L2Advertisement"] == (
        "could not read L2Advertisement: the API server did not answer GET /apis/metallb.io/"
        "v1beta1/namespaces/metallb-system/l2advertisements: no answer within 0.5s"
    )
    assert messages["Node"] == (
        "could not read Node: not read after GET /apis/metallb.io/v1beta1/namespaces/"
        "metallb-system/l2advertisements failed"
    )
    later = [p for p in api.paths() if "l2advertisements" not in p]
    assert not any(p.endswith(("/nodes", "/services")) for p in later)


def test_pagination_reads_every_page(tmp_path, capsys):
    objects, expected = drifted("unmanaged", "misassigned")
    with Emulator(objects, page_size=2) as api:
        code, doc = reconcile(tmp_path, capsys, api)
    assert (code, found(doc)) == (1, expected)
    service_pages = [r for r in api.requests if r.path == "/api/v1/services"]
    assert len(service_pages) == 5  # 10 Services, 2 per page
    assert [r.query.get("limit") for r in service_pages] == [["500"]] * 5
    assert "continue" not in service_pages[0].query
    assert all("continue" in r.query for r in service_pages[1:])


def test_expired_continue_token(tmp_path, capsys):
    with Emulator(drifted()[0], page_size=1) as api:
        api.fail("/nodes$", 410, "too old resource version")
        code, doc = reconcile(tmp_path, capsys, api)
    assert code == 3
    assert found(doc) == {("unreadable", "Node", None)}
    assert "list expired while paging (410)" in doc["differences"][0]["message"]


def test_only_get_requests(tmp_path, capsys):
    objects, _ = drifted("extra", "changed", "misassigned", "plugin-missing")
    with Emulator(objects) as api:
        reconcile(tmp_path, capsys, api)
    assert api.methods() == {"GET"}
    assert len(api.requests) == 11  # 6 MetalLB kinds, 2 status kinds, Services, Nodes, plugin


def test_token_is_sent(tmp_path, capsys):
    with Emulator(drifted()[0], token=TOKEN) as api:
        code, _ = reconcile(tmp_path, capsys, api)
    assert code == 0
    assert {r.authorization for r in api.requests} == {f"Bearer {TOKEN}"}


def test_rejected_credentials_stop_reading(tmp_path, capsys):
    with Emulator(drifted()[0], token="another-token") as api:
        kc = kubeconfig(tmp_path, api.url)
        code, out, err = run(capsys, *site_args(write_site(tmp_path)), "--kubeconfig", str(kc))
    assert (code, out) == (3, "")
    assert len(api.requests) == 1
    assert err == (
        f"gitops-lb: error: the API server {api.url} (context prod) rejected the credentials: "
        "GET /apis/metallb.io/v1beta1/namespaces/metallb-system/ipaddresspools: unauthorized "
        "(401): Unauthorized\n"
    )


def test_unreachable_server(tmp_path, capsys):
    server = f"http://127.0.0.1:{closed_port()}"
    kc = kubeconfig(tmp_path, server)
    code, out, err = run(capsys, *site_args(write_site(tmp_path)), "--kubeconfig", str(kc))
    assert (code, out) == (3, "")
    assert err == (
        f"gitops-lb: error: cannot reach the API server {server} (context prod): "
        "Connection refused\n"
    )


def test_unknown_context(tmp_path, capsys):
    kc = kubeconfig(tmp_path, "http://127.0.0.1:1")
    code, out, err = run(
        capsys, *site_args(write_site(tmp_path)), "--kubeconfig", str(kc), "--context", "staging"
    )
    assert code == 3 and out == ""
    assert err == f"gitops-lb: error: unknown context 'staging' in {kc} (contexts: prod)\n"


def test_kubeconfig_from_environment(tmp_path, capsys, monkeypatch):
    with Emulator(drifted()[0]) as api:
        other = kubeconfig(tmp_path, "http://127.0.0.1:1", context="other", name="first")
        kc = kubeconfig(tmp_path, api.url, context="prod")
        monkeypatch.setenv("KUBECONFIG", f"{other}:{kc}")
        code, doc = run_json(capsys, *site_args(write_site(tmp_path)), "--context", "prod")
    assert (code, doc["in_sync"]) == (0, True)


def test_kubeconfig_from_home(tmp_path, capsys, monkeypatch):
    with Emulator(drifted()[0]) as api:
        (tmp_path / ".kube").mkdir()
        kubeconfig(tmp_path / ".kube", api.url, name="config")
        monkeypatch.delenv("KUBECONFIG", raising=False)
        monkeypatch.setenv("HOME", str(tmp_path))
        code, doc = run_json(capsys, *site_args(write_site(tmp_path)))
    assert (code, doc["in_sync"]) == (0, True)


def test_no_credentials_anywhere(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("KUBECONFIG", raising=False)
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    code, out, err = run(capsys, *site_args(write_site(tmp_path)))
    assert code == 3 and out == ""
    assert err.startswith("gitops-lb: error: no cluster credentials: pass --kubeconfig")


def test_missing_kubeconfig_file(tmp_path, capsys):
    code, _, err = run(capsys, *site_args(write_site(tmp_path)), "--kubeconfig", "nope.yaml")
    assert (code, err) == (3, "gitops-lb: error: kubeconfig nope.yaml: no such file\n")


@pytest.mark.parametrize("flag", ["--kubeconfig", "--context"])
def test_live_and_api_options_exclude_each_other(tmp_path, capsys, flag):
    code, _, err = run(capsys, *site_args(write_site(tmp_path)), "--live", "x.yaml", flag, "y")
    assert code == 2
    assert "not both" in err


def in_cluster(tmp_path, monkeypatch, port):
    """Pretend to run in a pod: service account files and KUBERNETES_SERVICE_* variables."""
    from kubernetes.config import incluster_config

    token = tmp_path / "token"
    token.write_text(TOKEN)
    cert = tmp_path / "ca.crt"
    cert.write_text("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    monkeypatch.setattr(incluster_config, "SERVICE_TOKEN_FILENAME", str(token))
    monkeypatch.setattr(incluster_config, "SERVICE_CERT_FILENAME", str(cert))
    monkeypatch.delenv("KUBECONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("KUBERNETES_SERVICE_HOST", "127.0.0.1")
    monkeypatch.setenv("KUBERNETES_SERVICE_PORT", str(port))


def test_in_cluster_service_account(tmp_path, capsys, monkeypatch):
    port = closed_port()
    in_cluster(tmp_path, monkeypatch, port)
    code, out, err = run(capsys, *site_args(write_site(tmp_path)))
    assert (code, out) == (3, "")
    assert err == (
        f"gitops-lb: error: cannot reach the API server https://127.0.0.1:{port} (in-cluster "
        "service account): Connection refused\n"
    )
    assert TOKEN not in out + err
    code, out, err = run(capsys, *site_args(write_site(tmp_path)), "--context", "prod")
    assert (code, err) == (3, "gitops-lb: error: --context needs a kubeconfig; none was found\n")


def test_in_cluster_without_service_account_files(tmp_path, capsys, monkeypatch):
    in_cluster(tmp_path, monkeypatch, 443)
    (tmp_path / "token").unlink()
    code, out, err = run(capsys, *site_args(write_site(tmp_path)))
    assert (code, out) == (3, "")
    assert err == (
        "gitops-lb: error: cannot use in-cluster configuration: "
        "Service token file does not exist.\n"
    )


def test_an_answer_that_is_not_a_list(tmp_path, capsys):
    with Emulator(drifted()[0]) as api:
        api.fail("/bgppeers$", 200, "not what you asked for")  # a 200 carrying a Status
        code, doc = reconcile(tmp_path, capsys, api)
    assert code == 3
    assert [d["message"] for d in doc["differences"]] == [
        "could not read BGPPeer: GET /apis/metallb.io/v1beta2/namespaces/metallb-system/bgppeers: "
        "the answer is not a Kubernetes list"
    ]


@pytest.mark.slow
def test_unresponsive_server_fails_within_the_timeout(tmp_path, capsys):
    with Emulator(drifted()[0]) as api:
        api.slow(".", 30)
        kc = kubeconfig(tmp_path, api.url)
        start = time.monotonic()
        code, out, err = run(
            capsys, *site_args(write_site(tmp_path)), "--kubeconfig", str(kc), "--timeout", "1"
        )
        elapsed = time.monotonic() - start
    assert (code, out) == (3, "")
    assert 1 <= elapsed < 3
    assert len(api.requests) == 1
    assert err == (
        f"gitops-lb: error: cannot reach the API server {api.url} (context prod): no answer "
        "within 1s\n"
    )
