"""The on-disk cache of `validate` (docs/cache.md, gitops_lb.cache and gitops_lb.incremental).

Whatever the cache holds, the findings are byte for byte those of --no-cache: on every
example, and after every step of random edit sequences. A damaged, foreign or concurrently
written entry is never trusted and never fatal; no secret reaches the cache; a cache folder
that cannot be written changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gitops_lb import cache, yamlload
from gitops_lb.cli import main
from tests.site.helpers import site

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").rglob("*.yaml"))
FORMATS = ("json", "text")
PASSWORD = "hunter2-not-for-the-cache"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(["validate", *argv])
    return status, capsys.readouterr().out


def outputs(capsys: pytest.CaptureFixture[str], *paths: str) -> dict[str, tuple[int, str]]:
    """Each report format's (status, output), with the cache and without."""
    out = {}
    for fmt in FORMATS:
        out[f"cached-{fmt}"] = run(capsys, "-f", fmt, *paths)
        out[f"plain-{fmt}"] = run(capsys, "--no-cache", "-f", fmt, *paths)
    return out


def assert_same(capsys: pytest.CaptureFixture[str], *paths: str) -> dict[str, tuple[int, str]]:
    got = outputs(capsys, *paths)
    for fmt in FORMATS:
        assert got[f"cached-{fmt}"] == got[f"plain-{fmt}"], fmt
    return got


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in (folder / cache.ENTRIES).rglob("*") if p.is_file())


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "the-cache"
    monkeypatch.setenv(cache.ENV, str(folder))
    return folder


# --- site texts the tests vary ---------------------------------------------------------------


def pool(name: str, block: str, *, typo: bool = False) -> str:
    key = "adresses" if typo else "addresses"
    return f"      - name: {name}\n        {key}: [{block}]\n        l2: {{}}\n"


def site_text(
    name: str, pools: list[list[str]], *, typos: frozenset[str] = frozenset(), broken: bool = False
) -> str:
    """A site with one cluster per list of pool blocks, a BGP peer with a password."""
    body = "networks:\n  - name: n1\n    cidr: 10.0.0.0/16\nclusters:\n"
    for c, blocks in enumerate(pools):
        body += f"  - name: c{c}\n    server: https://c{c}:6443\n"
        if blocks:
            body += "    pools:\n"
            body += "".join(
                pool(f"p{i}", b, typo=f"c{c}/p{i}" in typos) for i, b in enumerate(blocks)
            )
        body += (
            "    bgpPeers:\n      - name: tor\n        myASN: 64512\n        peerASN: 64513\n"
            f"        peerAddress: 10.1.0.1\n        password: {PASSWORD}\n"
        )
    text = site(body, name=name)
    return text + "---\nbad: [unclosed\n" if broken else text


def write_fleet(folder: Path) -> list[Path]:
    """Three sites whose pools overlap inside a site and across sites."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    layout = {
        "a": [["10.0.0.0/28", "10.0.1.0/28"], ["10.0.0.8/29"]],
        "b": [["10.0.1.0/29"], ["10.0.2.0/28"]],
        "c": [["10.0.3.0/28"]],
    }
    for name, pools in layout.items():
        path = folder / f"{name}.yaml"
        path.write_text(site_text(name, pools), encoding="utf-8")
        files.append(path)
    return files


# --- equal findings ----------------------------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_example_gives_the_same_findings_with_the_cache(example, cache_dir, capsys):
    cold = assert_same(capsys, str(example))
    assert entries(cache_dir)  # the cache was written ...
    warm = assert_same(capsys, str(example))  # ... and read
    assert cold == warm


def test_the_example_folders_give_the_same_findings(cache_dir, capsys):
    for folder in ("examples/sites", "examples"):
        assert_same(capsys, str(ROOT / folder))
        assert_same(capsys, str(ROOT / folder))


def test_findings_across_files_come_from_the_summaries(tmp_path, cache_dir, capsys):
    write_fleet(tmp_path / "sites")
    first = assert_same(capsys, str(tmp_path / "sites"))
    status, text = first["cached-text"]
    assert status == 1
    assert "[site-pool-overlap]" in text  # a and b overlap across sites
    assert "[site-duplicate-name]" not in text
    (tmp_path / "sites" / "d.yaml").write_text(site_text("a", [["10.9.0.0/28"]]), "utf-8")
    again = assert_same(capsys, str(tmp_path / "sites"))
    assert "[site-duplicate-name]" in again["cached-text"][1]


# --- what is read again ------------------------------------------------------------------------


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files validate parses (the work the cache saves)."""
    names: list[str] = []

    def spy(raw: bytes, name: str, path: str | None = None) -> yamlload.LoadedFile:
        names.append(name)
        return yamlload.load_bytes(raw, name, path)

    monkeypatch.setattr("gitops_lb.incremental.load_bytes", spy)
    return names


