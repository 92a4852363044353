"""`gitops-lb fix`, `fix --diff` and `lint --fix` through the real CLI, in a Git repository of a
platform team's manifests with comments (docs/fixes.md)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from tests.fix._inputs import METALLB, PEER_LINE, POOL, SERVICES, cli
from tests.gitrepo import GitRepo


def setup(repo: GitRepo) -> None:
    repo.write("clusters/edge/metallb.yaml", METALLB)
    repo.write("apps/shop/services.yaml", SERVICES)
    repo.commit("edge cluster and the shop")


def read(repo: GitRepo, rel: str) -> str:
    return (repo.root / rel).read_text(encoding="utf-8")


def test_fix_rewrites_only_the_edited_nodes(repo, capsys):
    """The user runs `gitops-lb fix .`: it lists each fix made, and `git diff` shows only the
    corrected lines; every comment, the quoting, the flow lists and the separators stay."""
    setup(repo)
    status, out, err = cli(capsys, "fix", ".")
    assert status == 0  # no error is left
    assert out == ""
    assert "fixed 5 findings in 2 files" in err
    assert "clusters/edge/metallb.yaml:21:13: fixed: write apiVersion metallb.io/v1beta2" in err
    assert read(repo, "clusters/edge/metallb.yaml") == METALLB.replace(
        PEER_LINE, PEER_LINE.replace("v1beta1", "v1beta2")
    )
    assert read(repo, "apps/shop/services.yaml") == (
        SERVICES.replace("metallb.universe.tf/", "metallb.io/")
        .replace("metallb.io/adress-pool", "metallb.io/address-pool")
        .replace(
            "    metallb.io/address-pool: web\nspec:",
            "    metallb.io/address-pool: web\n"
            "    metallb.io/loadBalancerIPs: 10.20.0.10   # the address in DNS\nspec:",
        )
        .replace("  loadBalancerIP: 10.20.0.10   # the address in DNS\n", "")
    )
    diff = repo.git("diff", "--numstat").stdout.split()
    assert diff == ["4", "4", "apps/shop/services.yaml", "1", "1", "clusters/edge/metallb.yaml"]
    # and lint now reports nothing at all
    status, out, _ = cli(capsys, "lint", ".")
    assert (status, out) == (0, "no problems in 2 files\n")


def test_fix_diff_prints_a_patch_and_changes_nothing(repo, capsys):
    """`gitops-lb fix --diff .` prints a unified diff (a/PATH, b/PATH) that `git apply`
    accepts, and the working tree stays as committed."""
    setup(repo)
    status, out, err = cli(capsys, "fix", "--diff", ".")
    assert status == 0
    assert "would fix 5 findings in 2 files" in err
    assert "--- a/apps/shop/services.yaml\n+++ b/apps/shop/services.yaml\n" in out
    assert "-apiVersion: metallb.io/v1beta1\n+apiVersion: metallb.io/v1beta2\n" in out
    assert repo.git("status", "--porcelain").stdout == ""
    patch = repo.root / "fix.patch"
    patch.write_text(out, encoding="utf-8")
    repo.git("apply", "fix.patch")
    patch.unlink()
    status, out, _ = cli(capsys, "fix", "--diff", ".")
    assert (status, out) == (0, "")  # what the patch did is all fix had to do


def test_lint_fix_fixes_then_reports_what_remains(repo, capsys):
    """`gitops-lb lint --fix` fixes the files and prints what is left: here the shop Service
    also names another pool under metallb.io/, which only --unsafe-fixes resolves, so lint
    shows the conflict and the pool that does not exist yet (exit status 1), and the
    deprecated key it keeps."""
    services = SERVICES.replace(
        "    metallb.universe.tf/address-pool: web\n",
        "    metallb.universe.tf/address-pool: web\n    metallb.io/address-pool: web-v2\n",
    )
    repo.write("clusters/edge/metallb.yaml", METALLB)
    repo.write("apps/shop/services.yaml", services)
    repo.commit("shop moving to web-v2")
    status, out, _ = cli(capsys, "lint", "--fix", ".")
    assert status == 1
    assert out.splitlines() == [
        "./apps/shop/services.yaml:9:5: warning: Service shop/shop: "
        "metallb.universe.tf/address-pool is deprecated since MetalLB 0.14.9; use "
        "metallb.io/address-pool [service-deprecated-annotation]",
        "./apps/shop/services.yaml:9:39: error: Service shop/shop: "
        "metallb.universe.tf/address-pool 'web' is ignored because "
        "metallb.io/address-pool 'web-v2' is set [service-annotation-prefix-conflict] "
        "[fixable: --unsafe-fixes]",
        "    ./apps/shop/services.yaml:10:30: note: metallb.io/address-pool set here",
        "./apps/shop/services.yaml:10:30: error: Service shop/shop: metallb.io/address-pool "
        "names pool 'web-v2', which does not exist; did you mean 'web'? [service-unknown-pool]",
        "2 errors, 1 warning in 2 files",
        "0 fixable with `gitops-lb fix` (1 more with `gitops-lb fix --unsafe-fixes`)",
    ]
    assert "metallb.io/loadBalancerIPs: 10.20.0.10" in read(repo, "apps/shop/services.yaml")
    assert "metallb.io/v1beta2" in read(repo, "clusters/edge/metallb.yaml")


@pytest.mark.parametrize(
    ("before", "after", "rule"),
    [
        pytest.param(
            "    metallb.universe.tf/address-pool: web\n    metallb.io/address-pool: web\n",
            "    metallb.io/address-pool: web\n",
            "service-deprecated-annotation",
            id="duplicate-dropped",
        ),
        pytest.param(
            "    metallb.io/Address-Pool: web   # pool\n",
            "    metallb.io/address-pool: web   # pool\n",
            "service-unknown-annotation",
            id="case-misspelt",
        ),
        pytest.param(
            '    "metalb.io/loadBalancerIP": "10.20.0.11"\n',
            '    "metallb.io/loadBalancerIPs": "10.20.0.11"\n',
            "service-unknown-annotation",
            id="prefix-and-name-misspelt",
        ),
    ],
)
def test_each_annotation_fix(repo, capsys, before, after, rule):
    """Each annotation fix: the user sees the one annotation line corrected, nothing else."""
    text = SERVICE.format(annotations=before)
    repo.write("svc.yaml", text)
    repo.write("pool.yaml", POOL)
    status, _, err = cli(capsys, "fix", "svc.yaml", "pool.yaml")
    assert f"[{rule}]" in err
    assert read(repo, "svc.yaml") == SERVICE.format(annotations=after)
    assert status == 0


SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
  annotations:
{annotations}spec:
  type: LoadBalancer
  ports: [{{port: 443}}]
"""


