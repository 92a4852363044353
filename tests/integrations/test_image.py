"""The container image (top-level Containerfile) and the Argo CD sidecar that runs it.

No container engine runs here, so the Containerfile is checked by its structure: a pinned slim
Python base, the wheel built in a stage of the same file and installed in the final one, a
non-root user, `ENTRYPOINT ["gitops-lb"]`. tests/integrations/test_wheel.py builds the wheel
from exactly what the build stage copies. `tasks.py image` is run with stand-in engines.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import textwrap
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CONTAINERFILE = ROOT / "Containerfile"
PATCH = ROOT / "argocd-cmp" / "repo-server-patch.yaml"
CMP_README = ROOT / "argocd-cmp" / "README.md"
PLUGIN_PATH = "/home/argocd/cmp-server/config/plugin.yaml"  # where argocd-cmp-server reads it
CMP_SERVER = "/var/run/argocd/argocd-cmp-server"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


@dataclass
class Stage:
    base: str
    name: str | None
    steps: list[tuple[str, str]] = field(default_factory=list)  # (INSTRUCTION, arguments)

    def args_of(self, instruction: str) -> list[str]:
        return [a for i, a in self.steps if i == instruction]


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order: comments dropped, continuation lines joined."""
    out: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):  # a comment inside a continued instruction
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        full = pending + line
        pending = ""
        word, _, rest = full.partition(" ")
        out.append((word.upper(), rest.strip()))
    assert not pending, "the file ends inside a continued instruction"
    return out


def parse(text: str) -> tuple[dict[str, str], list[Stage]]:
    """The global ARG defaults (those before the first FROM) and the stages."""
    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    for word, rest in instructions(text):
        if word == "FROM":
            parts = rest.split()
            name = parts[2] if len(parts) == 3 and parts[1].upper() == "AS" else None
            assert len(parts) in (1, 3), rest
            base = re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: global_args[m[1] or m[2]], parts[0])
            stages.append(Stage(base, name))
        elif not stages:
            assert word == "ARG", f"{word} before the first FROM"
            key, _, value = rest.partition("=")
            global_args[key] = value.strip('"')
        else:
            stages[-1].steps.append((word, rest))
    return global_args, stages


@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    return parse(CONTAINERFILE.read_text(encoding="utf-8"))[1]


def test_every_stage_uses_a_slim_python_base_pinned_by_version(stages):
    assert len(stages) >= 2, "multi-stage: the wheel is built in a stage of its own"
    for stage in stages:
        m = re.fullmatch(
            r"python:(\d+)\.(\d+)\.(\d+)-slim(?:-(\w+))?(@sha256:[0-9a-f]{64})?", stage.base
        )
        assert m, f"{stage.base}: a python:X.Y.Z-slim base (a full version, not 3 or latest)"
        needed = re.fullmatch(r">=(\d+)\.(\d+)", PYPROJECT["requires-python"])
        assert needed
        assert (int(m[1]), int(m[2])) >= (int(needed[1]), int(needed[2]))
    assert len({s.base for s in stages}) == 1, "the wheel is built on the Python it runs on"


def test_the_wheel_is_built_in_the_file_and_only_the_wheel_is_installed(stages):
    build, final = stages[0], stages[-1]
    assert build.name, "the build stage is named, so the final one can copy from it"
    built = [r for r in build.args_of("RUN") if re.search(r"pip wheel|-m build", r)]
    assert len(built) == 1, build.args_of("RUN")
    wheel_dir = re.search(r"(?:--wheel-dir|-w|--outdir)[ =](\S+)", built[0])
    assert wheel_dir, built[0]
    assert "--no-deps" in built[0] or "-m build" in built[0]
    copied = [shlex.split(c) for c in final.args_of("COPY") if c.startswith("--from=")]
    assert [c[0] for c in copied] == [f"--from={build.name}"]
    assert copied[0][1] == wheel_dir[1]
    # the final stage installs that wheel, and never the source tree
    installs = [r for r in final.args_of("RUN") if "pip install" in r]
    assert len(installs) == 1, final.args_of("RUN")
    assert f"{wheel_dir[1]}/gitops_lb-" in installs[0] and ".whl" in installs[0]
    for copy in final.args_of("COPY"):
        assert "gitops_lb" not in copy and "pyproject.toml" not in copy, copy


def test_everything_copied_exists_in_the_build_context(stages):
    for stage in stages:
        for copy in stage.args_of("COPY"):
            words = [w for w in shlex.split(copy) if not w.startswith("--")]
            if copy.startswith("--from="):
                continue
            for src in words[:-1]:
                assert (ROOT / src).exists(), src