def test_after_one_change_only_that_file_is_read(tmp_path, cache_dir, capsys, parsed):
    files = write_fleet(tmp_path / "sites")
    run(capsys, str(tmp_path / "sites"))
    assert sorted(parsed) == sorted(str(f) for f in files)
    parsed.clear()
    run(capsys, str(tmp_path / "sites"))
    assert parsed == []
    files[1].write_text(site_text("b", [["10.0.0.0/29"]]), encoding="utf-8")
    _, out = run(capsys, "-f", "json", str(tmp_path / "sites"))
    assert parsed == [str(files[1])]
    parsed.clear()
    assert run(capsys, "--no-cache", "-f", "json", str(tmp_path / "sites"))[1] == out


def test_no_cache_neither_reads_nor_writes(tmp_path, cache_dir, capsys):
    write_fleet(tmp_path / "sites")
    run(capsys, "--no-cache", str(tmp_path / "sites"))
    assert not cache_dir.exists()


def test_the_cache_ignores_itself_and_defaults_to_the_current_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(cache.ENV)
    write_fleet(tmp_path / "sites")
    monkeypatch.chdir(tmp_path)
    run(capsys, "sites")
    folder = tmp_path / cache.DEFAULT_DIR
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert len(entries(folder)) == 3


# --- keys --------------------------------------------------------------------------------------


def test_options_that_change_findings_are_in_the_key(tmp_path, cache_dir, capsys):
    write_fleet(tmp_path / "sites")
    sites = str(tmp_path / "sites")
    for argv in (
        [sites],
        ["--disable", "site-password-in-clear", sites],
        ["--metallb-compat", sites],
        [sites],
    ):
        assert run(capsys, "-f", "json", *argv) == run(capsys, "--no-cache", "-f", "json", *argv)
    assert len(entries(cache_dir)) == 9  # three files under three settings


def test_the_configuration_file_is_in_the_key(tmp_path, cache_dir, capsys, monkeypatch):
    write_fleet(tmp_path / "sites")
    monkeypatch.chdir(tmp_path)
    before = run(capsys, "-f", "json", "sites")
    (tmp_path / ".gitops-lb.yaml").write_text("disable: [site-pool-overlap]\n", "utf-8")
    after = run(capsys, "-f", "json", "sites")
    assert after == run(capsys, "--no-cache", "-f", "json", "sites")
    assert before != after


def test_a_new_version_does_not_read_the_old_entries(
    tmp_path, cache_dir, capsys, monkeypatch, parsed
):
    files = write_fleet(tmp_path / "sites")
    run(capsys, str(tmp_path / "sites"))
    old = {p: p.read_bytes() for p in entries(cache_dir)}
    monkeypatch.setattr(cache, "__version__", "99.0.0")
    parsed.clear()
    assert_same(capsys, str(tmp_path / "sites"))
    assert len(parsed) == len(files)  # every file read again: nothing of 0.1.0 trusted
    for path, data in old.items():  # the old entries are left as they were, unread
        assert path.read_bytes() == data
    headers = [json.loads(p.read_bytes().partition(b"\n")[0]) for p in entries(cache_dir)]
    assert sorted(h["gitops-lb"] for h in headers) == ["0.1.0"] * 3 + ["99.0.0"] * 3


def test_a_changed_package_makes_new_keys(monkeypatch):
    a = cache.Cache(Path("x"), {}).key("f.yaml", b"x")
    monkeypatch.setattr(cache, "package_fingerprint", lambda: "another")
    assert cache.Cache(Path("x"), {}).key("f.yaml", b"x") != a
    assert cache.Cache(Path("x"), {"options": 1}).key("f.yaml", b"x") != a


# --- damaged entries ---------------------------------------------------------------------------


def damage_truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def damage_garbage(data: bytes) -> bytes:
    return b"\x00\xff garbage \x80"


def damage_flipped(data: bytes) -> bytes:  # one byte of the body changed: the hash fails
    i = len(data) - 5
    return data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1 :]


def damage_foreign(data: bytes) -> bytes:
    head, _, body = data.partition(b"\n")
    header = json.loads(head)
    header["gitops-lb"] = "0.0.1"
    return json.dumps(header).encode() + b"\n" + body


def damage_empty(data: bytes) -> bytes:
    return b""


def damage_shape(data: bytes) -> bytes:
    """A whole entry, rightly hashed, whose payload has the wrong shape."""
    head, _, _ = data.partition(b"\n")
    return cache.entry_bytes(json.loads(head)["key"], {"diags": [["nonsense"]]})


