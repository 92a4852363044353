"""A broken kubeconfig ends reconcile with exit 3 and a short message, never a traceback, and
never shows the credentials it holds (even those the file is too broken to be read for)."""

from __future__ import annotations

import pytest

from tests.robustness.cli import SITES, cli

TOKEN = "tok-7c1d9e-SECRET"
PASSWORD = "pw-4b2a-SECRET"
KEY = "a2V5LWRhdGEtU0VDUkVU"
GOOD = f"""\
apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {{server: "http://127.0.0.1:9"}}
users:
- name: u
  user: {{token: {TOKEN}, password: {PASSWORD}, client-key-data: {KEY}}}
contexts:
- name: x
  context: {{cluster: c, user: u}}
current-context: x
"""
BROKEN = {
    "unclosed-flow": (GOOD.replace(f"{KEY}}}", KEY), 9),
    "tab": (GOOD.replace("- name: u\n", "- name: u\n\tbad: x\n"), 8),
    "unclosed-list": (GOOD.replace("  user: {", "  user:\n    token: [" + TOKEN + "\n  x: {"), 10),
    "a-string": (f"token {TOKEN}\n", None),
    "users-a-string": (
        GOOD.replace("users:\n- name: u\n", f"users: {TOKEN}\nx:\n- name: u\n"),
        None,
    ),
    "binary": ("\xff\xfe" + TOKEN, None),
    "empty": ("", None),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_kubeconfigs(tmp_path, capsys, case):
    text, line = BROKEN[case]
    kc = tmp_path / "kubeconfig"
    kc.write_text(text, encoding="latin-1")
    site = str(SITES / "bgp-frr.yaml")
    run = cli(capsys, "reconcile", site, "--cluster", "bgp-frr/core", "--kubeconfig", str(kc))
    assert run.status == 3
    assert run.err.startswith("gitops-lb: error: ")
    for secret in (TOKEN, PASSWORD, KEY):
        assert secret not in run.out + run.err
    if line is not None:
        assert f"{kc}:{line}:" in run.err
