"""`gitops-lb import` is safe by default, through the real CLI, on real-looking dumps.

What the user sees: the site spec says where it needs a decision (comments), `validate` and
`compile` refuse the repoURL marker until it is replaced, an ACP cluster stays on ACP's
MetalLB, the applications keep their Services, nothing the cluster assigned is copied, and -o
makes the folders it needs without ever leaving half a file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from tests.importer.dumps import ACP_PLUGINS_DUMP, METALLB_DUMP, SERVICES_DUMP
from tests.robustness.cli import Run, cli

REPO_URL = "https://git.example.org/platform/lb.git"


@pytest.fixture
def dumps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for var in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(var, raising=False)
    (tmp_path / "live").mkdir()
    (tmp_path / "live" / "metallb.yaml").write_text(METALLB_DUMP)
    (tmp_path / "live" / "services.yaml").write_text(SERVICES_DUMP)
    return tmp_path


def site_of(path: str | Path) -> dict:
    doc = yaml.safe_load(Path(path).read_text())
    assert isinstance(doc, dict)
    return doc


def line_of(path: str | Path, text: str) -> int:
    lines = Path(path).read_text().splitlines()
    (line,) = [i for i, ln in enumerate(lines, start=1) if text in ln]
    return line


def findings(run: Run) -> list[tuple[str, str, int]]:
    return [(d["rule"], d["file"], d["line"]) for d in run.diagnostics()]


# --- repoURL ---------------------------------------------------------------------------------


def test_without_repo_url_validate_and_compile_refuse_the_marker(dumps, capsys):
    run = cli(capsys, "import", "live/", "--cluster", "dc1/prod-a", "-o", "sites/dc1.yaml")
    assert run.status == 0
    # the user is told right away, and the file explains the marker where it stands
    assert "set spec.argocd.repoURL" in run.err
    text = Path("sites/dc1.yaml").read_text()
    assert "repoURL: REPLACE-ME-git-repository-url" in text
    assert "# REPLACE the marker below with the URL of the Git repository" in text
    # validate: exactly one finding, an error at the marker's line, saying how to set it
    run = cli(capsys, "validate", "sites/", "--format", "json")
    assert run.status == 1
    assert findings(run) == [
        ("site-repo-url-unset", "sites/dc1.yaml", line_of("sites/dc1.yaml", "repoURL:"))
    ]
    (d,) = run.diagnostics()
    assert d["severity"] == "error" and d["path"] == "spec.argocd.repoURL"
    assert "--repo-url URL" in d["message"]
    # compile writes nothing
    run = cli(capsys, "compile", "sites/", "-o", "deploy")
    assert run.status == 1 and "site-repo-url-unset" in run.out
    assert not Path("deploy").exists()


def test_with_repo_url_the_site_spec_validates_and_compiles(dumps, capsys):
    args = ["import", "live/", "--cluster", "dc1/prod-a", "--repo-url", REPO_URL]
    run = cli(capsys, *args, "-o", "sites/dc1.yaml")
    assert run.status == 0 and "repoURL" not in run.err
    assert site_of("sites/dc1.yaml")["spec"]["argocd"] == {"repoURL": REPO_URL}
    run = cli(capsys, "validate", "sites/", "--format", "json")
    assert (run.status, run.diagnostics()) == (0, [])
    assert cli(capsys, "compile", "sites/", "-o", "deploy").status == 0
    assert Path("deploy/dc1/prod-a/kustomization.yaml").is_file()


def test_the_marker_names_no_reachable_repository():
    from gitops_lb.rules.site_repo_url_unset import MARKER

    assert "://" not in MARKER and "@" not in MARKER  # never fetched, never a credential


def test_an_empty_repo_url_is_a_usage_error(dumps, capsys):
    run = cli(capsys, "import", "live/", "--repo-url", "")
    assert (run.status, run.out) == (2, "")
    assert "--repo-url is empty" in run.err


# --- platform ---------------------------------------------------------------------------------


def test_a_dump_with_acps_metallb_plugin_gives_platform_acp(dumps, capsys):
    Path("live/plugins.yaml").write_text(ACP_PLUGINS_DUMP)
    run = cli(capsys, "import", "live/", "--repo-url", REPO_URL, "-o", "acp.yaml")
    assert run.status == 0
    assert site_of("acp.yaml")["spec"]["platform"] == "acp"
    line = line_of("acp.yaml", "platform:")
    written = Path("acp.yaml").read_text().splitlines()[line - 1]
    assert "ACP's MetalLB plugin installs MetalLB (the plugin object is at live/plugins.yaml:" in (
        written
    )
    # compiled: the plugin instance, and no second MetalLB from the Helm chart
    assert cli(capsys, "compile", "acp.yaml", "-o", "deploy").status == 0
    compiled = "\n".join(p.read_text() for p in sorted(Path("deploy").rglob("*.yaml")))
    assert "kind: ClusterPluginInstance" in compiled
    assert "chart: metallb" not in compiled


def test_platform_given_on_the_command_line_wins_with_a_warning(dumps, capsys):
    Path("live/plugins.yaml").write_text(ACP_PLUGINS_DUMP)
    run = cli(capsys, "import", "live/", "--platform", "metallb", "--repo-url", REPO_URL)
    assert run.status == 0
    assert yaml.safe_load(run.out)["spec"]["platform"] == "metallb"
    assert "two MetalLB installations would fight over the addresses" in run.err


def test_only_the_metallb_plugin_counts(dumps, capsys):
    multus_only = ACP_PLUGINS_DUMP[: ACP_PLUGINS_DUMP.index("- apiVersion", 40)]
    assert "pluginName: multus" in multus_only and "pluginName: metallb" not in multus_only
    Path("live/plugins.yaml").write_text(multus_only)
    run = cli(capsys, "import", "live/", "--repo-url", REPO_URL)
    assert run.status == 0
    assert yaml.safe_load(run.out)["spec"]["platform"] == "metallb"  # multus only


# --- Services ----------------------------------------------------------------------------------


def test_services_are_reserved_by_default(dumps, capsys):
    run = cli(capsys, "import", "live/", "--repo-url", REPO_URL, "-o", "site.yaml")
    assert run.status == 0
    (cluster,) = site_of("site.yaml")["spec"]["clusters"]
    # what each Service requests, nothing it was given: the applications keep their Services
    assert cluster["services"] == [
        {"name": "dns", "namespace": "infra", "ips": ["192.168.10.70"], "emit": False},
        {"name": "shop", "namespace": "shop", "emit": False},
    ]
    text = Path("site.yaml").read_text()
    assert "# Reservations (emit: false): these Services stay with their applications;" in text
    assert "- name: shop  # holds 192.168.10.65 now (assigned by MetalLB, not requested)" in text
    for assigned in ("nodePort", "clusterIP", "healthCheckNodePort", "10.96.14.7", "31877"):
        assert assigned not in text
    # compile writes no Service: they are not gitops-lb's
    assert cli(capsys, "compile", "site.yaml", "-o", "deploy").status == 0
    compiled = "\n".join(p.read_text() for p in sorted(Path("deploy").rglob("*.yaml")))
    assert "kind: Service\n" not in compiled


def test_services_manage_writes_them_without_node_ports(dumps, capsys):
    run = cli(capsys, "import", "live/", "--services", "manage", "--repo-url", REPO_URL)
    assert run.status == 0
    services = {s["name"]: s for s in yaml.safe_load(run.out)["spec"]["clusters"][0]["services"]}
    assert services["shop"]["ports"] == [{"name": "https", "port": 443, "targetPort": 8443}]
    assert services["dns"]["ports"] == [
        {"name": "dns-udp", "port": 53, "targetPort": 53, "protocol": "UDP"}
    ]
    assert "emit" not in services["shop"]
    for assigned in ("nodePort", "clusterIP", "healthCheckNodePort", "status"):
        assert assigned not in run.out
    Path("site.yaml").write_text(run.out)
    assert cli(capsys, "compile", "site.yaml", "-o", "deploy").status == 0
    compiled = "\n".join(p.read_text() for p in sorted(Path("deploy").rglob("*.yaml")))
    assert "kind: Service" in compiled and "nodePort" not in compiled


def test_services_skip_leaves_them_out(dumps, capsys):
    run = cli(capsys, "import", "live/", "--services", "skip", "--repo-url", REPO_URL)
    assert run.status == 0
    assert "services" not in yaml.safe_load(run.out)["spec"]["clusters"][0]


def test_the_command_line_offers_the_modes_the_importer_has():
    from gitops_lb.cli import import_cmd
    from gitops_lb.importing import core

    assert import_cmd.SERVICE_MODES == core.SERVICE_MODES


def test_services_takes_only_the_documented_modes(dumps, capsys):
    run = cli(capsys, "import", "live/", "--services", "emit")
    assert run.status == 2
    assert "invalid choice: 'emit' (choose from 'reserve', 'manage', 'skip')" in run.err


# --- -o -----------------------------------------------------------------------------------------


def test_output_creates_missing_folders(dumps, capsys):
    run = cli(capsys, "import", "live/", "--repo-url", REPO_URL, "-o", "a/b/c/site.yaml")
    assert run.status == 0
    assert site_of("a/b/c/site.yaml")["kind"] == "Site"
    assert sorted(os.listdir("a/b/c")) == ["site.yaml"]  # no temporary file left


def test_output_that_cannot_be_written_leaves_nothing(dumps, capsys):
    Path("blocker").write_text("a file where a folder would go\n")
    run = cli(capsys, "import", "live/", "-o", "blocker/sites/site.yaml")
    assert run.status == 3
    assert run.out == "" and "cannot write blocker/sites/site.yaml" in run.err
    assert Path("blocker").read_text() == "a file where a folder would go\n"
    Path("top").mkdir()
    Path("top/deeper").write_text("")
    run = cli(capsys, "import", "live/", "-o", "top/new/deeper/x/site.yaml")
    assert run.status == 0  # a folder that can be made is made
    run = cli(capsys, "import", "live/", "-o", "top/deeper/x/site.yaml")
    assert run.status == 3
    assert sorted(os.listdir("top")) == ["deeper", "new"]  # nothing made, nothing left


def test_a_failed_import_keeps_the_existing_file(dumps, capsys):
    Path("site.yaml").write_text("# the site spec as it was\n")
    Path("live/broken.yaml").write_text(
        METALLB_DUMP.replace("192.168.10.64/27", "192.168.10.64/33")
    )
    run = cli(capsys, "import", "live/", "--force", "-o", "site.yaml")
    assert run.status == 1
    assert "nothing imported" in run.err and "[pool-invalid-address]" in run.err
    assert Path("site.yaml").read_text() == "# the site spec as it was\n"


# --- ruamel.yaml output ---------------------------------------------------------------------


def test_output_is_the_same_bytes_every_run_and_reads_back_as_written(dumps, capsys):
    Path("live/plugins.yaml").write_text(ACP_PLUGINS_DUMP)
    first = cli(capsys, "import", "live/", "--cluster", "dc1/a").out
    second = cli(capsys, "import", "live/", "--cluster", "dc1/a").out
    assert first == second and first.endswith("\n") and "\r" not in first
    # the editor's schema line, then import's own header
    assert first.split("\n")[1].startswith("# Site spec written by `gitops-lb import`.")
    # key order as a site spec is read: apiVersion, kind, metadata, spec
    assert list(yaml.safe_load(first)) == ["apiVersion", "kind", "metadata", "spec"]


def test_strings_yaml_1_1_would_misread_are_quoted(dumps, capsys):
    """A Service label `on` (YAML 1.1 reads it as true) stays a string in the site spec."""
    text = SERVICES_DUMP.replace(
        "    selector:\n      app: shop", "    selector:\n      app: shop\n      canary: 'on'"
    )
    Path("live/services.yaml").write_text(text)
    run = cli(capsys, "import", "live/", "--services", "manage", "--repo-url", REPO_URL)
    assert run.status == 0
    assert "canary: 'on'" in run.out
    Path("site.yaml").write_text(run.out)
    run = cli(capsys, "validate", "site.yaml", "--format", "json")
    assert (run.status, run.diagnostics()) == (0, [])


def test_json_of_validate_is_what_ci_reads(dumps, capsys):
    cli(capsys, "import", "live/", "-o", "site.yaml")
    run = cli(capsys, "validate", "site.yaml", "--format", "sarif")
    assert run.status == 1
    results = json.loads(run.out)["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["site-repo-url-unset"]