def damage_nested(data: bytes) -> bytes:
    """A rightly hashed entry nested deeper than any reader recurses."""
    head, _, _ = data.partition(b"\n")
    body = b"[" * 100_000 + b"]" * 100_000
    header = json.loads(head)
    header["sha256"] = hashlib.sha256(body).hexdigest()
    return json.dumps(header).encode() + b"\n" + body


@pytest.mark.parametrize(
    "damage",
    [
        damage_truncated,
        damage_garbage,
        damage_flipped,
        damage_foreign,
        damage_empty,
        damage_shape,
        damage_nested,
    ],
)
def test_a_damaged_entry_is_ignored_and_rewritten(damage, tmp_path, cache_dir, capsys):
    write_fleet(tmp_path / "sites")
    sites = str(tmp_path / "sites")
    good = assert_same(capsys, sites)
    written = {p: p.read_bytes() for p in entries(cache_dir)}
    for path, data in written.items():
        path.write_bytes(damage(data))
    assert assert_same(capsys, sites) == good
    assert {p: p.read_bytes() for p in entries(cache_dir)} == written  # whole again


def test_an_entry_moved_to_another_key_is_not_trusted(tmp_path, cache_dir, capsys):
    files = write_fleet(tmp_path / "sites")
    sites = str(tmp_path / "sites")
    good = assert_same(capsys, sites)
    found = entries(cache_dir)
    data = [p.read_bytes() for p in found]
    for path, other in zip(found, data[1:] + data[:1], strict=True):  # each holds another's
        path.write_bytes(other)
    assert assert_same(capsys, sites) == good
    assert len(files) == len(found)


# --- where the cache cannot be written --------------------------------------------------------


def test_an_unwritable_cache_folder_is_skipped_silently(tmp_path, capsys, monkeypatch):
    write_fleet(tmp_path / "sites")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be\n", encoding="utf-8")
    monkeypatch.setenv(cache.ENV, str(blocker))
    status, out = run(capsys, "-f", "json", str(tmp_path / "sites"))
    assert capsys.readouterr().err == ""
    assert (status, out) == run(capsys, "--no-cache", "-f", "json", str(tmp_path / "sites"))
    assert blocker.read_text(encoding="utf-8").startswith("a file")


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes read-only folders"
)
def test_a_read_only_cache_folder_is_skipped_silently(tmp_path, cache_dir, capsys):
    write_fleet(tmp_path / "sites")
    cache_dir.mkdir()
    cache_dir.chmod(0o500)
    try:
        got = assert_same(capsys, str(tmp_path / "sites"))
        assert got["cached-json"][0] == 1
        assert capsys.readouterr().err == ""
        assert list(cache_dir.iterdir()) == []
    finally:
        cache_dir.chmod(0o700)


# --- secrets -----------------------------------------------------------------------------------


def test_no_secret_reaches_the_cache(tmp_path, cache_dir, capsys):
    write_fleet(tmp_path / "sites")
    _, out = run(capsys, str(tmp_path / "sites"))
    assert "[site-password-in-clear]" in out  # the password is there, and reported
    assert (tmp_path / "sites" / "a.yaml").read_text(encoding="utf-8").count(PASSWORD)
    found = entries(cache_dir)
    assert found
    for path in found:
        assert PASSWORD.encode() not in path.read_bytes()
        assert b"hunter2" not in path.read_bytes()


# --- concurrent writers ------------------------------------------------------------------------

WRITER = """
import sys
from pathlib import Path
from gitops_lb.cache import Cache
c = Cache(Path(sys.argv[1]), {})
key = c.key("f.yaml", b"content")
payload = {"writer": sys.argv[2], "filler": sys.argv[2] * 20000}
for _ in range(200):
    c.put(key, payload)
    got = c.get(key)
    assert got is not None and got["filler"] == got["writer"] * 20000, got and got["writer"]
"""


def test_two_processes_writing_one_entry_leave_it_whole(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), w], env=env)
        for w in ("a", "b")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    (entry,) = entries(tmp_path)
    c = cache.Cache(tmp_path, {})
    got = c.get(c.key("f.yaml", b"content"))
    assert got is not None and got["writer"] in ("a", "b")
    assert [p.name for p in entry.parent.iterdir()] == [entry.name]  # no temporary left


def test_two_validate_runs_at_once_share_the_cache(tmp_path, cache_dir, capsys):
    write_fleet(tmp_path / "sites")
    sites = str(tmp_path / "sites")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "gitops_lb", "validate", "-f", "json", sites]
    for _ in range(3):
        procs = [
            subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)
        ]
        outs = [p.communicate(timeout=120)[0] for p in procs]
        assert outs[0] == outs[1]
    assert outs[0] == run(capsys, "--no-cache", "-f", "json", sites)[1]
    assert len(entries(cache_dir)) == 3


