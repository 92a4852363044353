"""The configuration file .gitops-lb.yaml (docs/config.md), driven through the real CLI in a
temporary Git repository holding MetalLB manifests.

Each test says what the user sees on the terminal.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from gitops_lb import projectconfig
from gitops_lb.cli import main
from tests.gitrepo import GitRepo

ROOT = Path(__file__).resolve().parents[2]

# a whole /24 announced in L2: a warning (pool-subnet-edges)
POOL = """\
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: web, namespace: metallb-system}
spec:
  addresses: [192.168.10.0/24]
"""
L2 = """\
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: web, namespace: metallb-system}
spec:
  ipAddressPools: [web]
"""
# announced by nothing: an error (pool-not-advertised)
LEGACY_POOL = """\
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: old, namespace: metallb-system}
spec:
  addresses: [10.0.0.10-10.0.0.20]
"""


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository with manifests/ (one pool, its L2 advertisement, a legacy pool announced
    by nothing) and the current folder set to manifests/deep/ below it."""
    r = GitRepo(tmp_path / "repo")
    r.write("manifests/pool.yaml", POOL)
    r.write("manifests/l2.yaml", L2)
    r.write("manifests/legacy/old.yaml", LEGACY_POOL)
    (r.root / "manifests" / "deep").mkdir()
    monkeypatch.chdir(r.root / "manifests" / "deep")
    return r


def lint(capsys, *args: str) -> tuple[int, str, str]:
    status = main(["lint", *args])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_without_a_config_file_every_rule_runs(repo, capsys):
    # the user sees the error of the unannounced pool and the warning on the /24
    status, out, _ = lint(capsys, "..")
    assert status == 1
    assert "[pool-not-advertised]" in out and "[pool-subnet-edges]" in out


def test_the_file_at_the_repository_root_is_found_from_a_subfolder(repo, capsys):
    # `disable` at the root, run from manifests/deep/: the error is gone, exit status 0
    repo.write(".gitops-lb.yaml", "disable: [pool-not-advertised]\n")
    status, out, _ = lint(capsys, "..")
    assert status == 0, out
    assert "pool-not-advertised" not in out and "[pool-subnet-edges]" in out


def test_the_nearest_file_wins_and_the_lookup_stops_at_the_repository_root(repo, capsys, tmp_path):
    # a file above the repository is never read; one in manifests/ is nearer than the root's
    (tmp_path / ".gitops-lb.yaml").write_text("bogus: 1\n")
    repo.write(".gitops-lb.yaml", "disable: [pool-subnet-edges]\n")
    repo.write("manifests/.gitops-lb.yaml", "disable: [pool-not-advertised]\n")
    status, out, _ = lint(capsys, "..")
    assert status == 0, out
    assert "[pool-subnet-edges]" in out  # the root's file was not read either


def test_outside_a_repository_only_the_current_folder_is_looked_at(tmp_path, monkeypatch):
    (tmp_path / ".gitops-lb.yaml").write_text("disable: [pool-not-advertised]\n")
    (tmp_path / "sub").mkdir()
    assert projectconfig.find(tmp_path / "sub") is None
    assert projectconfig.find(tmp_path) == (tmp_path / ".gitops-lb.yaml").resolve()


def test_exclude_leaves_out_files_relative_to_the_config_file(repo, capsys):
    # manifests/legacy/ is not read: its pool's error is not reported, 2 files are checked
    repo.write(".gitops-lb.yaml", "exclude: [manifests/legacy]\n")
    status, out, _ = lint(capsys, "..")
    assert status == 0, out
    assert "old.yaml" not in out and "in 2 files" in out


def test_exclude_globs(repo, capsys):
    repo.write("manifests/vendor/broken.yaml", "kind: [\n")
    repo.write(".gitops-lb.yaml", "exclude: ['**/vendor/*.yaml', 'manifests/legacy/**']\n")
    status, out, _ = lint(capsys, "..")
    assert status == 0, out
    assert "broken.yaml" not in out and "old.yaml" not in out


