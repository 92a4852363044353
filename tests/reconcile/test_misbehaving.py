"""API servers that misbehave, reproduced the way they were found (issue 16): a fake API server
on loopback, over real HTTP, read by the real `kubernetes` client.

- one that trickles its answer a byte at a time, so that the socket is never silent for long;
- one that pages a list without end (empty pages, a repeated token, the same items again, or
  new items forever);
- one that answers 404 on every path (a wrong URL, a proxy in front of the API server);
- one that quotes the credentials it was sent, and a kubeconfig whose server URL holds them;
- one whose list holds objects of another kind or namespace.
"""

from __future__ import annotations

import time

import pytest

from gitops_lb.reconcile import live
from gitops_lb.reconcile.credentials import Scrubber
from tests.k8s_emulator import Emulator
from tests.reconcile.helpers import (
    PASSWORD,
    closed_port,
    kubeconfig,
    run,
    run_json,
    site_args,
    write_site,
)
from tests.reconcile.scenario import NS, drifted

POOLS = f"/apis/metallb.io/v1beta1/namespaces/{NS}/ipaddresspools"


def reconcile(tmp_path, capsys, api, *extra, server=None):
    kc = kubeconfig(tmp_path, server or api.url)
    return run_json(capsys, *site_args(write_site(tmp_path)), "--kubeconfig", str(kc), *extra)


def reconcile_text(tmp_path, capsys, api, *extra):
    kc = kubeconfig(tmp_path, api.url)
    return run(capsys, *site_args(write_site(tmp_path)), "--kubeconfig", str(kc), *extra)


def messages(doc):
    return {d["kind"]: d["message"] for d in doc["differences"]}


# --- a server that trickles -------------------------------------------------------------------


def test_one_byte_a_second_is_bounded_by_the_timeout(tmp_path, capsys):
    """Found: 1 byte/s made `--timeout 5` take 1790 s, then report as if all were well."""
    with Emulator(drifted()[0]) as api:
        api.trickle("/ipaddresspools$", 1.0)
        start = time.monotonic()
        code, out, err = reconcile_text(tmp_path, capsys, api, "--timeout", "2")
        elapsed = time.monotonic() - start
        asked = api.paths()
    assert (code, out) == (3, "")
    assert elapsed < 5
    # nothing could be read: said once, not as 11 unreadable types
    assert err == (
        f"gitops-lb: error: cannot reach the API server {api.url} (context prod): "
        "no answer within 2s\n"
    )
    assert asked == [POOLS]  # nothing asked after it


def test_a_server_that_stops_answering_midway(tmp_path, capsys):
    """What was read is compared; what was not is unreadable, each type once."""
    with Emulator(drifted()[0]) as api:
        api.trickle("/bgppeers$", 1.0)
        code, doc = reconcile(tmp_path, capsys, api, "--timeout", "1")
    assert code == 3
    found = messages(doc)
    peers = "/apis/metallb.io/v1beta2/namespaces/metallb-system/bgppeers"
    assert found["BGPPeer"] == (
        f"could not read BGPPeer: the API server did not answer GET {peers}: no answer within 1s"
    )
    assert found["Node"] == f"could not read Node: not read after GET {peers} failed"
    assert "IPAddressPool" not in found and len(found) == 8


def test_a_body_that_trickles_is_bounded_by_the_timeout(tmp_path, capsys):
    """The headers arrive, the body never ends: the deadline covers the whole read."""
    with Emulator(drifted()[0]) as api:
        api.trickle("/ipaddresspools$", 0.05, body_only=True)  # the body takes many seconds
        start = time.monotonic()
        code, out, err = reconcile_text(tmp_path, capsys, api, "--timeout", "1.5")
        elapsed = time.monotonic() - start
    assert (code, out) == (3, "")
    assert elapsed < 4
    assert err == (
        f"gitops-lb: error: cannot reach the API server {api.url} (context prod): "
        "the answer did not end within 1.5s\n"
    )


def test_text_output_of_a_trickling_server(tmp_path, capsys):
    with Emulator(drifted()[0]) as api:
        api.trickle(".", 1.0)
        code, out, err = reconcile_text(tmp_path, capsys, api, "--timeout", "1")
    assert (code, out) == (3, "")
    assert err == (
        f"gitops-lb: error: cannot reach the API server {api.url} (context prod): "
        "no answer within 1s\n"
    )