# --- random edit sequences ---------------------------------------------------------------------

BLOCKS = ("10.0.0.0/28", "10.0.0.8/29", "10.0.1.0/28", "10.0.0.0/27", "10.0.2.0/29", "bogus")
SITE_NAMES = ("a", "b", "c")

edits = st.one_of(
    st.tuples(
        st.just("add"), st.sampled_from(SITE_NAMES), st.integers(0, 1), st.sampled_from(BLOCKS)
    ),
    st.tuples(st.just("remove"), st.sampled_from(SITE_NAMES), st.integers(0, 1), st.integers(0, 3)),
    st.tuples(
        st.just("modify"), st.sampled_from(SITE_NAMES), st.integers(0, 1), st.sampled_from(BLOCKS)
    ),
    st.tuples(st.just("typo"), st.sampled_from(SITE_NAMES), st.integers(0, 1), st.integers(0, 3)),
    st.tuples(st.just("syntax"), st.sampled_from(SITE_NAMES), st.just(0), st.just(0)),
    st.tuples(
        st.just("rename"), st.sampled_from(SITE_NAMES), st.just(0), st.sampled_from(SITE_NAMES)
    ),
    st.tuples(st.just("delete"), st.sampled_from(SITE_NAMES), st.just(0), st.just(0)),
)


class Fleet:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pools = {n: [["10.0.0.0/28"], ["10.0.1.0/28"]] for n in SITE_NAMES}
        self.names = {n: n for n in SITE_NAMES}
        self.typos: dict[str, set[str]] = {n: set() for n in SITE_NAMES}
        self.broken = dict.fromkeys(SITE_NAMES, False)
        self.present = dict.fromkeys(SITE_NAMES, True)

    def apply(self, edit: tuple[str, str, int, object]) -> None:
        op, s, c, arg = edit
        blocks = self.pools[s][c]
        if op == "add":
            blocks.append(str(arg))
        elif op == "remove" and blocks:
            blocks.pop(int(str(arg)) % len(blocks))
        elif op == "modify" and blocks:
            blocks[-1] = str(arg)
        elif op == "typo":
            self.typos[s] ^= {f"c{c}/p{arg}"}
        elif op == "syntax":
            self.broken[s] = not self.broken[s]
        elif op == "rename":
            self.names[s] = str(arg)
        elif op == "delete":
            self.present[s] = not self.present[s]

    def write(self) -> None:
        for s in SITE_NAMES:
            path = self.folder / f"{s}.yaml"
            if not self.present[s]:
                path.unlink(missing_ok=True)
                continue
            text = site_text(
                self.names[s], self.pools[s], typos=frozenset(self.typos[s]), broken=self.broken[s]
            )
            path.write_text(text, encoding="utf-8")


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=st.lists(edits, min_size=1, max_size=6))
def test_random_edit_sequences_give_the_same_findings(sequence, capsys, monkeypatch):
    with tempfile.TemporaryDirectory() as tmp:
        monkeypatch.setenv(cache.ENV, str(Path(tmp) / "cache"))
        fleet = Fleet(Path(tmp) / "sites")
        fleet.folder.mkdir()
        fleet.write()
        assert_same(capsys, str(fleet.folder))
        for edit in sequence:
            fleet.apply(edit)
            fleet.write()
            assert_same(capsys, str(fleet.folder))
        for path in (Path(tmp) / "cache").rglob("*"):
            if path.is_file():
                assert PASSWORD.encode() not in path.read_bytes()


# --- the pre-commit path -----------------------------------------------------------------------


def test_staged_runs_use_the_cache_and_leave_the_repository_clean(tmp_path, capsys, monkeypatch):
    from tests.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    monkeypatch.chdir(repo.root)
    monkeypatch.delenv(cache.ENV)  # the default: .gitops-lb-cache/ where pre-commit runs
    write_fleet(repo.root / "sites")
    repo.commit("sites")
    assert repo.git("status", "--porcelain").stdout == ""
    for _ in range(2):
        assert_same(capsys, "--staged", "sites")
    assert len(entries(repo.root / cache.DEFAULT_DIR)) == 3
    (repo.root / "sites" / "b.yaml").write_text(site_text("b", [["10.0.0.0/29"]]), "utf-8")
    repo.git("add", "sites/b.yaml")
    got = assert_same(capsys, "--staged", "sites")
    assert '"file": "sites/b.yaml"' in got["cached-json"][1]
    # the cache ignores itself: only the staged edit shows
    assert repo.git("status", "--porcelain", "--untracked-files=all").stdout == "M  sites/b.yaml\n"