def test_load_balancer_ip_into_new_annotations_block(repo, capsys):
    """A Service without annotations gets an `annotations:` block under metadata, indented
    as the file indents, and keeps its quoting."""
    text = (
        "apiVersion: v1\nkind: Service\nmetadata:\n    name: api\n    namespace: shop\n"
        "    labels:\n        app: api\nspec:\n    type: LoadBalancer\n"
        "    loadBalancerIP: '10.20.0.12'\n    ports: [{port: 443}]\n"
    )
    repo.write("svc.yaml", text)
    repo.write("pool.yaml", POOL)
    assert cli(capsys, "fix", "svc.yaml", "pool.yaml")[0] == 0
    assert read(repo, "svc.yaml") == (
        "apiVersion: v1\nkind: Service\nmetadata:\n    name: api\n    namespace: shop\n"
        "    labels:\n        app: api\n    annotations:\n"
        "        metallb.io/loadBalancerIPs: '10.20.0.12'\nspec:\n    type: LoadBalancer\n"
        "    ports: [{port: 443}]\n"
    )


def test_load_balancer_ip_not_moved_over_another_annotation_value(repo, capsys):
    """An empty loadBalancerIPs annotation is not MetalLB's request, but it says something
    else than the field: fix leaves both and lint still reports the field."""
    text = SERVICE.format(annotations='    metallb.io/loadBalancerIPs: ""\n').replace(
        "  type: LoadBalancer\n", "  type: LoadBalancer\n  loadBalancerIP: 10.20.0.13\n"
    )
    repo.write("svc.yaml", text)
    repo.write("pool.yaml", POOL)
    status, _, err = cli(capsys, "fix", "svc.yaml", "pool.yaml")
    assert "fixed 0 findings" in err
    assert read(repo, "svc.yaml") == text
    assert status == 0  # a warning only