def test_the_config_file_itself_is_never_linted(repo, capsys):
    # a folder given to lint holds the config file: it is not read as a manifest
    repo.write("manifests/.gitops-lb.yaml", "disable: [pool-not-advertised]\n")
    status, out, _ = lint(capsys, "..")
    assert status == 0, out
    assert ".gitops-lb.yaml" not in out and "in 3 files" in out


def test_per_file_disable_silences_a_rule_in_matching_files_only(repo, capsys):
    repo.write(
        "manifests/other/old.yaml",
        LEGACY_POOL.replace("name: old", "name: other").replace("10.0.0.", "10.0.1."),
    )
    repo.write(
        ".gitops-lb.yaml", "per-file-disable:\n  manifests/legacy/*.yaml: [pool-not-advertised]\n"
    )
    status, out, _ = lint(capsys, "..")
    # the user still sees the error in other/old.yaml, not the one in legacy/old.yaml
    assert status == 1
    assert "other/old.yaml" in out and "legacy/old.yaml" not in out


def test_severity_overrides_turn_a_warning_into_an_error_and_back(repo, capsys):
    repo.write(
        ".gitops-lb.yaml",
        "severity:\n  pool-subnet-edges: error\n  pool-not-advertised: warning\n",
    )
    status, out, _ = lint(capsys, "..")
    assert status == 1  # the /24 is now an error
    assert "error: pool 'web'" in out and "warning: pool 'old'" in out
    assert "1 error, 1 warning" in out


def test_an_unknown_key_is_a_usage_error_naming_it_and_its_line(repo, capsys):
    repo.write(".gitops-lb.yaml", "disable: []\nexlcude: [vendor]\n")
    status, out, err = lint(capsys, "..")
    assert status == 2 and out == ""
    path = (repo.root / ".gitops-lb.yaml").resolve()
    assert f"{path}:2:1: unknown key `exlcude`" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("disable: [pool-not-advertised, pool-unadvertised]\n", "1:32"),
        ("per-file-disable:\n  '*.yaml': [no-such-rule]\n", "2:14"),
        ("severity:\n  no-such-rule: error\n", "2:3"),
    ],
)
def test_an_unknown_rule_id_is_a_usage_error_naming_it_and_its_line(repo, capsys, text, where):
    repo.write(".gitops-lb.yaml", text)
    status, out, err = lint(capsys, "..")
    assert status == 2 and out == ""
    assert f".gitops-lb.yaml:{where}: unknown rule " in err
    assert "pool-unadvertised" in err or "no-such-rule" in err


def test_a_wrong_value_is_a_usage_error_with_its_line(repo, capsys):
    repo.write(".gitops-lb.yaml", "severity:\n  pool-subnet-edges: fatal\n")
    status, _, err = lint(capsys, "..")
    assert status == 2
    assert ".gitops-lb.yaml:2:22: the severity of pool-subnet-edges is error or warning" in err


def test_config_names_another_file_and_no_config_ignores_it(repo, capsys):
    repo.write(".gitops-lb.yaml", "bogus: 1\n")  # would be a usage error if read
    repo.write(
        "ci/strict.yaml", "severity: {pool-subnet-edges: error}\ndisable: [pool-not-advertised]\n"
    )
    status, out, _ = lint(capsys, "--config", str(repo.root / "ci" / "strict.yaml"), "..")
    assert status == 1 and "error: pool 'web'" in out and "pool-not-advertised" not in out

    status, out, _ = lint(capsys, "--no-config", "..")
    assert status == 1 and "[pool-not-advertised]" in out and "warning: pool 'web'" in out

    status, _, err = lint(capsys, "--config", "missing.yaml", "..")
    assert status == 2 and "missing.yaml: no such configuration file" in err


def test_flags_win_over_the_file(repo, capsys):
    # the file says MetalLB runs in lb-system; --namespace metallb-system wins
    repo.write(".gitops-lb.yaml", "namespace: lb-system\ndisable: [pool-not-advertised]\n")
    status, out, _ = lint(capsys, "..")
    assert status == 1 and "[object-wrong-namespace]" in out
    status, out, _ = lint(capsys, "--namespace", "metallb-system", "..")
    assert status == 0 and "object-wrong-namespace" not in out


