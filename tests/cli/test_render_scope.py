"""`render --cluster SITE/CLUSTER` reads only its site: the other files are skimmed for the
summaries the rules comparing sites need, and render prints what it printed when it read
everything."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitops_lb.cli import main
from gitops_lb.scoped import check_scoped, skimmed_summary
from gitops_lb.site.load import sites_from_files
from gitops_lb.site.lower import lower_site
from gitops_lb.site.skim import skim
from gitops_lb.site.summary import summarize
from gitops_lb.yamlload import LocMap, LocSeq, expand_paths, load_file, load_text, plain

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "sites"


def render(capsys, *args: str) -> tuple[int, str, str]:
    status = main(["render", *args])
    got = capsys.readouterr()
    return status, got.out, got.err


def compiled_cluster(capsys, tmp_path: Path, sites: Path | str, cluster: str) -> str:
    """What render printed before it read only its site: the cluster's folder of the tree
    `compile` writes from every site, in the order of its kustomization.yaml."""
    out = tmp_path / "deploy"
    args = ["compile", str(sites), "-o", str(out), "--disable", "site-argocd-path-mismatch"]
    assert main(args) == 0
    capsys.readouterr()
    folder = out / cluster
    listed = yaml.safe_load((folder / "kustomization.yaml").read_text())["resources"]
    return "---\n".join((folder / name).read_text() for name in listed)


# --- the skim reads what a whole read reads ---------------------------------------------------


def positions(value: Any) -> Any:
    """A LocMap / LocSeq tree with every position, for comparison."""
    if isinstance(value, LocMap):
        return (
            "map",
            value.pos,
            {k: (value.kpos[k], value.vpos[k], positions(v)) for k, v in value.items()},
        )
    if isinstance(value, LocSeq):
        return ("seq", value.pos, list(zip(value.ipos, map(positions, value), strict=True)))
    return value


def summary_view(summary: Any) -> Any:
    return (
        summary.number,
        summary.name,
        summary.item.file,
        positions(summary.item.doc),
        [
            (
                b.net,
                b.order,
                b.cluster,
                b.site,
                b.entry,
                b.text,
                b.target,
                b.pool.kind,
                b.pool.name,
                b.pool.namespace,
                b.pool.file,
                b.pool.origin,
                positions(b.pool.doc),
            )
            for b in summary.blocks
        ],
    )


def site_files(small_fleet: Path) -> list[Path]:
    return [*sorted(small_fleet.glob("*.yaml")), *sorted(EXAMPLES.glob("*.yaml"))]


def test_skimmed_summaries_are_the_summaries_of_the_whole_file(small_fleet):
    compared = 0
    for path in site_files(small_fleet):
        text = path.read_text()
        masked = skim(text)
        assert masked is not None, path
        assert masked.count("\n") == text.count("\n")
        whole = sites_from_files([load_file(str(path))]).sites
        skimmed = sites_from_files([load_text(masked, str(path))]).sites
        assert [s.site.metadata.name for s in skimmed] == [s.site.metadata.name for s in whole]
        for n, (w, s) in enumerate(zip(whole, skimmed, strict=True)):
            first = 7 * n + 3
            expected = summarize(lower_site(w), n, first)
            assert summary_view(skimmed_summary(s, n, first)) == summary_view(expected), path
            compared += len(expected.blocks)
    assert compared > 50


def test_skim_keeps_only_what_summaries_need(small_fleet):
    path = sorted(small_fleet.glob("*.yaml"))[0]
    masked = skim(path.read_text())
    assert masked is not None
    data = plain(load_text(masked, "x").documents[0].data)
    assert set(data["spec"]) <= {"platform", "bgpMode", "metallb", "argocd", "clusters"}
    for cluster in data["spec"]["clusters"]:
        assert set(cluster) == {"name", "server", "pools"}
        assert all(set(p) == {"name", "addresses"} for p in cluster["pools"])
    assert len(masked) < len(path.read_text()) / 3


SITE = """\
apiVersion: gitops-lb.io/v1alpha1
kind: Site
metadata:
  name: {name}