def test_older_release_gets_the_old_prefix(repo, capsys):
    """With --metallb-version v0.14.8 (no metallb.io/ annotations yet) the address moves to
    metallb.universe.tf/loadBalancerIPs and the old prefix is not renamed."""
    text = SERVICE.format(annotations="    metallb.universe.tf/address-pool: web\n").replace(
        "  type: LoadBalancer\n", "  type: LoadBalancer\n  loadBalancerIP: 10.20.0.14\n"
    )
    repo.write("svc.yaml", text)
    repo.write("pool.yaml", POOL)
    assert cli(capsys, "fix", "--metallb-version", "v0.14.8", "svc.yaml", "pool.yaml")[0] == 0
    assert read(repo, "svc.yaml") == SERVICE.format(
        annotations="    metallb.universe.tf/address-pool: web\n"
        "    metallb.universe.tf/loadBalancerIPs: 10.20.0.14\n"
    )


def test_unsafe_fixes_are_refused_without_the_flag(repo, capsys):
    """Two annotations that disagree, and a v1beta1 BGPPeer without timers: `fix` changes
    nothing and says how many more `--unsafe-fixes` would make; lint marks them."""
    services = SERVICE.format(
        annotations="    metallb.universe.tf/address-pool: old\n    metallb.io/address-pool: web\n"
    )
    peer = METALLB.replace("  holdTime: 90s       # as the router's\n  keepaliveTime: 30s\n", "")
    repo.write("svc.yaml", services)
    repo.write("metallb.yaml", peer)
    status, out, _ = cli(capsys, "lint", "svc.yaml", "metallb.yaml")
    assert "[service-annotation-prefix-conflict] [fixable: --unsafe-fixes]" in out
    assert "[peer-deprecated-version] [fixable: --unsafe-fixes]" in out
    assert out.endswith(
        "0 fixable with `gitops-lb fix` (2 more with `gitops-lb fix --unsafe-fixes`)\n"
    )
    status, _, err = cli(capsys, "fix", "svc.yaml", "metallb.yaml")
    assert "fixed 0 findings" in err and "2 more with --unsafe-fixes" in err
    assert status == 1  # the conflict is an error, and it stays
    assert read(repo, "svc.yaml") == services
    assert read(repo, "metallb.yaml") == peer
    status, _, err = cli(capsys, "fix", "--unsafe-fixes", "svc.yaml", "metallb.yaml")
    assert status == 0
    assert "unsafe: the unset holdTime and keepaliveTime become MetalLB's default" in err
    assert read(repo, "svc.yaml") == SERVICE.format(
        annotations="    metallb.io/address-pool: web\n"
    )
    assert "apiVersion: metallb.io/v1beta2\nkind: BGPPeer" in read(repo, "metallb.yaml")


def test_a_suppressed_finding_is_not_fixed(repo, capsys):
    """`# gitops-lb: disable=RULE` on the line keeps it as written; the other line is fixed."""
    annotations = (
        "    metallb.universe.tf/address-pool: web"
        "  # gitops-lb: disable=service-deprecated-annotation\n"
        "    metallb.universe.tf/allow-shared-ip: shop\n"
    )
    repo.write("svc.yaml", SERVICE.format(annotations=annotations))
    status, _, err = cli(capsys, "fix", "svc.yaml")
    assert status == 0 and "fixed 1 finding in 1 file" in err
    assert read(repo, "svc.yaml") == SERVICE.format(
        annotations=annotations.replace("universe.tf/allow", "io/allow")
    )


def test_configuration_file_disables_and_excludes(repo, capsys):
    """.gitops-lb.yaml: per-file-disable keeps apps/ on the old prefix, exclude leaves
    vendor/ alone; only the BGPPeer of clusters/ is fixed."""
    repo.write(
        ".gitops-lb.yaml",
        "exclude: [vendor/**]\nper-file-disable:\n  apps/**: [service-deprecated-annotation]\n",
    )
    repo.write("clusters/edge/metallb.yaml", METALLB)
    repo.write("apps/shop/services.yaml", SERVICES)
    repo.write("vendor/peer.yaml", METALLB)
    repo.commit("config")
    status, _, err = cli(capsys, "fix", ".")
    assert status == 0
    assert "fixed 3 findings in 2 files" in err, err
    assert read(repo, "vendor/peer.yaml") == METALLB
    assert "metallb.universe.tf/address-pool" in read(repo, "apps/shop/services.yaml")
    assert "v1beta2" in read(repo, "clusters/edge/metallb.yaml")
    _, _, err = cli(capsys, "fix", "--disable", "peer-deprecated-version", "vendor/peer.yaml")
    assert "fixed 0 findings" in err and read(repo, "vendor/peer.yaml") == METALLB
    cli(capsys, "fix", "--no-config", "apps")
    assert "metallb.universe.tf" not in read(repo, "apps/shop/services.yaml")


