"""A misspelt required field is one mistake: the unknown key's finding (with the field meant)
says it, and the required field is not reported missing as well."""

from __future__ import annotations

import json

from gitops_lb.cli import main

POOL = """\
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {{name: web, namespace: metallb-system}}
spec:
  {key}: [192.168.10.64/27]
"""

SITE = """\
apiVersion: gitops-lb.io/v1alpha1
kind: Site
metadata: {{name: dc1}}
spec:
  platform: acp
  argocd: {{repoURL: https://git.example.com/lb.git}}
  clusters:
    - name: a
      server: https://10.0.0.10:6443
      pools:
        - name: web
          {key}: [192.168.10.64/27]
"""


def findings(tmp_path, capsys, command: str, text: str) -> list[tuple[str, int]]:
    path = tmp_path / "in.yaml"
    path.write_text(text)
    capsys.readouterr()
    assert main([command, "--format", "json", str(path)]) == 1
    report = json.loads(capsys.readouterr().out)
    return [(d["rule"], d["line"]) for d in report["diagnostics"]]


def test_a_misspelt_required_field_is_one_finding(tmp_path, capsys):
    for command, text in (("lint", POOL), ("validate", SITE)):
        got = findings(tmp_path, capsys, command, text.format(key="adresses"))
        schema = [f for f in got if f[0].startswith("schema-")]
        assert schema == [("schema-unknown-field", text.count("\n"))], (command, got)


def test_an_unrelated_unknown_key_leaves_the_missing_field_reported(tmp_path, capsys):
    for command, text in (("lint", POOL), ("validate", SITE)):
        got = findings(tmp_path, capsys, command, text.format(key="colour"))
        rules = sorted(f[0] for f in got if f[0].startswith("schema-"))
        assert rules == ["schema-invalid", "schema-unknown-field"], (command, got)
