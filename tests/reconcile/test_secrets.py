"""Tokens, passwords and keys from the kubeconfig never appear in any output or error."""

from __future__ import annotations

import pytest

from tests.k8s_emulator import Emulator
from tests.reconcile.helpers import (
    KEY_DATA,
    PASSWORD,
    SECRETS,
    TOKEN,
    closed_port,
    kubeconfig,
    run,
    site_args,
    write_site,
)
from tests.reconcile.scenario import DRIFTS, drifted


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text


def reconcile_text_and_json(capsys, *argv):
    outputs = []
    codes = set()
    for fmt in ("text", "json"):
        code, out, err = run(capsys, *argv, "--format", fmt)
        codes.add(code)
        outputs += [out, err]
    assert_no_secret(*outputs)
    return codes, outputs


@pytest.mark.parametrize(
    "user",
    [
        {"token": TOKEN, "client-key-data": KEY_DATA},
        {"username": "admin", "password": PASSWORD, "token": TOKEN},
        {
            "auth-provider": {
                "name": "oidc",
                "config": {"id-token": TOKEN, "client-secret": PASSWORD},
            }
        },
    ],
    ids=["token", "basic", "auth-provider"],
)
def test_drifted_cluster_with_errors(tmp_path, capsys, user):
    objects, _ = drifted(*DRIFTS)
    with Emulator(objects, token="server-expects-another") as api:
        kc = kubeconfig(tmp_path, api.url, user=user)
        codes, outputs = reconcile_text_and_json(
            capsys, *site_args(write_site(tmp_path)), "--kubeconfig", str(kc)
        )
    assert codes == {3}
    # rejected before anything was read: one line on standard error, in either format
    assert outputs[0] == outputs[2] == ""
    assert "unauthorized (401)" in outputs[1]
    assert outputs[1] == outputs[3] and outputs[1].count("\n") == 1


def test_server_echoing_the_token_is_redacted(tmp_path, capsys):
    """A misbehaving server (or proxy) that quotes the Authorization header in its answer."""
    with Emulator(drifted()[0], token=TOKEN) as api:
        api.fail("/services$", 403, f"denied for Authorization: Bearer {TOKEN}")
        api.fail("/nodes$", 500, f"token {TOKEN} is not allowed here")
        kc = kubeconfig(tmp_path, api.url)
        codes, outputs = reconcile_text_and_json(
            capsys, *site_args(write_site(tmp_path)), "--kubeconfig", str(kc)
        )
    assert codes == {3}
    assert "denied for Authorization: <redacted>" in outputs[0]
    assert "token <redacted> is not allowed here" in outputs[0]


def test_unknown_context_and_unreachable_server(tmp_path, capsys):
    kc = kubeconfig(tmp_path, f"http://127.0.0.1:{closed_port()}")
    site = site_args(write_site(tmp_path))
    codes, _ = reconcile_text_and_json(capsys, *site, "--kubeconfig", str(kc), "--context", "x")
    assert codes == {3}
    codes, outputs = reconcile_text_and_json(capsys, *site, "--kubeconfig", str(kc))
    assert codes == {3}
    assert "Connection refused" in outputs[1]


def test_broken_kubeconfig(tmp_path, capsys):
    """The context names a cluster the kubeconfig does not have: the client's own error."""
    kc = kubeconfig(tmp_path, "http://127.0.0.1:1")
    kc.write_text(kc.read_text().replace("cluster: prod", "cluster: nobody"))
    codes, outputs = reconcile_text_and_json(
        capsys, *site_args(write_site(tmp_path)), "--kubeconfig", str(kc)
    )
    assert codes == {3}
    assert outputs[1].startswith(f"gitops-lb: error: kubeconfig {kc}: Invalid kube-config")


def test_exec_plugin_output_is_scrubbed(tmp_path, capsys):
    """The client logs a failing exec plugin's stderr; it goes through the scrubber too."""
    plugin = {
        "apiVersion": "client.authentication.k8s.io/v1beta1",
        "command": "/bin/sh",
        "args": ["-c", 'echo "refusing $SECRET_ENV" >&2; exit 3'],
        "env": [{"name": "SECRET_ENV", "value": PASSWORD}],
    }
    with Emulator(drifted()[0]) as api:
        kc = kubeconfig(tmp_path, api.url, user={"exec": plugin})
        codes, outputs = reconcile_text_and_json(
            capsys, *site_args(write_site(tmp_path)), "--kubeconfig", str(kc)
        )
    assert codes == {0}
    assert "note: kubernetes client: exec: process returned 3. refusing <redacted>" in outputs[0]
