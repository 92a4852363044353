"""The readiness gate script, run by a real POSIX shell against a fake kubectl (a shell script;
test_gate_kubectl.py runs the real kubectl against a fake API server)."""

import os
import shutil
import subprocess
import time

import pytest

from gitops_lb.compile.gate import script

SH = shutil.which("sh")
READY = "ready=true 10.1.2.3"  # what the script's jsonpath prints for one ready endpoint
pytestmark = pytest.mark.skipif(SH is None, reason="no POSIX shell")

FAKE_KUBECTL = """\
#!/bin/sh
# answers from files in $STATE; counts calls so a condition can turn true later
n=$(cat "$STATE/calls" 2>/dev/null || echo 0)
echo $((n + 1)) > "$STATE/calls"
case "$*" in
  *appreleases.operator.alauda.io*) f=health ;;
  *endpoints*) f=endpoints ;;
  *deployment*) f=available ;;
  *) exit 2 ;;
esac
[ -f "$STATE/$f" ] || { echo "not found" >&2; exit 1; }
if [ -f "$STATE/$f.after" ] && [ "$n" -lt "$(cat "$STATE/$f.after")" ]; then
  exit 0
fi
cat "$STATE/$f"
"""


def run(tmp_path, platform, state, timeout="2"):
    bindir = tmp_path / "bin"
    bindir.mkdir(parents=True, exist_ok=True)
    kubectl = bindir / "kubectl"
    kubectl.write_text(FAKE_KUBECTL)
    kubectl.chmod(0o755)
    statedir = tmp_path / "state"
    statedir.mkdir(exist_ok=True)
    for name, value in state.items():
        (statedir / name).write_text(value)
    env = {
        "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}",
        "STATE": str(statedir),
        "METALLB_NAMESPACE": "metallb-system",
        "TIMEOUT_SECONDS": timeout,
        "POLL_SECONDS": "0.1",
        "TMPDIR": str(tmp_path),
    }
    start = time.monotonic()
    proc = subprocess.run(
        [str(SH), "-c", script(platform)],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    return proc, time.monotonic() - start


def test_acp_ready(tmp_path):
    proc, _ = run(tmp_path, "acp", {"health": "True", "endpoints": READY})
    assert proc.returncode == 0, proc.stderr
    assert "done waiting for AppRelease cpaas-system/metallb (Health=True)" in proc.stdout
    assert (
        "done waiting for Service metallb-system/metallb-webhook-service to have a ready endpoint"
        in proc.stdout
    )


def test_acp_waits_until_healthy(tmp_path):
    state = {"health": "True", "health.after": "4", "endpoints": READY}
    proc, _ = run(tmp_path, "acp", state, timeout="20")
    assert proc.returncode == 0, proc.stderr
    assert int((tmp_path / "state" / "calls").read_text()) >= 5


@pytest.mark.slow
def test_acp_gives_up_after_the_timeout(tmp_path):
    proc, elapsed = run(
        tmp_path, "acp", {"health": "False|Installing|pods not ready", "endpoints": READY}
    )
    assert proc.returncode == 1
    assert "gave up after 2s waiting for AppRelease cpaas-system/metallb" in proc.stderr
    assert (
        "last seen: AppRelease cpaas-system/metallb has Health=False "
        "(reason: Installing; message: pods not ready)"
    ) in proc.stderr
    assert elapsed < 15


@pytest.mark.slow
def test_missing_apprelease_is_waited_for_not_fatal(tmp_path):
    proc, _ = run(tmp_path, "acp", {"endpoints": READY})
    assert proc.returncode == 1 and "gave up" in proc.stderr
    assert (
        "waiting for AppRelease cpaas-system/metallb (Health=True): kubectl failed" in proc.stderr
    )
    assert "not found" in proc.stderr


@pytest.mark.slow
def test_upstream_needs_controller_and_webhook_endpoints(tmp_path):
    proc, _ = run(tmp_path, "metallb", {"available": "True", "endpoints": READY})
    assert proc.returncode == 0, proc.stderr
    assert (
        "done waiting for Deployment metallb-system/metallb-controller (Available)" in proc.stdout
    )
    proc, _ = run(tmp_path / "x", "metallb", {"available": "True", "endpoints": ""})
    assert proc.returncode == 1
    assert "no EndpointSlice of Service metallb-system/metallb-webhook-service lists" in proc.stderr
    unready = {"available": "True", "endpoints": "ready=false 10.1.2.3\nready=false 10.1.2.4"}
    proc, _ = run(tmp_path / "y", "metallb", unready)
    assert proc.returncode == 1
    assert "has 2 endpoint(s), none ready" in proc.stderr
    unset = {"available": "True", "endpoints": "ready=false 10.1.2.3\nready= 10.1.2.4"}
    proc, _ = run(tmp_path / "z", "metallb", unset)
    assert proc.returncode == 0, proc.stderr
