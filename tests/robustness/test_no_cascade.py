"""No cascades: a schema mistake anywhere in the bundled examples adds no finding elsewhere.

Every key of every example (site specs and manifests) is misspelt in turn, and every scalar
value in turn replaced by values of the wrong type. Each edit that the schema rules report on
its own line is a mistake of its own; any other finding it adds, on another line, would be a
consequence of it (issue 12: one finding per mistake), so there must be none.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gitops_lb.check import check_files
from gitops_lb.manifests import config_from_files
from gitops_lb.rules import run_rules
from gitops_lb.site.load import sites_from_files
from gitops_lb.yamlload import load_text

ROOT = Path(__file__).resolve().parents[2]
SITES = sorted((ROOT / "examples" / "sites").glob("*.yaml"))
MANIFESTS = [
    ROOT / "examples" / "manifests" / "seed-guide.yaml",
    ROOT / "tests" / "robustness" / "data" / "every-field.yaml",
]
# the finding of the edit itself (object-missing-type: apiVersion or kind misspelt)
OWN = frozenset({"schema-unknown-field", "schema-invalid", "object-missing-type"})
WRONG_TYPES = (" {x: 1}", " [[1]]", " 99999999999999999999999", " true")

KEY = re.compile(r"^(?P<pre> *(?:- )?)(?P<key>[A-Za-z][\w./-]*):(?P<rest>.*)$")
FLOW_KEY = re.compile(r"(?<=[{,] )(?P<key>[A-Za-z][\w./-]*):")

Found = set[tuple[str, int]]


def lint(text: str) -> Found:
    cfg = config_from_files([load_text(text, "t.yaml")])
    return {(d.rule, d.location.line) for d in run_rules(cfg)}


def validate(text: str) -> Found:
    result = check_files([load_text(text, "t.yaml")])
    return {(d.rule, d.location.line) for d in result.diagnostics}


def edits(text: str) -> Iterator[tuple[int, str, str]]:
    """(line, what, edited text): each key misspelt, each scalar value of a wrong type."""
    lines = text.splitlines(keepends=True)
    for n, line in enumerate(lines):
        before, after = "".join(lines[:n]), "".join(lines[n + 1 :])
        m = KEY.match(line.rstrip("\n"))
        if m is not None:
            yield n + 1, m["key"], f"{before}{m['pre']}{m['key']}x:{m['rest']}\n{after}"
            value = m["rest"].strip()
            if value and not value.startswith(("|", ">", "&", "*", "#")):
                for wrong in WRONG_TYPES:
                    yield (
                        n + 1,
                        f"{m['key']}:{wrong}",
                        f"{before}{m['pre']}{m['key']}:{wrong}\n{after}",
                    )
        for fm in FLOW_KEY.finditer(line):
            edited = line[: fm.start("key")] + fm["key"] + "x" + line[fm.end("key") :]
            yield n + 1, f"{{{fm['key']}}}", f"{before}{edited}{after}"


def cascades(path: Path, check: Callable[[str], Found]) -> list[str]:
    text = path.read_text(encoding="utf-8")
    base = check(text)
    out: list[str] = []
    for line, what, edited in edits(text):
        got = check(edited)
        if not any(rule in OWN and at == line for rule, at in got):
            continue  # not a schema mistake (a label key, say): it may change any verdict
        extra = sorted((r, at) for r, at in got - base if at != line and r not in OWN)
        if extra:
            out.append(f"{path.name}:{line} {what}: {extra}")
    return out


@pytest.mark.parametrize("path", SITES, ids=lambda p: p.name)
def test_no_schema_mistake_in_a_site_spec_cascades(path: Path) -> None:
    assert cascades(path, validate) == []


@pytest.mark.parametrize("path", SITES, ids=lambda p: p.name)
def test_a_site_with_a_schema_mistake_is_still_checked(path: Path) -> None:
    # quiet because nothing else was checked would pass the test above: most edits leave a
    # site to check (those that do not break what identifies the site or its clusters)
    text = path.read_text(encoding="utf-8")
    mistakes = [e for _, _, e in edits(text) if OWN & {r for r, _ in validate(e)}]
    checked = [e for e in mistakes if sites_from_files([load_text(e, "t.yaml")]).sites]
    assert len(checked) > 0.8 * len(mistakes)


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_no_schema_mistake_in_manifests_cascades(path: Path) -> None:
    assert cascades(path, lint) == []


def test_the_edits_are_schema_mistakes_and_would_show_a_cascade() -> None:
    text = MANIFESTS[1].read_text(encoding="utf-8")
    reported = [line for line, _, edited in edits(text) if (OWN & {r for r, _ in lint(edited)})]
    assert len(reported) > 50  # most edits are mistakes the schema rules report
    # a pool dropped whole (the loader of old) would make its advertisements name nothing
    dropped = re.sub(r"(?ms)^apiVersion: metallb.io/v1beta1\nkind: IPAddressPool.*?---\n", "", text)
    assert {r for r, _ in lint(dropped) - lint(text)} >= {"adv-unknown-pool"}