# --- a server that pages without end ----------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "why"),
    [
        ("empty", "page 1 holds no object not seen before, yet a continue token"),
        ("repeat", "the server repeated a continue token (page 2): the list does not end"),
        ("same", "page 2 holds no object not seen before, yet a continue token"),
    ],
)
def test_a_list_that_makes_no_progress_stops(tmp_path, capsys, mode, why):
    """Found: endless `continue` tokens got 100,000 requests before the code stopped."""
    with Emulator(drifted()[0]) as api:
        api.endless("/api/v1/nodes$", mode)
        code, doc = reconcile(tmp_path, capsys, api)
        pages = [p for p in api.paths() if p == "/api/v1/nodes"]
    assert code == 3
    assert len(pages) <= 2
    [diff] = [d for d in doc["differences"] if d["type"] == "unreadable"]
    assert diff["kind"] == "Node"
    assert diff["message"].startswith("could not read Node: GET /api/v1/nodes: ")
    assert why in diff["message"]


def test_endless_new_pages_are_bounded_by_the_total(tmp_path, capsys):
    """New objects and a new token on every page: the total bound (TOTAL_FACTOR timeouts)."""
    with Emulator(drifted()[0]) as api:
        api.endless("/api/v1/nodes$", "fresh")
        start = time.monotonic()
        code, doc = reconcile(tmp_path, capsys, api, "--timeout", "0.2")
        elapsed = time.monotonic() - start
        pages = api.pages_served
    assert code == 3
    assert elapsed < 2 + 3
    assert pages < live.MAX_PAGES
    found = messages(doc)
    assert found["Node"] == (
        "could not read Node: the API server did not answer GET /api/v1/nodes: the live state "
        f"was not read within 2s ({live.TOTAL_FACTOR} x --timeout 0.2s)"
    )
    assert found["ClusterPluginInstance"] == (
        "could not read ClusterPluginInstance: not read after GET /api/v1/nodes failed"
    )


def test_the_total_bound_is_ten_timeouts():
    assert live.TOTAL_FACTOR == 10


# --- a server that is not a Kubernetes API server ---------------------------------------------


def test_404_on_every_path_is_not_drift(tmp_path, capsys):
    """Found: reported as drift (exit 1, 'is in Git but not in the cluster', 'is MetalLB
    installed?')."""
    with Emulator(drifted()[0]) as api:
        api.fail(".", 404)
        for fmt in ("json", "text"):
            code, out, err = reconcile_text(tmp_path, capsys, api, "--format", fmt)
            assert (code, out) == (3, "")
            assert err == (
                f"gitops-lb: error: {api.url} (context prod) is not a Kubernetes API server: "
                "GET /api answered 404 (not found) (a wrong server URL, or a proxy in front of "
                "one?)\n"
            )
        # the first 404 (MetalLB's pools) led to one look at the core API, and no further
        assert api.paths() == [POOLS, "/api/", POOLS, "/api/"]


def test_core_lists_absent_behind_a_discovery_document(tmp_path, capsys):
    """/api answers, yet the core lists are 404: not a Kubernetes API server either."""
    with Emulator(drifted()[0]) as api:
        api.fail("^/api/v1/", 404)
        code, out, err = reconcile_text(tmp_path, capsys, api)
    assert (code, out) == (3, "")
    assert err.endswith(
        "is not a Kubernetes API server: GET /api/v1/services answered 404 (not found) (a "
        "wrong server URL, or a proxy in front of one?)\n"
    )


def test_404_on_every_path_text(tmp_path, capsys):
    with Emulator(drifted()[0]) as api:
        api.fail(".", 404)
        code, out, err = reconcile_text(tmp_path, capsys, api)
    assert (code, out) == (3, "")
    assert "not a Kubernetes API server" in err
    assert "MetalLB installed" not in err and "[missing]" not in err


def test_metallb_absent_from_a_real_api_server_is_still_drift(tmp_path, capsys):
    """Core v1 is served: a 404 on MetalLB's kinds still means MetalLB is not installed."""
    with Emulator(drifted()[0]) as api:
        api.fail("^/apis/", 404)
        code, doc = reconcile(tmp_path, capsys, api)
    assert code == 1
    note = "the cluster does not serve metallb.io/v1beta1 ipaddresspools; is MetalLB installed?"
    assert note in doc["notes"]


# --- credentials in the server URL, and a server that echoes them ------------------------------


def test_url_user_info_is_never_printed(tmp_path, capsys):
    """Found: `http://admin:PASS@host` printed in the verdict line and in JSON `source`."""
    with Emulator(drifted()[0]) as api:
        server = api.url.replace("http://", f"http://admin:{PASSWORD}@")
        kc = kubeconfig(tmp_path, server)
        site = [*site_args(write_site(tmp_path)), "--kubeconfig", str(kc)]
        code, doc = run_json(capsys, *site)
        code_text, out, err = run(capsys, *site)
    assert (code, code_text, err) == (0, 0, "")
    assert doc["source"] == f"context prod ({api.url})"
    assert out == f"dc1/prod against context prod ({api.url}): in sync (0 errors, 0 warnings)\n"
    assert PASSWORD not in str(doc) + out


