"""The API path says what happened, once (issue 15): a kubeconfig with
`insecure-skip-tls-verify` gives one note, not a warning per request; a refused connection is
one line naming the server; a server that answers 404 to everything is "not a Kubernetes API
server" with exit status 3. Against the emulator over real HTTP(S), through the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

from tests.k8s_emulator import Emulator
from tests.reconcile.fleet_helpers import multi_kubeconfig, site_with_contexts, stage_in_sync
from tests.reconcile.helpers import closed_port, run, run_json, site_args, write_site
from tests.reconcile.scenario import drifted

ROOT = Path(__file__).resolve().parents[2]


def cli(*argv: str) -> subprocess.CompletedProcess[str]:
    """gitops-lb in a process of its own: Python's default warning filters, as users run it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHONWARNINGS")}
    return subprocess.run(
        [sys.executable, "-m", "gitops_lb", "reconcile", *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=120,
    )


def test_insecure_tls_is_one_note_and_no_warnings(tmp_path):
    with Emulator(drifted()[0], tls=True) as api:
        kc = multi_kubeconfig(tmp_path, {"prod": api.url}, insecure=True)
        done = cli(*site_args(write_site(tmp_path)), "--kubeconfig", str(kc))
        asked = len(api.requests)
    assert api.url.startswith("https://")
    assert (done.returncode, done.stderr) == (0, "")  # no InsecureRequestWarning at all
    assert asked == 11
    assert done.stdout.splitlines() == [
        f"note: TLS verification is off for {api.url}",
        f"dc1/prod against context prod ({api.url}): in sync (0 errors, 0 warnings)",
    ]


def test_the_warning_is_silenced_during_the_read_only(tmp_path, capsys):
    """In process (pytest turns warnings into errors here): the read succeeds, so no warning
    escaped it, and the warning filters are as they were afterwards."""
    import gitops_lb.reconcile.live  # urllib3 adds its own filters when first imported

    assert gitops_lb.reconcile.live.REQUEST_THREAD
    before = list(warnings.filters)
    with Emulator(drifted()[0], tls=True) as api:
        kc = multi_kubeconfig(tmp_path, {"prod": api.url}, insecure=True)
        code, doc = run_json(capsys, *site_args(write_site(tmp_path)), "--kubeconfig", str(kc))
    assert (code, doc["in_sync"]) == (0, True)
    assert doc["notes"] == [f"TLS verification is off for {api.url}"]
    assert warnings.filters == before


def test_verified_tls_has_no_note(tmp_path, capsys):
    """The emulator's certificate as the certificate authority: verified, nothing to say."""
    from tests.k8s_emulator import CERT

    with Emulator(drifted()[0], tls=True) as api:
        kc = multi_kubeconfig(tmp_path, {"prod": api.url})
        text = kc.read_text().replace(
            f"server: {api.url}", f"server: {api.url}\n    certificate-authority: {CERT}"
        )
        kc.write_text(text)
        code, doc = run_json(capsys, *site_args(write_site(tmp_path)), "--kubeconfig", str(kc))
    assert (code, doc["notes"]) == (0, [])


def test_insecure_fleet_one_note_per_cluster(tmp_path):
    site = site_with_contexts(tmp_path)
    with Emulator(drifted()[0], tls=True) as prod, Emulator(stage_in_sync(), tls=True) as stage:
        kc = multi_kubeconfig(tmp_path, {"prod": prod.url, "stage": stage.url}, insecure=True)
        done = cli(str(site), "--kubeconfig", str(kc), "--jobs", "2")
    assert (done.returncode, done.stderr) == (0, "")
    lines = done.stdout.splitlines()
    assert lines.count(f"note: TLS verification is off for {prod.url}") == 1
    assert lines.count(f"note: TLS verification is off for {stage.url}") == 1
    assert len([line for line in lines if line.startswith("note:")]) == 2


def test_refused_connection_is_one_line(tmp_path):
    server = f"http://127.0.0.1:{closed_port()}"
    kc = multi_kubeconfig(tmp_path, {"prod": server})
    for fmt in ("text", "json"):
        done = cli(*site_args(write_site(tmp_path)), "--kubeconfig", str(kc), "--format", fmt)
        assert (done.returncode, done.stdout) == (3, "")
        assert done.stderr == (
            f"gitops-lb: error: cannot reach the API server {server} (context prod): "
            "Connection refused\n"
        )


def test_refused_tls_connection_is_one_line_without_a_tls_note(tmp_path, capsys):
    server = f"https://127.0.0.1:{closed_port()}"
    kc = multi_kubeconfig(tmp_path, {"prod": server}, insecure=True)
    code, out, err = run(capsys, *site_args(write_site(tmp_path)), "--kubeconfig", str(kc))
    assert (code, out) == (3, "")
    assert err == (
        f"gitops-lb: error: cannot reach the API server {server} (context prod): "
        "Connection refused\n"
    )


def test_404_to_everything_is_not_a_kubernetes_api_server(tmp_path):
    with Emulator(drifted()[0]) as api:
        api.fail(".", 404)
        kc = multi_kubeconfig(tmp_path, {"prod": api.url})
        done = cli(*site_args(write_site(tmp_path)), "--kubeconfig", str(kc))
    assert (done.returncode, done.stdout) == (3, "")
    assert done.stderr == (
        f"gitops-lb: error: {api.url} (context prod) is not a Kubernetes API server: GET /api "
        "answered 404 (not found) (a wrong server URL, or a proxy in front of one?)\n"
    )


def test_metallb_missing_on_a_real_server_costs_one_more_request(tmp_path, capsys):
    """The look at /api after the first 404 happens once, and a real server passes it."""
    objects = [o for o in drifted()[0] if o["kind"] not in ("IPAddressPool", "L2Advertisement")]
    with Emulator(objects) as api:
        api.fail("/ipaddresspools$|/l2advertisements$", 404)
        kc = multi_kubeconfig(tmp_path, {"prod": api.url})
        code, doc = run_json(capsys, *site_args(write_site(tmp_path)), "--kubeconfig", str(kc))
        asked = api.paths()
    assert code == 1
    assert asked.count("/api/") == 1 and len(asked) == 12
    assert (
        "the cluster does not serve metallb.io/v1beta1 ipaddresspools; is MetalLB installed?"
        in (doc["notes"])
    )


def test_discovery_without_the_core_version(tmp_path, capsys):
    """/api answers, but not with the core API version: not a Kubernetes API server."""
    with Emulator(drifted()[0]) as api:
        api.fail("/ipaddresspools$", 404)
        api.fail("^/api/$", 200, "hello from the proxy")  # a 200 carrying anything but v1
        kc = multi_kubeconfig(tmp_path, {"prod": api.url})
        code, out, err = run(capsys, *site_args(write_site(tmp_path)), "--kubeconfig", str(kc))
    assert (code, out) == (3, "")
    assert err.endswith(
        "is not a Kubernetes API server: GET /api does not list the core API version v1 (a "
        "wrong server URL, or a proxy in front of one?)\n"
    )