def test_metallb_version_and_bgp_mode_defaults_come_from_the_file(repo, capsys):
    # FRR mode needs MetalLB 0.14 or later: the file's pair is checked as the flags are
    repo.write(".gitops-lb.yaml", "metallb-version: v0.13.12\nbgp-mode: frr-k8s\n")
    status, _, err = lint(capsys, "..")
    assert status == 2 and "--bgp-mode frr-k8s needs MetalLB" in err
    status, _, err = lint(capsys, "--bgp-mode", "native", "..")
    assert status in (0, 1), err


def test_the_committed_json_schema_accepts_what_the_loader_accepts():
    schema = json.loads((ROOT / "schemas" / "config.schema.json").read_text())
    assert set(schema["properties"]) == set(projectconfig.KEYS)
    good = yaml.safe_load(
        "metallb-version: v0.14.9\nbgp-mode: frr\nnamespace: lb\ndisable: [pool-empty]\n"
        "exclude: [vendor]\nper-file-disable: {'a/*.yaml': [pool-empty]}\n"
        "severity: {pool-empty: warning}\n"
    )
    jsonschema.validate(good, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"exlcude": []}, schema)


def test_validate_and_compile_use_the_severity_and_per_file_disable_of_the_file(
    tmp_path, monkeypatch, capsys
):
    # a site spec whose pool takes the gateway: validate fails; with the file turning
    # site-pool-reserved into a warning and silencing the Service check in sites/, the user
    # sees one warning, exit status 0, and compile writes its tree
    repo = GitRepo(tmp_path / "repo")
    site = (ROOT / "examples" / "sites" / "acp-seed.yaml").read_text()
    repo.write("sites/a.yaml", site.replace("[192.168.10.64/27]", "[192.168.10.0/27]"))
    monkeypatch.chdir(repo.root)
    assert main(["validate", "sites/"]) == 1
    capsys.readouterr()
    repo.write(
        ".gitops-lb.yaml",
        "severity: {site-pool-reserved: warning}\n"
        "per-file-disable: {'sites/*.yaml': [service-ip-outside-pool]}\n",
    )
    assert main(["validate", "sites/"]) == 0
    out = capsys.readouterr().out
    assert "warning:" in out and "[site-pool-reserved]" in out
    assert "service-ip-outside-pool" not in out
    assert main(["compile", "sites/", "-o", "deploy/"]) == 0
    assert (repo.root / "deploy").is_dir()


@pytest.mark.parametrize("doc", ["README.md", "docs/config.md"])
def test_the_documented_example_files_load(doc, tmp_path):
    import re

    text = (ROOT / doc).read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if "severity:" in b)
    path = tmp_path / ".gitops-lb.yaml"
    path.write_text(block, encoding="utf-8")
    cfg = projectconfig.load(path)
    assert cfg.severity and cfg.disable


def test_reconcile_keeps_the_site_specs_version_and_namespace(repo):
    """reconcile without --metallb-version or --namespace uses what the site spec says; the
    file's defaults (meant for lint and import) do not override it, but its `disable` holds."""
    import argparse

    from gitops_lb.cli import apply_config

    repo.write(
        ".gitops-lb.yaml",
        "metallb-version: v0.14.9\nnamespace: lb\ndisable: [pool-not-advertised]\n",
    )
    args = argparse.Namespace(
        command="reconcile",
        config=None,
        no_config=False,
        metallb_version=None,
        namespace=None,
        disable=[],
    )
    apply_config(args)
    assert (args.metallb_version, args.namespace) == (None, None)
    assert args.disable == ["pool-not-advertised"]
    lint_args = argparse.Namespace(
        command="lint",
        namespace_defaults=True,
        config=None,
        no_config=False,
        metallb_version=None,
        namespace=None,
        disable=[],
    )
    apply_config(lint_args)
    assert str(lint_args.metallb_version).lstrip("v") == "0.14.9"
    assert lint_args.namespace == "lb"