spec:
  platform: metallb
  argocd:
    repoURL: https://git.example.com/lb.git
  clusters:
    - name: c1
      server: https://10.0.0.1:6443
      pools:
        - name: p
          addresses: [{pool}]
          l2: {{}}
{extra}"""


def site_text(name: str, pool: str, extra: str = "") -> str:
    return SITE.format(name=name, pool=pool, extra=extra)


BLOCK_SCALAR = "\n".join(
    ["      services:", "        - name: s", "          annotations:", "            a: |", "x\n"]
)


@pytest.mark.parametrize(
    "extra",
    [
        BLOCK_SCALAR,
        "      labels: &l {a: b}\n",
        "      nodes:\n\t- name: n\n",
        "  networks: [{name: n, cidr: 10.0.0.0/24}]\n---\n- a list\n",
    ],
    ids=["block-scalar", "anchor", "tab", "top-level-list"],
)
def test_skim_gives_up_where_lines_cannot_tell_the_structure(extra):
    assert skim(site_text("b", "10.1.0.0/24", extra)) is None


def test_skim_of_flow_style_lists_keeps_them_whole():
    text = site_text("b", "10.1.0.0/24").replace(
        "  clusters:\n", "  clusters: [{name: c1, server: 'https://x', pools: []}]\n  other:\n"
    )
    masked = skim(text)
    assert masked is not None and "clusters: [{name: c1" in masked


# --- render ------------------------------------------------------------------------------------


def test_render_prints_what_the_whole_tree_holds(small_fleet, tmp_path, capsys):
    cluster = "site-001/c001"
    status, out, err = render(capsys, str(small_fleet), "--cluster", cluster)
    assert (status, err) == (0, "")
    assert out == compiled_cluster(capsys, tmp_path, small_fleet, cluster)
    alone = render(capsys, str(small_fleet / "site-001.yaml"), "--cluster", cluster)
    assert alone == (0, out, "")


def test_render_skims_the_other_files(small_fleet, monkeypatch):
    read: list[str] = []
    real = load_file

    def spy(path: str) -> Any:
        read.append(Path(path).name)
        return real(path)

    monkeypatch.setattr("gitops_lb.scoped.load_file", spy)
    scoped = check_scoped(expand_paths([str(small_fleet)]), "site-002")
    assert read == ["site-002.yaml"]
    assert sorted(t.id for t in scoped.loaded.targets) == ["site-002/c000", "site-002/c001"]
    assert scoped.skimmed == ["site-000/c000", "site-000/c001", "site-001/c000", "site-001/c001"]
    assert scoped.loaded.result.files == 3


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def test_an_overlap_with_another_site_is_still_reported(tmp_path, capsys):
    sites = tmp_path / "sites"
    write(sites, "a.yaml", site_text("a", "10.1.0.0/24"))
    write(sites, "b.yaml", site_text("b", "10.1.0.128/25"))
    for cluster in ("a/c1", "b/c1"):  # a warning: render still prints the cluster
        status, out, err = render(capsys, str(sites), "--cluster", cluster)
        assert status == 0 and "kind: IPAddressPool" in out
        assert (
            "b.yaml:14:23: warning: 10.1.0.128/25 in pool 'p' of b/c1 overlaps 10.1.0.0/24 in "
            "pool 'p' of a/c1 [site-pool-overlap]"
        ) in err, err
        assert "a.yaml:14:23: note: pool 'p' of a/c1" in err


def test_the_overlap_finding_is_the_one_a_whole_read_makes(tmp_path, capsys):
    sites = tmp_path / "sites"
    write(sites, "a.yaml", site_text("a", "10.1.0.0/24"))
    write(sites, "b.yaml", site_text("b", "10.1.0.128/25"))
    assert main(["validate", str(sites)]) == 0
    validate_out = capsys.readouterr().out
    _, _, err = render(capsys, str(sites), "--cluster", "a/c1")
    finding = [line for line in validate_out.splitlines() if "site-pool-overlap" in line]
    assert finding and all(line in err for line in finding)


def test_a_site_name_used_twice_is_still_reported(tmp_path, capsys):
    sites = tmp_path / "sites"
    write(sites, "a.yaml", site_text("a", "10.1.0.0/24"))
    write(sites, "b.yaml", site_text("b", "10.2.0.0/24"))
    write(sites, "c.yaml", site_text("b", "10.3.0.0/24"))
    status, out, err = render(capsys, str(sites), "--cluster", "a/c1")
    assert (status, out) == (1, "")
    assert "c.yaml:4:9: error: site 'b' is defined twice [site-duplicate-name]" in err


def test_another_site_s_own_errors_do_not_stop_render(tmp_path, capsys):
    sites = tmp_path / "sites"
    write(sites, "a.yaml", site_text("a", "10.1.0.0/24"))
    broken = "      services:\n        - {name: s, pool: nope}\n"
    write(sites, "b.yaml", site_text("b", "10.2.0.0/24", broken))
    status, out, err = render(capsys, str(sites), "--cluster", "a/c1")
    assert status == 0 and "kind: IPAddressPool" in out and err == ""
    status, out, err = render(capsys, str(sites), "--cluster", "b/c1")
    assert (status, out) == (1, "") and "[service-unknown-pool]" in err


def test_a_file_the_skim_cannot_read_is_summarized_as_validate_reads_it(tmp_path, capsys):
    sites = tmp_path / "sites"
    write(sites, "a.yaml", site_text("a", "10.1.0.0/24"))
    scalar = "      services:\n        - name: s\n          pool: nope\n          annotations:\n"
    scalar += "            note: |\n              text\n"
    write(sites, "b.yaml", site_text("b", "10.1.0.128/25", scalar))
    assert skim((sites / "b.yaml").read_text()) is None
    for cache in ((), ("--no-cache",)):
        status, out, err = render(capsys, *cache, str(sites), "--cluster", "a/c1")
        # b's own error is not render's, but its pools are compared with a's
        assert status == 0 and "kind: IPAddressPool" in out
        assert "[service-unknown-pool]" not in err and "[site-pool-overlap]" in err


def test_unknown_cluster_lists_every_cluster_known(small_fleet, capsys):
    status, out, err = render(capsys, str(small_fleet), "--cluster", "site-001/nope")
    assert (status, out) == (2, "")
    assert "site-000/c000" in err and "site-001/c001" in err and "site-002/c001" in err


def test_the_example_layout_renders_as_compiled(tmp_path, capsys):
    sites = tmp_path / "sites"
    shutil.copytree(EXAMPLES, sites)
    for cluster in ("edge-rollout/canary", "shared-l2/green"):
        status, out, err = render(capsys, str(sites), "--cluster", cluster)
        assert (status, err) == (0, "")
        assert out == compiled_cluster(capsys, tmp_path / cluster.replace("/", "-"), sites, cluster)