def test_url_user_info_is_not_in_error_messages(tmp_path, capsys):
    server = f"http://admin:{PASSWORD}@127.0.0.1:{closed_port()}"
    kc = kubeconfig(tmp_path, server)
    site = [*site_args(write_site(tmp_path)), "--kubeconfig", str(kc)]
    for fmt in ("text", "json"):
        code, out, err = run(capsys, *site, "--format", fmt)
        assert code == 3
        assert PASSWORD not in out + err
        assert "admin:" not in out + err
        assert "Connection refused" in err


@pytest.mark.parametrize("password", ["Zq9", "x7", "k3y!9", PASSWORD])
def test_echoed_basic_credentials_are_scrubbed(tmp_path, capsys, password):
    """A server that quotes the Authorization header it got, and the password inside it."""
    user = {"username": "ops", "password": password}
    with Emulator(drifted()[0]) as api:
        api.echo("/services$")
        kc = kubeconfig(tmp_path, api.url, user=user)
        site = [*site_args(write_site(tmp_path)), "--kubeconfig", str(kc)]
        code, doc = run_json(capsys, *site)
        code_text, out, _ = run(capsys, *site)
    assert code == code_text == 3
    message = messages(doc)["Service"]
    assert message == (
        "could not read Service: GET /api/v1/services: forbidden (403): denied for "
        "Authorization: <redacted>; user ops password <redacted> (password=<redacted>)"
    )
    assert message in out
    assert f" {password} " not in out and f"={password})" not in out


def test_a_url_in_a_servers_message_loses_its_user_info(tmp_path, capsys):
    with Emulator(drifted()[0]) as api:
        api.fail("/nodes$", 500, "upstream http://svc:hunter2@10.0.0.1:8080/ failed")
        code, doc = reconcile(tmp_path, capsys, api)
    assert code == 3
    assert messages(doc)["Node"].endswith("upstream http://10.0.0.1:8080/ failed")


def test_short_secrets_are_scrubbed_as_whole_words_only():
    scrub = Scrubber(["api", "Zq9", "long-secret-value"])
    assert scrub("GET /api/v1/services: api key Zq9, Zq9x, xZq9") == (
        "GET /<redacted>/v1/services: <redacted> key <redacted>, Zq9x, xZq9"
    )
    assert scrub("a long-secret-valueX") == "a <redacted>X"
    assert scrub("http://u:p@host/") == "http://host/"


# --- objects of the wrong kind or namespace ---------------------------------------------------


def test_an_item_of_another_kind_is_not_a_pool(tmp_path, capsys):
    """A `kind: Service` inside the IPAddressPool list: the list is not usable."""
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "namespace": NS},
        "spec": {"type": "LoadBalancer"},
    }
    with Emulator(drifted()[0]) as api:
        api.smuggle("/ipaddresspools$", service)
        code, doc = reconcile(tmp_path, capsys, api)
    assert code == 3
    [diff] = doc["differences"]
    assert diff["message"] == (
        f"could not read IPAddressPool: GET {POOLS}: item 3 of page 1 is of kind 'Service', "
        "not IPAddressPool"
    )
    assert not [d for d in doc["differences"] if d["type"] != "unreadable"]


def test_an_item_of_another_namespace_is_not_read(tmp_path, capsys):
    pool = {
        "apiVersion": "metallb.io/v1beta1",
        "kind": "IPAddressPool",
        "metadata": {"name": "intruder", "namespace": "default"},
        "spec": {"addresses": ["10.9.9.0/24"]},
    }
    with Emulator(drifted()[0]) as api:
        api.smuggle("/ipaddresspools$", pool)
        code, doc = reconcile(tmp_path, capsys, api)
    assert code == 3
    [diff] = doc["differences"]
    assert diff["kind"] == "IPAddressPool"
    assert f"is in namespace 'default', not in {NS}" in diff["message"]


def test_an_item_of_another_group_is_not_read(tmp_path, capsys):
    pool = {
        "apiVersion": "example.com/v1",
        "kind": "IPAddressPool",
        "metadata": {"name": "web", "namespace": NS},
    }
    with Emulator(drifted()[0]) as api:
        api.smuggle("/ipaddresspools$", pool)
        code, doc = reconcile(tmp_path, capsys, api)
    assert code == 3
    [diff] = doc["differences"]
    assert diff["kind"] == "IPAddressPool"
    assert "has apiVersion 'example.com/v1', not one of metallb.io" in diff["message"]
