"""`render --cluster` with the cache (docs/cache.md): the other files' summaries come from the
entries `validate` stores, and render prints the same bytes, exits the same and reports the
same findings with a cold cache, a warm one, one warmed by validate, a damaged one and none."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from gitops_lb import cache, yamlload
from gitops_lb.cli import main
from gitops_lb.site import skim as skimmer
from tests.cli.test_render_scope import site_text, write

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "sites"

Outcome = tuple[int, str, str]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "the-cache"
    monkeypatch.setenv(cache.ENV, str(folder))
    return folder


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files render checks as validate does, and ("skim", name) for those it skims:
    the work a cache hit saves."""
    names: list[str] = []

    def spy(raw: bytes, name: str, path: str | None = None) -> yamlload.LoadedFile:
        names.append(Path(name).name)
        return yamlload.load_bytes(raw, name, path)

    def skim_spy(text: str) -> str | None:
        names.append("skim")
        return skimmer.skim(text)

    monkeypatch.setattr("gitops_lb.scoped.load_bytes", spy)
    monkeypatch.setattr("gitops_lb.incremental.load_bytes", spy)
    monkeypatch.setattr("gitops_lb.scoped.skim", skim_spy)
    return names


def render(capsys: pytest.CaptureFixture[str], *args: str) -> Outcome:
    status = main(["render", *args])
    got = capsys.readouterr()
    return status, got.out, got.err


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in (folder / cache.ENTRIES).rglob("*") if p.is_file())


def every_way(
    capsys: pytest.CaptureFixture[str], cache_dir: Path, sites: Path, cluster: str
) -> Outcome:
    """render without the cache, then cold, warm, and warmed by validate: all alike."""
    args = (str(sites), "--cluster", cluster)
    shutil.rmtree(cache_dir, ignore_errors=True)
    plain = render(capsys, "--no-cache", *args)
    assert not cache_dir.exists()  # --no-cache writes nothing
    cold = render(capsys, *args)
    warm = render(capsys, *args)
    assert cold == plain and warm == plain
    shutil.rmtree(cache_dir, ignore_errors=True)
    main(["validate", str(sites)])
    capsys.readouterr()
    assert render(capsys, *args) == plain
    return plain


def test_a_warm_cache_reads_only_the_files_of_the_site(small_fleet, cache_dir, capsys, parsed):
    args = (str(small_fleet), "--cluster", "site-001/c000")
    first = render(capsys, *args)
    assert first[0] == 0 and first[2] == ""
    # a miss skims the file and stores what render needs of it
    assert parsed == ["skim", "skim"]
    assert len(entries(cache_dir)) == 2
    parsed.clear()
    assert render(capsys, *args) == first
    assert parsed == []  # every other file's summaries came from its entry
    assert render(capsys, "--no-cache", *args) == first


def test_a_file_the_skim_cannot_read_gets_validate_s_entry(tmp_path, cache_dir, capsys, parsed):
    sites = tmp_path / "sites"
    write(sites, "a.yaml", site_text("a", "10.1.0.0/24"))
    write(sites, "b.yaml", site_text("b", "10.1.0.128/25", SCALAR_ERROR))
    first = render(capsys, str(sites), "--cluster", "a/c1")
    assert parsed == ["skim", "b.yaml"]  # the skim gave up: checked as validate checks it
    parsed.clear()
    assert main(["validate", "--no-cache", str(sites)]) == 1
    capsys.readouterr()
    written = entries(cache_dir)
    assert main(["validate", str(sites)]) == 1  # finds b's entry, stores a's
    capsys.readouterr()
    assert parsed == ["a.yaml"] and len(entries(cache_dir)) == len(written) + 1
    parsed.clear()
    assert render(capsys, str(sites), "--cluster", "a/c1") == first
    assert parsed == [] and "[site-pool-overlap]" in first[2]


def test_render_reads_the_entries_validate_wrote(small_fleet, cache_dir, capsys, parsed):
    assert main(["validate", str(small_fleet)]) == 0
    capsys.readouterr()
    written = entries(cache_dir)
    parsed.clear()
    status, out, err = render(capsys, str(small_fleet), "--cluster", "site-002/c001")
    assert (status, err) == (0, "") and "kind: IPAddressPool" in out
    assert parsed == [] and entries(cache_dir) == written


def test_after_another_file_changes_only_that_file_is_checked(tmp_path, cache_dir, capsys, parsed):
    sites = tmp_path / "sites"
    write(sites, "a.yaml", site_text("a", "10.1.0.0/24"))
    write(sites, "b.yaml", site_text("b", "10.2.0.0/24"))
    write(sites, "c.yaml", site_text("c", "10.3.0.0/24"))
    render(capsys, str(sites), "--cluster", "a/c1")
    parsed.clear()
    write(sites, "c.yaml", site_text("c", "10.1.0.128/25"))  # now overlaps a
    status, out, err = render(capsys, str(sites), "--cluster", "a/c1")
    assert parsed == ["skim"]  # c.yaml only
    assert status == 0 and "[site-pool-overlap]" in err and "c.yaml:14:23" in err
    assert render(capsys, "--no-cache", str(sites), "--cluster", "a/c1") == (status, out, err)


