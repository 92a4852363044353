"""`lint` checks each kustomization root (and so each compiled cluster folder) as a cluster of
its own; --one-cluster checks all inputs as one."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

import pytest

from gitops_lb.cli import main
from tests.compile import checks

ROOT = Path(__file__).resolve().parents[2]
SHARED_L2 = ROOT / "examples" / "sites" / "shared-l2.yaml"
DUPLICATES = {"object-duplicate", "metallb-duplicate-name"}


def pool(name: str, addresses: str) -> str:
    return textwrap.dedent(f"""\
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {{name: {name}, namespace: metallb-system}}
        spec: {{addresses: [{addresses}]}}
        ---
        apiVersion: metallb.io/v1beta1
        kind: L2Advertisement
        metadata: {{name: {name}, namespace: metallb-system}}
        """)


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def lint(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict], str]:
    capsys.readouterr()
    status = main(["lint", *argv, "--format", "json"])
    captured = capsys.readouterr()
    return status, json.loads(captured.out)["diagnostics"], captured.err


def rules(diags: list[dict]) -> set[str]:
    return {d["rule"] for d in diags}


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    """shared-l2 compiled: clusters blue and green each have the pool `ingress`."""
    out = tmp_path_factory.mktemp("repo") / "deploy"
    assert main(["compile", str(SHARED_L2), "-o", str(out)]) == 0
    return out


def test_compiled_clusters_are_checked_apart(compiled, capsys):
    status, diags, err = lint(str(compiled), capsys=capsys)
    assert (status, diags) == (0, [])
    blue, green = compiled / "shared-l2" / "blue", compiled / "shared-l2" / "green"
    assert err == (
        f"gitops-lb: checked 2 clusters apart, one per kustomization root ({blue}/, {green}/); "
        "--one-cluster checks all inputs as one\n"
    )


def test_one_cluster_checks_the_compiled_tree_as_one(compiled, capsys):
    status, diags, err = lint(str(compiled), "--one-cluster", capsys=capsys)
    assert status == 1
    assert rules(diags) == DUPLICATES
    dup = next(d for d in diags if d["rule"] == "object-duplicate")
    assert dup["file"].startswith(str(compiled / "shared-l2" / "green"))
    assert err == ""


def test_one_compiled_cluster_prints_no_grouping_line(compiled, capsys):
    status, diags, err = lint(str(compiled / "shared-l2" / "blue"), capsys=capsys)
    assert (status, diags, err) == (0, [], "")


def test_kustomization_roots_are_clusters_of_their_own(tmp_path, capsys):
    write(
        tmp_path,
        {
            "a/kustomization.yaml": "resources: [pool.yaml]\n",
            "a/pool.yaml": pool("web", "10.0.0.10-10.0.0.20"),
            "b/kustomization.yaml": "resources: [pool.yaml]\n",
            "b/pool.yaml": pool("web", "10.0.0.10-10.0.0.20"),
        },
    )
    status, diags, _ = lint(str(tmp_path), capsys=capsys)
    assert (status, diags) == (0, [])
    status, diags, _ = lint(str(tmp_path), "--one-cluster", capsys=capsys)
    assert status == 1
    assert DUPLICATES | {"pool-overlap"} <= rules(diags)


def test_files_outside_every_kustomization_are_one_cluster(tmp_path, capsys):
    write(
        tmp_path,
        {
            "a/pool.yaml": pool("web", "10.0.0.10-10.0.0.20"),
            "b/pool.yaml": pool("web", "10.0.0.15-10.0.0.30"),
        },
    )
    status, diags, err = lint(str(tmp_path), capsys=capsys)
    assert status == 1
    assert DUPLICATES | {"pool-overlap"} <= rules(diags)
    assert err == ""


def test_a_base_two_overlays_list_is_in_both_clusters_and_reported_once(tmp_path, capsys):
    bad = pool("base", "10.0.0.10-10.0.0.20").replace("addresses:", "adresses:")
    write(
        tmp_path,
        {
            "base/kustomization.yaml": "resources: [pool.yaml]\n",
            "base/pool.yaml": bad,
            "prod/kustomization.yaml": "resources: [../base, extra.yaml]\n",
            "prod/extra.yaml": pool("extra", "10.0.1.10-10.0.1.20"),
            "test/kustomization.yaml": "resources: [../base, extra.yaml]\n",
            "test/extra.yaml": pool("extra", "10.0.1.10-10.0.1.20"),
        },
    )
    status, diags, err = lint(str(tmp_path), capsys=capsys)
    assert status == 1
    assert "schema-unknown-field" in rules(diags)
    assert {d["file"] for d in diags} == {str(tmp_path / "base" / "pool.yaml")}
    assert f"({tmp_path}/prod/, {tmp_path}/test/)" in err
    # once, not once per overlay: as many as the base alone gets
    _, alone, _ = lint(str(tmp_path / "base"), capsys=capsys)
    assert diags == alone
    # together, the overlays' extra pools collide (and the base is read twice)
    _, diags, _ = lint(str(tmp_path), "--one-cluster", capsys=capsys)
    assert rules(diags) >= DUPLICATES


def test_a_file_beside_a_kustomization_that_does_not_list_it_is_not_in_its_cluster(
    tmp_path, capsys
):
    write(
        tmp_path,
        {
            "a/kustomization.yaml": "resources: [pool.yaml]\n",
            "a/pool.yaml": pool("web", "10.0.0.10-10.0.0.20"),
            "a/draft.yaml": pool("web", "10.0.0.10-10.0.0.20"),  # not listed: not built
        },
    )
    status, diags, err = lint(str(tmp_path / "a"), capsys=capsys)
    assert (status, diags) == (0, [])
    assert "the files no kustomization lists" in err
    # listed, it is part of the build and collides
    (tmp_path / "a" / "kustomization.yaml").write_text("resources: [pool.yaml, draft.yaml]\n")
    status, diags, err = lint(str(tmp_path / "a"), capsys=capsys)
    assert status == 1
    assert rules(diags) >= DUPLICATES
    assert err == ""


def test_standard_input_is_a_cluster_of_its_own(tmp_path, monkeypatch, capsys):
    f = write(tmp_path, {"pool.yaml": pool("web", "10.0.0.10-10.0.0.20")}) / "pool.yaml"
    text = pool("web", "10.0.0.10-10.0.0.20").encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text)))
    status, diags, err = lint("-", str(f), capsys=capsys)
    assert (status, diags) == (0, [])
    assert "standard input" in err
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text)))
    status, diags, _ = lint("-", str(f), "--one-cluster", capsys=capsys)
    assert status == 1
    assert rules(diags) >= DUPLICATES


def test_text_output_names_the_clusters_once(compiled, capsys):
    assert main(["lint", str(compiled)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "no problems in 26 files\n"  # the compiled tree's manifests
    assert captured.err.count("checked 2 clusters apart") == 1


PATCH = textwrap.dedent("""\
    apiVersion: metallb.io/v1beta1
    kind: IPAddressPool
    metadata: {name: web, namespace: metallb-system}
    spec: {autoAssign: false}
    """)


def overlays_with_patches(root: Path, listing: str) -> Path:
    return write(
        root,
        {
            "base/kustomization.yaml": "resources: [pool.yaml]\n",
            "base/pool.yaml": pool("web", "10.0.0.10-10.0.0.20"),
            "prod/kustomization.yaml": f"resources: [../base]\n{listing}",
            "prod/patch-pool.yaml": PATCH,
            "test/kustomization.yaml": f"resources: [../base]\n{listing}",
            "test/patch-pool.yaml": PATCH,
        },
    )


@pytest.mark.parametrize(
    "listing",
    ["patches:\n  - path: patch-pool.yaml\n", "patchesStrategicMerge: [patch-pool.yaml]\n"],
)
def test_patch_files_are_not_objects(tmp_path, capsys, listing):
    overlays_with_patches(tmp_path, listing)
    status, diags, _ = lint(str(tmp_path), capsys=capsys)
    assert (status, diags) == (0, [])
    if checks.KUBECTL is not None:  # the layout is one kustomize builds
        (built,) = [d for d in checks.kustomize(tmp_path / "prod") if d["kind"] == "IPAddressPool"]
        assert built["spec"] == {"addresses": ["10.0.0.10-10.0.0.20"], "autoAssign": False}


def test_the_same_files_unlisted_as_patches_are_objects(tmp_path, capsys):
    overlays_with_patches(tmp_path, "")
    status, diags, _ = lint(str(tmp_path), capsys=capsys)
    assert status == 1
    assert "schema-invalid" in rules(diags)  # partial objects
    assert {d["file"] for d in diags} == {
        str(tmp_path / "prod" / "patch-pool.yaml"),
        str(tmp_path / "test" / "patch-pool.yaml"),
    }
