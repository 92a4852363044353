"""The GitHub Action (action.yml): its structure, and its steps' scripts run in bash as the
runner runs them (`bash --noprofile --norc -eo pipefail`), with the GITHUB_* files and the
step's `env:` filled in from the inputs, on copies of the examples."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import gitops_lb_script
from tests.integrations.test_wheel import source_copy

ROOT = Path(__file__).resolve().parents[2]
ACTION = ROOT / "action.yml"
EXAMPLES = ROOT / "examples"
EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
BASH = shutil.which("bash")
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def action() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    return doc


def step(step_id: str) -> dict[str, Any]:
    (found,) = [s for s in action()["runs"]["steps"] if s.get("id") == step_id]
    assert isinstance(found, dict)
    return found


def test_action_is_a_composite_action_with_the_documented_inputs():
    doc = action()
    assert doc["runs"]["using"] == "composite"
    assert {"command", "paths", "sarif", "output", "args"} <= set(doc["inputs"])
    assert doc["inputs"]["command"]["default"] == "validate"
    for name, spec in doc["inputs"].items():
        assert spec.get("description"), name
    assert {"sarif", "exit-code"} <= set(doc["outputs"])


def test_every_expression_names_a_defined_input_or_step_output():
    doc = action()
    steps = doc["runs"]["steps"]
    ids = {s["id"] for s in steps if "id" in s}
    used_inputs = set()
    for expr in EXPR.findall(ACTION.read_text(encoding="utf-8")):
        if expr.startswith("inputs."):
            name = expr.removeprefix("inputs.")
            assert name in doc["inputs"], expr
            used_inputs.add(name)
            continue
        m = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
        assert m, f"unexpected expression {expr!r}"
        assert m[1] in ids, expr
        (script,) = [s["run"] for s in steps if s.get("id") == m[1]]
        assert f'echo "{m[2]}=' in script, f"step {m[1]} never sets output {m[2]}"
    assert used_inputs == set(doc["inputs"]), "an input that nothing reads"
    for output in doc["outputs"].values():
        assert EXPR.fullmatch(output["value"]), output


def test_scripts_read_inputs_from_the_environment_only():
    """No `${{ }}` inside a script: an input spliced into bash could run as code."""
    for s in action()["runs"]["steps"]:
        assert s["shell"] == "bash"
        assert not EXPR.search(s["run"]), s["name"]
        for value in s.get("env", {}).values():
            assert EXPR.fullmatch(value), value


def test_the_action_installs_its_own_checkout():
    script = step("install")["run"]
    assert 'pip install --quiet --disable-pip-version-check "$GITHUB_ACTION_PATH"' in script
    assert '>> "$GITHUB_PATH"' in script


# --- the scripts, run ------------------------------------------------------------------------


def step_env(s: dict[str, Any], inputs: dict[str, str]) -> dict[str, str]:
    """The step's env: with each `${{ inputs.X }}` replaced by X's value or its default."""
    defaults = {k: str(v.get("default", "")) for k, v in action()["inputs"].items()}
    values = {**defaults, **inputs}
    assert set(inputs) <= set(defaults), inputs
    return {
        key: EXPR.sub(lambda m: values[m[1].removeprefix("inputs.")], value)
        for key, value in s.get("env", {}).items()
    }


def github_files(folder: Path) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for name in ("GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_STEP_SUMMARY", "GITHUB_ENV"):
        path = folder / name.lower()
        path.write_text("")
        files[name] = str(path)
    return files


def outputs(env: dict[str, str]) -> dict[str, str]:
    lines = Path(env["GITHUB_OUTPUT"]).read_text().splitlines()
    return dict(line.split("=", 1) for line in lines)


def run_step(
    step_id: str,
    workspace: Path,
    runner: Path,
    inputs: dict[str, str],
    path: str,
    *,
    action_path: Path = ROOT,
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    assert BASH is not None
    s = step(step_id)
    runner.mkdir(parents=True, exist_ok=True)
    script = runner / f"{step_id}.sh"
    script.write_text(s["run"])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_"))}
    env.update(github_files(runner / "files"))
    env.update(
        GITHUB_ACTIONS="true",
        GITHUB_WORKSPACE=str(workspace),
        GITHUB_ACTION_PATH=str(action_path),
        RUNNER_TEMP=str(runner),
        PATH=path,
    )
    env.update(step_env(s, inputs))
    proc = subprocess.run(
        [BASH, "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    return proc, env


@pytest.fixture
def bin_dir(tmp_path):
    """`gitops-lb` on PATH as the install step leaves it: here, this checkout."""
    return gitops_lb_script(tmp_path / "bin")


@pytest.fixture
def workspace(tmp_path):
    """A repository holding site specs (sites/) and manifests (manifests/)."""
    top = tmp_path / "workspace"
    shutil.copytree(EXAMPLES / "sites", top / "sites")
    shutil.copytree(EXAMPLES / "manifests", top / "manifests")
    return top


def check(workspace, tmp_path, bin_dir, **inputs):
    path = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    return run_step("check", workspace, tmp_path / "runner", inputs, path)


def sarif_results(env, workspace):
    doc = json.loads((workspace / outputs(env)["sarif"]).read_text())
    assert doc["version"] == "2.1.0"
    assert doc["runs"][0]["tool"]["driver"]["name"] == "gitops-lb"
    results: list[dict[str, Any]] = doc["runs"][0]["results"]
    return results


pytestmark = pytest.mark.skipif(BASH is None, reason="bash is not installed")


def test_validate_of_clean_site_specs_passes_with_an_empty_report(workspace, tmp_path, bin_dir):
    proc, env = check(workspace, tmp_path, bin_dir)  # the defaults: validate sites/
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert outputs(env) == {"sarif": "gitops-lb.sarif", "exit-code": "0"}
    assert sarif_results(env, workspace) == []
    assert "::error" not in proc.stdout


def test_validate_finding_fails_the_step_with_annotations_and_sarif(workspace, tmp_path, bin_dir):
    site = workspace / "sites" / "acp-seed.yaml"
    text = site.read_text()
    assert "ips: [192.168.10.70]" in text
    site.write_text(text.replace("ips: [192.168.10.70]", "ips: [192.168.10.200]"))
    proc, env = check(
        workspace,
        tmp_path,
        bin_dir,
        paths="sites/acp-seed.yaml\nsites/shared-l2.yaml",
        sarif="reports/lb.sarif",
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert outputs(env) == {"sarif": "reports/lb.sarif", "exit-code": "1"}
    results = sarif_results(env, workspace)
    annotations = [ln for ln in proc.stdout.splitlines() if ln.startswith("::error file=")]
    assert results and len(annotations) == len([r for r in results if r["level"] == "error"])
    for result, annotation in zip(
        sorted((r for r in results if r["level"] == "error"), key=lambda r: r["ruleId"]),
        sorted(annotations, key=lambda a: a.split("title=", 1)[1]),
        strict=True,
    ):
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "sites/acp-seed.yaml"
        assert annotation.startswith("::error file=sites/acp-seed.yaml,")
        assert f"title={result['ruleId']}::" in annotation


def test_lint_of_manifests_with_extra_args(workspace, tmp_path, bin_dir):
    proc, env = check(workspace, tmp_path, bin_dir, command="lint", paths="manifests/")
    assert proc.returncode == 1
    rules = {r["ruleId"] for r in sarif_results(env, workspace)}
    assert "service-ip-outside-pool" in rules
    proc, env = check(
        workspace,
        tmp_path,
        bin_dir,
        command="lint",
        paths="manifests/",
        args="--disable service-ip-outside-pool --metallb-compat",
    )
    assert "service-ip-outside-pool" not in {r["ruleId"] for r in sarif_results(env, workspace)}
    assert "title=service-ip-outside-pool" not in proc.stdout


def test_compile_check_fails_on_a_stale_tree_and_passes_on_a_fresh_one(
    workspace, tmp_path, bin_dir
):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "gitops_lb",
            "compile",
            "sites",
            "-o",
            "deploy",
            "--disable",
            "site-argocd-path-mismatch",
        ],
        cwd=workspace,
        check=True,
        capture_output=True,
    )
    args = "--disable site-argocd-path-mismatch"
    proc, env = check(workspace, tmp_path, bin_dir, command="compile --check", args=args)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert outputs(env)["exit-code"] == "0"
    stale = next((workspace / "deploy").glob("*/*/kustomization.yaml"))
    stale.write_text(stale.read_text() + "# edited by hand\n")
    proc, env = check(workspace, tmp_path, bin_dir, command="compile --check", args=args)
    assert proc.returncode == 1
    assert outputs(env)["exit-code"] == "1"
    assert "is out of date" in proc.stderr and "# edited by hand" in proc.stderr


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"command": "compile"}, "the input command is validate, lint or 'compile --check'"),
        ({"paths": "  \n "}, "the input paths names no file or folder"),
    ],
)
def test_wrong_inputs_are_usage_errors(workspace, tmp_path, bin_dir, inputs, message):
    proc, env = check(workspace, tmp_path, bin_dir, **inputs)
    assert proc.returncode == 2
    assert f"::error title=gitops-lb::{message}" in proc.stdout
    assert outputs(env)["exit-code"] == "2"


def test_unreadable_input_exits_3(workspace, tmp_path, bin_dir):
    proc, env = check(workspace, tmp_path, bin_dir, paths="sites/nowhere.yaml")
    assert proc.returncode == 3
    assert outputs(env)["exit-code"] == "3"


@pytest.mark.slow
def test_install_step_then_check_step_as_the_runner_runs_them(workspace, tmp_path):
    """The install step pip-installs the action's checkout into a fresh virtual environment
    and puts it on PATH for the next step, which then runs without this checkout."""
    action_path = source_copy(tmp_path / "action")
    runner = tmp_path / "runner"
    base = os.environ.get("PATH", "")
    proc, env = run_step(
        "install", workspace, runner, {"python": sys.executable}, base, action_path=action_path
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (venv_bin,) = Path(env["GITHUB_PATH"]).read_text().splitlines()
    assert Path(venv_bin, "gitops-lb").exists()
    assert outputs(env) == {"version": VERSION}
    proc, env = run_step("check", workspace, runner, {}, f"{venv_bin}{os.pathsep}{base}")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert sarif_results(env, workspace) == []


def test_install_step_refuses_an_old_python(workspace, tmp_path):
    old = tmp_path / "bin" / "python-old"
    old.parent.mkdir()
    old.write_text("#!/bin/sh\nexit 1\n")  # answers sys.version_info < (3, 11) with 1
    old.chmod(0o755)
    proc, env = run_step(
        "install", workspace, tmp_path / "runner", {"python": str(old)}, os.environ["PATH"]
    )
    assert proc.returncode == 3
    assert "::error title=gitops-lb::gitops-lb needs Python 3.11 or later" in proc.stdout
    assert Path(env["GITHUB_PATH"]).read_text() == ""


def test_readme_workflow_uses_the_action_as_it_is_defined():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (block,) = [
        b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if "gitops-lb/gitops-lb@" in b
    ]
    workflow = yaml.safe_load(block)
    assert workflow["permissions"]["security-events"] == "write"
    (job,) = workflow["jobs"].values()
    steps = job["steps"]
    (mine,) = [s for s in steps if str(s.get("uses", "")).startswith("gitops-lb/gitops-lb@")]
    assert mine["uses"] == f"gitops-lb/gitops-lb@v{VERSION}"
    assert set(mine["with"]) <= set(action()["inputs"])
    (upload,) = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/")]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == f"${{{{ steps.{mine['id']}.outputs.sarif }}}}"
    assert "failure()" in upload["if"], "the report must be uploaded when findings fail the check"
    assert steps.index(upload) > steps.index(mine)
    assert steps[0]["uses"].startswith("actions/checkout@")