@pytest.mark.parametrize("cluster", ["site-000/c000", "site-001/c001", "site-002/c000"])
def test_the_small_fleet_renders_alike_every_way(small_fleet, cache_dir, capsys, cluster):
    status, out, err = every_way(capsys, cache_dir, small_fleet, cluster)
    assert (status, err) == (0, "") and out


def test_the_examples_render_alike_every_way(tmp_path, cache_dir, capsys):
    sites = tmp_path / "sites"
    shutil.copytree(EXAMPLES, sites)
    for cluster in ("edge-rollout/canary", "shared-l2/green"):
        status, out, err = every_way(capsys, cache_dir, sites, cluster)
        assert status == 0 and out, err


SCALAR_ERROR = "      services:\n        - name: s\n          pool: nope\n          annotations:\n"
SCALAR_ERROR += "            note: |\n              text\n"  # a block scalar: the skim gives up
OTHERS: dict[str, str] = {
    "overlap": site_text("b", "10.1.0.128/25"),
    "duplicate-name": site_text("a", "10.9.0.0/24"),
    "own-error": site_text("b", "10.2.0.0/24", "      services:\n        - {name: s, pool: no}\n"),
    "own-error-unskimmable": site_text("b", "10.2.0.0/24", SCALAR_ERROR),
    "schema-error": site_text("b", "10.2.0.0/24").replace("server:", "servr:"),
    "yaml-error": site_text("b", "10.2.0.0/24") + "  : [\n",
    "not-a-site": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
    "no-name": site_text("b", "10.2.0.0/24").replace("  name: b\n", "  labels: {}\n"),
    "names-the-site": site_text("b", "10.2.0.0/24").replace("- name: p", "- name: a"),
    "two-sites": site_text("b", "10.2.0.0/24") + "---\n" + site_text("c", "10.1.0.0/26"),
    "empty": "",
}


@pytest.mark.parametrize("other", sorted(OTHERS))
def test_what_another_file_holds_renders_alike_every_way(other, tmp_path, cache_dir, capsys):
    sites = tmp_path / "sites"
    write(sites, "a.yaml", site_text("a", "10.1.0.0/24"))
    write(sites, "b.yaml", OTHERS[other])
    every_way(capsys, cache_dir, sites, "a/c1")


def test_another_site_s_own_errors_never_stop_render(tmp_path, cache_dir, capsys):
    sites = tmp_path / "sites"
    write(sites, "a.yaml", site_text("a", "10.1.0.0/24"))
    for name in ("own-error", "own-error-unskimmable", "schema-error"):
        write(sites, "b.yaml", OTHERS[name])
        status, out, err = every_way(capsys, cache_dir, sites, "a/c1")
        assert (status, err) == (0, "") and "kind: IPAddressPool" in out, name


def test_a_file_that_cannot_be_read_cleanly_is_reported(tmp_path, cache_dir, capsys):
    sites = tmp_path / "sites"
    write(sites, "a.yaml", site_text("a", "10.1.0.0/24"))
    write(sites, "b.yaml", OTHERS["yaml-error"])
    status, out, err = every_way(capsys, cache_dir, sites, "a/c1")
    assert (status, out) == (1, "") and "b.yaml:" in err


def damaged(data: bytes) -> list[bytes]:
    head, _, body = data.partition(b"\n")
    return [data[: len(data) // 2], b"garbage", head + b"\n" + body.replace(b"[", b"{", 1), b""]


def test_a_damaged_entry_is_ignored_and_rewritten(small_fleet, cache_dir, capsys):
    args = (str(small_fleet), "--cluster", "site-000/c001")
    good = render(capsys, *args)
    written = {p: p.read_bytes() for p in entries(cache_dir)}
    assert written
    for i in range(4):
        for path, data in written.items():
            path.write_bytes(damaged(data)[i])
        assert render(capsys, *args) == good
        assert {p: p.read_bytes() for p in entries(cache_dir)} == written


def test_a_well_formed_entry_of_the_wrong_shape_is_made_again(small_fleet, cache_dir, capsys):
    args = (str(small_fleet), "--cluster", "site-000/c001")
    good = render(capsys, *args)
    written = {p: p.read_bytes() for p in entries(cache_dir)}
    for path in written:
        payload: Any = {"fatal": False, "issues": False, "names": ["x"], "candidates": 1}
        payload["sites"] = [{"clusters": ["x/c"], "targets": 2}]
        path.write_bytes(cache.entry_bytes(path.name, payload))
    assert render(capsys, *args) == good
    assert {p: p.read_bytes() for p in entries(cache_dir)} == written
