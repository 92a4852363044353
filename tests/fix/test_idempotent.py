"""`fix` is idempotent, and `lint` after `fix` reports no fixable finding: over the bundled
examples, the real-world corpus (when the shared folder is there) and generated variants of
real-looking manifests (CRLF line ends, a byte-order mark, flow style, several documents)."""

from __future__ import annotations

import difflib
import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gitops_lb.cli import main
from tests.fix._inputs import METALLB, SERVICES, cli
from tests.reference import shared_dir

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").rglob("*.yaml"))


def corpus() -> list[Path]:
    folder = shared_dir() / "reference" / "real-world"
    return sorted(folder.glob("*/resources.yaml")) if folder.is_dir() else []


def fixable_left(capsys: pytest.CaptureFixture[str], path: Path, *extra: str) -> list[str]:
    main(["lint", "--format", "json", *extra, str(path)])
    doc = json.loads(capsys.readouterr().out)
    return [f"{d['rule']}:{d['line']}" for d in doc["diagnostics"] if d["fix"] is not None]


def fix_twice(capsys: pytest.CaptureFixture[str], path: Path, *extra: str) -> None:
    """Fix once (safe and unsafe fixes), then again: the second run changes no byte, and lint
    finds nothing a fix could correct."""
    main(["fix", "--unsafe-fixes", *extra, str(path)])
    once = path.read_bytes()
    capsys.readouterr()
    main(["fix", "--unsafe-fixes", *extra, str(path)])
    err = capsys.readouterr().err
    assert path.read_bytes() == once, err
    assert "fixed 0 findings" in err or err == ""
    assert fixable_left(capsys, path, *extra) == []


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_examples(example, tmp_path, capsys):
    """Fixing a bundled example twice: the second run finds nothing to fix."""
    copy = tmp_path / example.name
    shutil.copyfile(example, copy)
    fix_twice(capsys, copy)


def test_real_world_corpus(tmp_path, capsys):
    """Each configuration of the corpus, fixed twice at the newest release: the second run
    changes nothing and lint then offers no fix."""
    cases = corpus()
    if not cases:
        pytest.skip(f"the real-world corpus is not at {shared_dir() / 'reference/real-world'}")
    for case in cases:
        copy = tmp_path / f"{case.parent.name}.yaml"
        shutil.copyfile(case, copy)
        fix_twice(capsys, copy, "--metallb-version", "v0.16.1")


# the lines a fix edits: an apiVersion, a MetalLB annotation, spec.loadBalancerIP, a list
# entry, or a flow mapping or list holding one of them
_FIXED_LINE = re.compile(r"apiVersion:|metallb|loadBalancerIP|^\s*- |\[|\{")


def test_corpus_fixes_touch_only_their_lines(tmp_path, capsys):
    """In the corpus, every line fix changes is one with what a fix edits; every other line
    is byte-identical and in its place."""
    cases = corpus()
    if not cases:
        pytest.skip(f"the real-world corpus is not at {shared_dir() / 'reference/real-world'}")
    changed = 0
    for case in cases:
        copy = tmp_path / f"{case.parent.name}.yaml"
        shutil.copyfile(case, copy)
        before = copy.read_text(encoding="utf-8-sig").splitlines(keepends=True)
        main(["fix", "--unsafe-fixes", str(copy)])
        after = copy.read_text(encoding="utf-8-sig").splitlines(keepends=True)
        capsys.readouterr()
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            edited = before[i1:i2] + after[j1:j2]
            assert all(_FIXED_LINE.search(line) for line in edited), (case.parent.name, edited)
            changed += 1
    assert changed >= 1  # the corpus has deprecated annotations and v1beta1 peers


def _variant(text: str, crlf: bool, bom: bool, flow_metadata: bool) -> bytes:
    if flow_metadata:
        text = text.replace(
            "metadata:\n  name: shop-tls\n  namespace: shop\n  annotations:\n"
            "    metallb.io/adress-pool: web\n",
            "metadata: {name: shop-tls, namespace: shop, annotations: "
            "{metallb.io/adress-pool: web}}\n",
        )
    if crlf:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    return b"\xef\xbb\xbf" + data if bom else data


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    style=st.tuples(st.booleans(), st.booleans(), st.booleans()),
    order=st.permutations([0, 1, 2, 3, 4]),
)
def test_generated_variants(tmp_path_factory, capsys, style, order):
    """The same manifests written otherwise (line ends, byte-order mark, flow metadata, the
    documents in another order): fix keeps the file's line ends and mark, a second run changes
    nothing, and no fixable finding is left."""
    crlf, bom, flow_metadata = style
    docs = (METALLB + "---\n" + SERVICES).split("---\n")[1:]
    text = "---\n".join(docs[i] for i in order)
    path = tmp_path_factory.mktemp("variant") / "all.yaml"
    path.write_bytes(_variant(text, crlf, bom, flow_metadata))
    fix_twice(capsys, path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") == bom
    assert (data.count(b"\r\n") == data.count(b"\n")) == crlf or not crlf
    if not crlf:
        assert b"\r" not in data
    text_after = data.decode("utf-8-sig")
    assert "metallb.io/v1beta2" in text_after
    assert "metallb.universe.tf" not in text_after
    assert "loadBalancerIP:" not in text_after
    status, _, _ = cli(capsys, "lint", str(path))
    assert status == 0
