"""schemas/report.schema.json is the contract of `--format json` (docs/formats.md): every JSON
report of every command, clean, with findings and failing, validates against it, names its
schemaVersion and its kind; the schema itself is a valid Draft 2020-12 schema."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from gitops_lb import __version__
from gitops_lb.cli import build_parser, main
from gitops_lb.report import REPORT_KINDS, SCHEMA_VERSION
from tests.gitrepo import GitRepo
from tests.helpers import CLEAN_MANIFEST
from tests.reconcile.fleet_helpers import stage_in_sync, write_live_dir
from tests.reconcile.scenario import CLUSTER, SITE, drifted, dump, in_sync

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "schemas" / "report.schema.json"
EXAMPLES = ROOT / "examples"
SITES = str(EXAMPLES / "sites")
GUIDE = str(EXAMPLES / "manifests" / "seed-guide.yaml")

# a suppressed finding and one that is not, so `suppressed` and `fix` both show
SUPPRESSED = CLEAN_MANIFEST.replace(
    "[10.0.0.0/24]", "[10.0.0.0/24, 10.0.0.5/32]  # gitops-lb: disable=pool-overlap"
).replace("  avoidBuggyIPs: true\n", "")


def bad_site(tmp: Path) -> str:
    """shared-l2 with an unknown field and an address that is not one (validate errors)."""
    text = (EXAMPLES / "sites" / "shared-l2.yaml").read_text(encoding="utf-8")
    text = text.replace("version: v0.15.1", "version: v0.15.1\n  bogusField: 1", 1)
    text = text.replace("address: 192.168.20.11}", "address: 192.168.20.300}", 1)
    path = tmp / "bad-site.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def write(tmp: Path, name: str, text: str | bytes) -> str:
    path = tmp / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def scenario_site(tmp: Path) -> str:
    return write(tmp, "site.yaml", SITE)


def diff_repo(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = GitRepo(tmp / "repo")
    repo.write("sites/dc1.yaml", SITE)
    repo.commit("first")
    changed = SITE.replace("192.168.20.0/28", "192.168.20.0/29")
    repo.write("sites/dc1.yaml", changed)
    repo.write("sites/dc2.yaml", SITE.replace("name: dc1", "name: dc2"))
    monkeypatch.chdir(repo.root)


Setup = Callable[[Path, pytest.MonkeyPatch], tuple[list[str], int]]


def _lint_findings(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[list[str], int]:
    return ["lint", GUIDE], 1


def _lint_clean(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[list[str], int]:
    return ["lint", write(tmp, "ok.yaml", CLEAN_MANIFEST)], 0


def _lint_suppressed(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[list[str], int]:
    return ["lint", write(tmp, "s.yaml", SUPPRESSED)], 0


def _lint_unreadable(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[list[str], int]:
    return [
        "lint",
        write(tmp, "latin1.yaml", b"kind: Service\nname: caf\xe9\n"),
        str(tmp / "nope"),
    ], 3


def _validate_clean(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[list[str], int]:
    return ["validate", SITES], 0


def _validate_errors(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[list[str], int]:
    return ["validate", bad_site(tmp)], 1


def _validate_missing(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[list[str], int]:
    return ["validate", str(tmp / "missing.yaml")], 3


def _compile_clean(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[list[str], int]:
    return ["compile", SITES, "-o", str(tmp / "out")], 0


def _compile_errors(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[list[str], int]:
    return ["compile", bad_site(tmp), "-o", str(tmp / "out")], 1


def _plan(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[list[str], int]:
    return ["plan", SITES], 0


def _plan_errors(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[list[str], int]:
    return ["plan", bad_site(tmp)], 1


def _reconcile_in_sync(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[list[str], int]:
    live = write(tmp, "live.yaml", dump(in_sync()))
    return ["reconcile", scenario_site(tmp), "--cluster", CLUSTER, "--live", live], 0


def _reconcile_drift(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[list[str], int]:
    objects, _ = drifted("missing", "changed", "unmanaged", "config-error")
    live = write(tmp, "live.yaml", dump(objects))
    return ["reconcile", scenario_site(tmp), "--cluster", CLUSTER, "--live", live], 1


def _reconcile_invalid(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[list[str], int]:
    live = write(tmp, "live.yaml", dump(in_sync()))
    site = write(tmp, "site.yaml", SITE.replace("192.168.10.64/27", "192.168.10.64/33"))
    return ["reconcile", site, "--cluster", CLUSTER, "--live", live], 1


def _reconcile_fleet(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[list[str], int]:
    objects, _ = drifted("missing")
    live = write_live_dir(tmp, {"dc1/prod": objects, "dc1/stage": stage_in_sync()})
    return ["reconcile", scenario_site(tmp), "--live-dir", str(live)], 1


def _reconcile_fleet_unreachable(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[list[str], int]:
    live = write_live_dir(tmp, {"dc1/prod": in_sync(), "dc1/stage": None})
    return ["reconcile", scenario_site(tmp), "--live-dir", str(live)], 3


def _diff(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[list[str], int]:
    diff_repo(tmp, mp)
    return ["diff", "--base", "HEAD"], 0


def _diff_none(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[list[str], int]:
    diff_repo(tmp, mp)
    return ["diff", "--base", "HEAD", "--head", "HEAD"], 0


def _status(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[list[str], int]:
    live = write_live_dir(tmp, {"dc1/prod": in_sync(), "dc1/stage": stage_in_sync()})
    return ["status", scenario_site(tmp), "--live-dir", str(live)], 0


def _status_unreadable(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[list[str], int]:
    live = write_live_dir(tmp, {"dc1/prod": in_sync(), "dc1/stage": None})
    return ["status", scenario_site(tmp), "--live-dir", str(live)], 3


def _status_errors(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[list[str], int]:
    return ["status", bad_site(tmp), "--live-dir", str(tmp)], 1


def _free(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[list[str], int]:
    return ["free", SITES], 0


def _free_network(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[list[str], int]:
    return ["free", SITES, "--network", "vlan20", "--size", "30", "--count", "3"], 0


def _free_errors(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[list[str], int]:
    return ["free", bad_site(tmp)], 1


# name -> (the report kind printed, setup)
CASES: dict[str, tuple[str, Setup]] = {
    "lint-findings": ("findings", _lint_findings),
    "lint-clean": ("findings", _lint_clean),
    "lint-suppressed": ("findings", _lint_suppressed),
    "lint-unreadable": ("findings", _lint_unreadable),
    "validate-clean": ("findings", _validate_clean),
    "validate-errors": ("findings", _validate_errors),
    "validate-missing": ("findings", _validate_missing),
    "compile-clean": ("findings", _compile_clean),
    "compile-errors": ("findings", _compile_errors),
    "plan": ("plan", _plan),
    "plan-errors": ("findings", _plan_errors),
    "reconcile-in-sync": ("reconcile", _reconcile_in_sync),
    "reconcile-drift": ("reconcile", _reconcile_drift),
    "reconcile-invalid": ("reconcile", _reconcile_invalid),
    "reconcile-fleet": ("reconcile-fleet", _reconcile_fleet),
    "reconcile-fleet-unreachable": ("reconcile-fleet", _reconcile_fleet_unreachable),
    "diff": ("diff", _diff),
    "diff-none": ("diff", _diff_none),
    "status": ("status", _status),
    "status-unreadable": ("status", _status_unreadable),
    "status-errors": ("findings", _status_errors),
    "free": ("free", _free),
    "free-network": ("free", _free_network),
    "free-errors": ("findings", _free_errors),
}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return doc


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def run_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, Any, str]:
    code = main([*argv, "--format", "json"])
    out, err = capsys.readouterr()
    assert out.endswith("}\n"), (out, err)
    return code, json.loads(out), err


def test_the_schema_is_a_valid_draft_2020_12_schema(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schemaVersion"]["const"] == SCHEMA_VERSION
    # published with each release, at the tag of the version that wrote it
    assert schema["$id"] == (
        "https://raw.githubusercontent.com/gitops-lb/gitops-lb/"
        f"v{__version__}/schemas/report.schema.json"
    )


def test_the_schema_has_one_branch_per_report_kind(schema):
    kinds = [branch["properties"]["report"]["const"] for branch in schema["oneOf"]]
    assert sorted(kinds) == sorted(REPORT_KINDS)


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_json_report_validates(name, tmp_path, monkeypatch, capsys, validator):
    kind, setup = CASES[name]
    monkeypatch.chdir(tmp_path)
    argv, expected = setup(tmp_path, monkeypatch)
    code, doc, err = run_json(argv, capsys)
    assert code == expected, (doc, err)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert [f"{list(e.absolute_path)}: {e.message}" for e in errors] == []
    assert doc["schemaVersion"] == SCHEMA_VERSION
    assert doc["report"] == kind
    assert doc["tool"] == "gitops-lb"


def test_the_cases_find_something_where_they_should(tmp_path, monkeypatch, capsys):
    """The error cases are real: findings, differences, unreadable clusters."""
    monkeypatch.chdir(tmp_path)
    argv, _ = _lint_findings(tmp_path, monkeypatch)
    _, doc, _ = run_json(argv, capsys)
    assert doc["summary"]["errors"] == 3
    assert any(d["fix"] is not None for d in doc["diagnostics"])
    argv, _ = _lint_suppressed(tmp_path, monkeypatch)
    _, doc, _ = run_json(argv, capsys)
    assert ("pool-overlap", True) in {(d["rule"], d["suppressed"]) for d in doc["diagnostics"]}
    argv, _ = _reconcile_drift(tmp_path, monkeypatch)
    _, doc, _ = run_json(argv, capsys)
    assert {d["type"] for d in doc["differences"]} >= {"missing", "changed", "unmanaged"}
    argv, _ = _reconcile_fleet_unreachable(tmp_path, monkeypatch)
    _, doc, _ = run_json(argv, capsys)
    assert [c["unreachable"] is not None for c in doc["clusters"]] == [False, True]


def test_the_schema_rejects_what_is_not_a_report(validator, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _, doc, _ = run_json(["validate", bad_site(tmp_path)], capsys)
    assert validator.is_valid(doc)
    for broken in (
        {**doc, "schemaVersion": "2"},
        {**doc, "report": "plan"},
        {k: v for k, v in doc.items() if k != "summary"},
        {**doc, "diagnostics": [{**doc["diagnostics"][0], "line": "12"}]},
        {**doc, "diagnostics": [{**doc["diagnostics"][0], "severity": "fatal"}]},
    ):
        assert not validator.is_valid(broken)


def json_commands() -> set[str]:
    """The commands whose --format offers json."""
    parser = build_parser()
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    out = set()
    for name, p in sub.choices.items():
        for action in p._actions:
            if "--format" in action.option_strings and "json" in (action.choices or ()):
                out.add(name)
    return out


def test_every_command_with_json_output_is_covered():
    assert json_commands() == {name.split("-")[0] for name in CASES}