def test_it_runs_as_a_non_root_user_that_exists(stages):
    final = stages[-1]
    users = final.args_of("USER")
    assert users, "the image sets USER"
    uid = users[-1].split(":")[0]
    assert uid not in ("0", "root")
    created = " ".join(final.args_of("RUN"))
    assert re.search(rf"useradd [^;&]*--uid {uid}\b", created), created
    # after USER nothing runs as root again
    last_user = max(i for i, (w, _) in enumerate(final.steps) if w == "USER")
    assert not [w for w, _ in final.steps[last_user:] if w == "RUN"]


def test_entrypoint_is_gitops_lb_in_exec_form(stages):
    final = stages[-1]
    entry = final.args_of("ENTRYPOINT")
    assert entry[-1:] == ['["gitops-lb"]']
    for stage in stages[:-1]:
        assert not stage.args_of("ENTRYPOINT")


def test_the_image_holds_the_plugin_where_argo_cd_reads_it(stages):
    copies = [shlex.split(c) for c in stages[-1].args_of("COPY")]
    dests = {c[-1]: c[-2] for c in copies}
    assert dests.get(PLUGIN_PATH) == "argocd-cmp/plugin.yaml"


def sidecar() -> dict[str, Any]:
    patch = yaml.safe_load(PATCH.read_text(encoding="utf-8"))
    assert (patch["kind"], patch["metadata"]["name"]) == ("Deployment", "argocd-repo-server")
    containers = patch["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    container: dict[str, Any] = containers[0]
    return container


def test_sidecar_runs_the_image_as_argo_cd_expects(stages):
    container = sidecar()
    assert container["command"] == [CMP_SERVER]
    assert re.search(r"/gitops-lb:\d+\.\d+\.\d+$", container["image"])
    assert container["image"].endswith(f":{PYPROJECT['version']}")
    uid = stages[-1].args_of("USER")[-1].split(":")[0]
    assert container["securityContext"]["runAsUser"] == int(uid) == 999
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    assert mounts["var-files"] == os.path.dirname(CMP_SERVER)
    assert mounts["plugins"] == "/home/argocd/cmp-server/plugins"
    tmp = next(n for n, p in mounts.items() if p == "/tmp")
    volumes = yaml.safe_load(PATCH.read_text(encoding="utf-8"))["spec"]["template"]["spec"]
    assert {"name": tmp, "emptyDir": {}} in volumes["volumes"]


def test_the_sidecar_readme_shows_the_patch_container():
    text = CMP_README.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    shown = [yaml.safe_load(b) for b in blocks if b.startswith("- name: gitops-lb")]
    assert shown == [[sidecar()]]
    assert "Containerfile" in text and not (ROOT / "argocd-cmp" / "Containerfile").exists()


# --- python3 tasks.py image -------------------------------------------------------------------


def fake_engine(folder: Path, name: str, info_status: int) -> Path:
    """A stand-in `name` on PATH: `info` exits info_status, `build` records its arguments."""
    folder.mkdir(exist_ok=True)
    script = folder / name
    script.write_text(
        textwrap.dedent(
            f"""\
            #!/bin/sh
            if [ "$1" = info ]; then exit {info_status}; fi
            printf '%s\\n' "$@" > "{folder}/{name}.args"
            """
        )
    )
    script.chmod(0o755)
    return folder


def image_task(path: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PATH"}
    env["PATH"] = path
    return subprocess.run(
        [sys.executable, str(ROOT / "tasks.py"), "image", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_image_task_says_in_one_line_when_no_engine_exists(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = image_task(str(empty))
    assert proc.returncode != 0
    assert proc.stderr.splitlines() == [
        "tasks.py image: neither docker nor podman is installed: cannot build the image"
    ]


def test_image_task_says_when_the_engine_does_not_run(tmp_path):
    path = fake_engine(tmp_path / "bin", "docker", 1)
    proc = image_task(str(path))
    assert proc.returncode != 0
    assert proc.stderr.splitlines() == [
        "tasks.py image: docker installed, but not running (`docker info` fails)"
    ]
    assert not (path / "docker.args").exists()


def test_image_task_builds_with_the_engine_that_runs(tmp_path):
    path = fake_engine(tmp_path / "bin", "docker", 1)
    fake_engine(path, "podman", 0)
    proc = image_task(str(path), "--build-arg", "EXTRAS=api")
    assert proc.returncode == 0, proc.stderr
    args = (path / "podman.args").read_text().splitlines()
    version = PYPROJECT["version"]
    assert args == [
        "build",
        "-f",
        "Containerfile",
        "-t",
        f"gitops-lb:{version}",
        "--build-arg",
        "EXTRAS=api",
        ".",
    ]
    assert f"Built gitops-lb:{version}" in proc.stdout
