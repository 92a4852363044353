"""site-argocd-rollout through `gitops-lb validate`: every cluster in exactly one rollout step,
each finding located at the field that is wrong."""

from __future__ import annotations

import json
import textwrap

from gitops_lb.cli import main

HEAD = """\
apiVersion: gitops-lb.io/v1alpha1
kind: Site
metadata:
  name: s
spec:
  platform: metallb
  argocd:
    repoURL: https://git.example.com/lb.git
    layout: {layout}
    rollout:
{rollout}
  clusters:
    - name: a
      server: https://10.0.0.1:6443
      labels: {{ring: one}}
    - name: b
      server: https://10.0.0.2:6443
"""


def validate(tmp_path, capsys, rollout: str, layout: str = "applicationset"):
    path = tmp_path / "site.yaml"
    path.write_text(HEAD.format(layout=layout, rollout=textwrap.indent(rollout, "      ")))
    status = main(["validate", str(path), "--format", "json"])
    found = json.loads(capsys.readouterr().out)["diagnostics"]
    mine = [d for d in found if d["rule"] == "site-argocd-rollout"]
    return status, [(d["line"], d["column"], d["path"], d["message"]) for d in mine], mine


def test_a_valid_rollout_has_no_finding(tmp_path, capsys):
    rollout = "- clusters: [b]\n  maxUpdate: 1\n- matchLabels: {ring: one}\n  maxUpdate: 50%\n"
    status, found, _ = validate(tmp_path, capsys, rollout)
    assert found == [] and status == 0


def test_unknown_cluster_is_located_at_its_name(tmp_path, capsys):
    status, found, _ = validate(tmp_path, capsys, "- clusters: [a, zz]\n")
    assert status == 1
    assert found == [
        (
            11,
            23,
            "spec.argocd.rollout[0].clusters[1]",
            "rollout step 1 names cluster 'zz', which site 's' does not have (known: a, b)",
        )
    ]


def test_a_cluster_in_two_steps_names_the_first(tmp_path, capsys):
    _, found, raw = validate(tmp_path, capsys, "- clusters: [a]\n- matchLabels: {ring: one}\n")
    assert [(f[0], f[2]) for f in found] == [(12, "spec.argocd.rollout[1].matchLabels")]
    assert "is in rollout step 1 already" in found[0][3]
    assert raw[0]["related"][0]["line"] == 11


def test_a_cluster_named_twice(tmp_path, capsys):
    _, found, _ = validate(tmp_path, capsys, "- clusters: [b]\n- clusters: [a, b]\n")
    assert [f[2] for f in found] == ["spec.argocd.rollout[1].clusters[1]"]


def test_a_step_must_select_one_way(tmp_path, capsys):
    _, found, _ = validate(tmp_path, capsys, "- clusters: [a]\n  matchLabels: {ring: one}\n- {}\n")
    assert [(f[0], f[2]) for f in found] == [
        (11, "spec.argocd.rollout[0]"),
        (13, "spec.argocd.rollout[1]"),
    ]
    assert "not both" in found[0][3] and "neither" in found[1][3]


def test_a_label_step_that_selects_nothing(tmp_path, capsys):
    _, found, _ = validate(tmp_path, capsys, "- matchLabels: {ring: two}\n")
    assert [f[2] for f in found] == ["spec.argocd.rollout[0].matchLabels"]
    assert "selects no cluster" in found[0][3] and "ring=two" in found[0][3]


def test_clusters_in_no_step_are_not_an_error(tmp_path, capsys):
    status, found, _ = validate(tmp_path, capsys, "- clusters: [b]\n")
    assert found == [] and status == 0


def test_rollout_under_app_of_apps_is_reported(tmp_path, capsys):
    status, found, _ = validate(tmp_path, capsys, "- clusters: [a]\n", layout="app-of-apps")
    assert status == 1
    assert [(f[0], f[2]) for f in found] == [(11, "spec.argocd.rollout")]
    assert "needs argocd.layout: applicationset" in found[0][3]


def test_a_bad_max_update_is_a_schema_error(tmp_path, capsys):
    path = tmp_path / "site.yaml"
    rollout = textwrap.indent("- clusters: [a]\n  maxUpdate: half\n", "      ")
    path.write_text(HEAD.format(layout="applicationset", rollout=rollout))
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "site.yaml:12:" in out and "maxUpdate" in out