def test_an_unwritable_file_stops_the_run_and_nothing_is_written(repo, capsys):
    """One of the two files to fix is read-only: `fix` exits 3 with one line naming it, and
    neither file changes (no partial write, no temporary file left)."""
    setup(repo)
    target = repo.root / "clusters/edge/metallb.yaml"
    os.chmod(target, stat.S_IRUSR | stat.S_IRGRP)
    try:
        status, out, err = cli(capsys, "fix", ".")
    finally:
        os.chmod(target, stat.S_IRUSR | stat.S_IWUSR)
    assert status == 3
    assert out == ""
    assert (
        "gitops-lb: error: cannot fix ./clusters/edge/metallb.yaml: the file is read-only; "
        "no file was changed"
    ) in err
    assert "Traceback" not in err
    assert repo.git("status", "--porcelain").stdout == ""


def test_usage_errors(repo, capsys):
    """Standard input cannot be rewritten, and an unknown rule is named: exit status 2."""
    status, _, err = cli(capsys, "fix", "-")
    assert status == 2 and "fix rewrites files, not standard input" in err
    repo.write("svc.yaml", SERVICES)
    status, _, err = cli(capsys, "fix", "--disable", "no-such-rule", "svc.yaml")
    assert status == 2 and "unknown rule no-such-rule" in err


def test_an_unreadable_input_fixes_nothing(repo, capsys):
    """A path that does not exist: exit 3, and the other file is not touched."""
    repo.write("svc.yaml", SERVICES)
    status, _, err = cli(capsys, "fix", "svc.yaml", "missing.yaml")
    assert status == 3 and "nothing was fixed" in err
    assert read(repo, "svc.yaml") == SERVICES


def test_fix_runs_as_a_command(repo):
    """`python -m gitops_lb fix --diff` in a subprocess prints the same patch."""
    repo.write("svc.yaml", SERVICES)
    repo.write("pool.yaml", POOL)
    done = subprocess.run(
        [sys.executable, "-m", "gitops_lb", "fix", "--diff", "svc.yaml", "pool.yaml"],
        cwd=repo.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("--- a/svc.yaml\n+++ b/svc.yaml\n")


LIST = """\
apiVersion: v1
kind: List   # what `kubectl get -o yaml` prints
items:
  - apiVersion: metallb.io/v1beta1   # exported from the cluster
    kind: BGPPeer
    metadata: {name: tor-b, namespace: metallb-system}
    spec: {myASN: 64512, peerASN: 64513, peerAddress: 10.20.1.2, holdTime: 9s, keepaliveTime: 3s}
  - apiVersion: v1
    kind: Service
    metadata:
      name: shop
      namespace: shop
      annotations:
        metallb.universe.tf/address-pool: web
    spec: {type: LoadBalancer, ports: [{port: 80}]}
"""


def test_objects_inside_a_list_are_fixed(repo, capsys):
    """A `kind: List` export: the BGPPeer and the Service among its items are fixed in place,
    the List and its comments stay."""
    repo.write("export.yaml", LIST)
    repo.write("pool.yaml", POOL)
    status, _, err = cli(capsys, "fix", "export.yaml", "pool.yaml")
    assert status == 0
    assert "fixed 2 findings in 1 file" in err
    assert read(repo, "export.yaml") == LIST.replace("v1beta1", "v1beta2").replace(
        "metallb.universe.tf/", "metallb.io/"
    )


def test_a_linked_file_is_fixed_through_the_link(repo, capsys):
    """A manifest reached through a symbolic link: the file it points to is fixed and the
    link stays a link."""
    repo.write("shared/peer.yaml", METALLB)
    link = repo.root / "clusters/edge/peer.yaml"
    link.parent.mkdir(parents=True)
    link.symlink_to(repo.root / "shared/peer.yaml")
    status, _, err = cli(capsys, "fix", "clusters/edge/peer.yaml")
    assert status == 0 and "fixed 1 finding in 1 file" in err
    assert link.is_symlink()
    assert "metallb.io/v1beta2" in read(repo, "shared/peer.yaml")
