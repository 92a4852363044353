"""The splices behind every fix: only the edited node's characters change (byte-identical
elsewhere), in block and flow style, and a splice YAML would read otherwise is never made."""

from __future__ import annotations

from typing import Any

import pytest

from gitops_lb.diagnostics import Diagnostic, Location, Severity
from gitops_lb.fix import engine, fix_facts
from gitops_lb.fix import yamltext as yt
from gitops_lb.fix.fixers import Plan
from tests.fix._inputs import POOL, cli


def src(text: str) -> yt.Source:
    parsed = yt.parse(text)
    assert parsed is not None
    return parsed


def annotations_of(s: yt.Source) -> Any:
    return yt.child(s.roots[0], "metadata", "annotations")


@pytest.mark.parametrize(
    ("text", "index", "after"),
    [
        pytest.param(
            "metadata:\n  annotations:\n    # first\n    a: 1   # one\n\n    b: 2\nspec: {}\n",
            0,
            "metadata:\n  annotations:\n    # first\n\n    b: 2\nspec: {}\n",
            id="block-first",
        ),
        pytest.param(
            "metadata:\n  annotations:\n    a: 1\n    b: 2   # two\n# after\nspec: {}\n",
            1,
            "metadata:\n  annotations:\n    a: 1\n# after\nspec: {}\n",
            id="block-last",
        ),
        pytest.param(
            "metadata:\n  annotations: {a: 1, b: 2, c: 3}   # flow\n",
            1,
            "metadata:\n  annotations: {a: 1, c: 3}   # flow\n",
            id="flow-middle",
        ),
        pytest.param(
            "metadata:\n  annotations: {a: 1, b: 2}\r\n",
            1,
            "metadata:\n  annotations: {a: 1}\r\n",
            id="flow-last",
        ),
    ],
)
def test_delete_entry_touches_only_the_entry(text, index, after):
    """Deleting one annotation leaves every other byte (comments, blank lines) in place."""
    s = src(text)
    edit = yt.delete_entry(s, annotations_of(s), index)
    assert yt.apply(text, [edit]) == after


def test_a_mapping_is_never_left_empty():
    s = src("metadata:\n  annotations:\n    a: 1\n")
    with pytest.raises(yt.Unfixable):
        yt.delete_entry(s, annotations_of(s), 0)


@pytest.mark.parametrize(
    ("text", "after"),
    [
        ("pools:\n  - web   # main\n  - db\n  - web\n", "pools:\n  - web   # main\n  - db\n"),
        ("pools: [web, db, web]\n", "pools: [web, db]\n"),
        ("pools: [web, web, db]\n", "pools: [web, db]\n"),
    ],
)
def test_delete_item(text, after):
    s = src(text)
    seq = yt.child(s.roots[0], "pools")
    assert seq is not None
    values = [n.value for n in seq.value]
    index = len(values) - 1 - values[::-1].index("web")
    assert yt.apply(text, [yt.delete_item(s, seq, index)]) == after


@pytest.mark.parametrize(
    ("style", "value", "written"),
    [
        (None, "metallb.io/address-pool", "metallb.io/address-pool"),
        ("'", "metallb.io/address-pool", "'metallb.io/address-pool'"),
        ('"', "metallb.io/address-pool", '"metallb.io/address-pool"'),
        (None, "yes", "'yes'"),  # plain would read as a boolean in YAML 1.1
        (None, "fd00::1", "fd00::1"),
        (None, "10.0.0.1, fd00::1", "'10.0.0.1, fd00::1'"),
        (None, "it's", "'it''s'"),
    ],
)
def test_quoting_keeps_the_style_and_the_string(style, value, written):
    assert yt.quoted(value, style) == written
    assert yt.plain_documents(f"k: {written}\n") == [{"k": value}]


def test_an_alias_is_not_edited(repo, capsys):
    """Annotations shared through a YAML anchor: renaming the key in one place would change
    the other Service too, so fix offers nothing and the file stays as written."""
    text = (
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  namespace: shop\n"
        "  annotations: &shared\n    metallb.universe.tf/address-pool: web\n"
        "spec: {type: LoadBalancer, ports: [{port: 80}]}\n---\n"
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: b\n  namespace: shop\n"
        "  annotations: *shared\nspec: {type: LoadBalancer, ports: [{port: 81}]}\n"
    )
    repo.write("svc.yaml", text)
    repo.write("pool.yaml", POOL)
    _, _, err = cli(capsys, "fix", "svc.yaml", "pool.yaml")
    assert (repo.root / "svc.yaml").read_text() == text
    assert "fixed 0 findings" in err


def test_a_splice_that_reads_otherwise_is_not_made():
    """A plan whose edit does not make the change it claims is left out (nothing written)."""
    text = "a: 1\nb: 2\n"
    ft = engine.FileText("f.yaml", text, False, text)

    def claims(data: Any) -> None:
        data["a"] = 3

    plan = Plan("duplicate-list-entry", (1, 4), "set a", True, ((3, 4, "4"),), 0, claims)
    d = Diagnostic("duplicate-list-entry", Severity.ERROR, "m", Location("f.yaml", 1, 4))
    assert engine.apply_file(ft, [(d, plan)]) == []
    assert ft.text == text


def test_duplicate_list_entry_is_fixed(repo, capsys):
    """An L2Advertisement that lists the web pool twice: fix deletes the second line only."""
    adv = (
        "apiVersion: metallb.io/v1beta1\nkind: L2Advertisement\nmetadata:\n  name: web\n"
        "  namespace: metallb-system\nspec:\n  ipAddressPools:\n    - web   # the web VLAN\n"
        "    - web\n"
    )
    repo.write("adv.yaml", adv)
    repo.write("pool.yaml", POOL)
    status, _, err = cli(capsys, "fix", "adv.yaml", "pool.yaml")
    assert "delete the repeated 'web' [duplicate-list-entry]" in err
    assert (repo.root / "adv.yaml").read_text() == adv.replace("    - web\n", "", 1)
    assert (repo.root / "adv.yaml").read_text().endswith("    - web   # the web VLAN\n")
    assert status == 0


REPEATS = """\
apiVersion: v1
kind: List
items:
  - apiVersion: metallb.io/v1beta1
    kind: BGPAdvertisement
    metadata: {name: web, namespace: metallb-system}
    spec:
      ipAddressPools: [web, web]
      communities: ["65000:1", "65000:2", "65000:1"]
      peers:
        - tor-a   # the first
        - tor-b
        - tor-a
"""


def test_repeated_entries_of_every_list_of_an_item_are_fixed(repo, capsys):
    """A BGPAdvertisement inside a `kind: List` repeating an entry of each of its lists (flow
    and block style): fix deletes exactly the repeats, each where the data has it."""
    repo.write("export.yaml", REPEATS)
    repo.write("pool.yaml", POOL)
    _, _, err = cli(capsys, "fix", "export.yaml", "pool.yaml")
    for line, column, text in ((8, 29, "'web'"), (9, 43, "'65000:1'"), (13, 11, "'tor-a'")):
        assert f"export.yaml:{line}:{column}: fixed: delete the repeated {text} [dup" in err, err
    assert "fixed 3 findings in 1 file" in err
    assert (repo.root / "export.yaml").read_text() == (
        REPEATS.replace("[web, web]", "[web]")
        .replace(', "65000:1"]', "]")
        .replace("        - tor-b\n        - tor-a\n", "        - tor-b\n")
    )


def test_rule_documentation_names_the_fix():
    """docs/rules.md and `explain` say for each rule whether it has a fix, and how safe."""
    assert fix_facts("pool-overlap") == "none"
    assert fix_facts("service-lbip-field").startswith("safe, moves the address")
    assert fix_facts("service-annotation-prefix-conflict").startswith("unsafe, ")


def test_only_the_documents_with_findings_are_composed():
    """parse() with lines composes just the documents holding them; the others are None and
    every document keeps its index (an empty `---` document, a comment before the first
    separator), and nodes keep their places in the whole text."""
    text = "# header\n---\na: 1\n---\n---\nb: [x]\r\n...\n---\nc: 3\n"
    s = yt.parse(text, {9})
    assert s is not None
    assert [r is None for r in s.roots] == [True, True, True, False]
    assert len(yt.plain_documents(text) or []) == 4
    c = yt.entry(s.roots[3], "c")
    assert c is not None and yt.pos(c[2]) == (9, 4) and text[c[2].start_mark.index] == "3"
    full = yt.parse(text)
    assert full is not None and len(full.roots) == 4


def test_a_file_with_a_broken_document_offers_no_fix(repo, capsys):
    """A syntax error in one document: lint still reports the v1beta1 peer of the next one,
    but no fix is offered (it could not be checked), and fix writes nothing."""
    peer = (
        "---\napiVersion: metallb.io/v1beta1\nkind: BGPPeer\nmetadata: {name: p, namespace: "
        "metallb-system}\nspec: {myASN: 1, peerASN: 2, peerAddress: 10.0.0.1, holdTime: 9s, "
        "keepaliveTime: 3s}\n"
    )
    repo.write("broken.yaml", "a: [1\n" + peer)
    _, out, _ = cli(capsys, "lint", "broken.yaml")
    assert "[peer-deprecated-version]" in out and "fixable" not in out
    _, _, err = cli(capsys, "fix", "broken.yaml")
    assert "fixed 0 findings" in err
    assert (repo.root / "broken.yaml").read_text() == "a: [1\n" + peer


def test_both_composers_plan_the_same_edits():
    """libyaml (lint's text report) and ruamel.yaml (fix, JSON, SARIF) locate the same nodes:
    the same plans, the same edits, on CRLF text too."""
    from gitops_lb.fix.fixers import FIXERS, plans
    from gitops_lb.metallb.versions import DEFAULT
    from tests.fix._inputs import METALLB, SERVICES

    for text in (
        METALLB + "---\n" + SERVICES,
        (METALLB + "---\n" + SERVICES).replace("\n", "\r\n"),
    ):
        lines = set(range(1, text.count("\n") + 2))
        slow, fast = yt.parse(text, lines), yt.parse(text, lines, fast=True)
        assert slow is not None and fast is not None
        got = [
            [(p.rule, p.anchor, p.edits, p.safe) for p in plans(s, set(FIXERS), DEFAULT)]
            for s in (slow, fast)
        ]
        assert got[0] == got[1] and len(got[0]) == 5


def test_lint_text_does_not_import_ruamel(repo):
    """The text report marks fixable findings without loading ruamel.yaml (pre-commit stays
    fast); the SARIF report loads it for the edits."""
    import subprocess
    import sys

    from tests.fix._inputs import SERVICES

    repo.write("svc.yaml", SERVICES)
    probe = (
        "import sys\nfrom gitops_lb.cli import main\nmain(sys.argv[1:])\n"
        "print('ruamel' in ' '.join(sys.modules), file=sys.stderr)\n"
    )
    for fmt, loaded in (("text", "False"), ("sarif", "True")):
        done = subprocess.run(
            [sys.executable, "-c", probe, "lint", "-f", fmt, "svc.yaml"],
            cwd=repo.root,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.stderr.splitlines()[-1] == loaded, done.stderr
        assert ("fixable" in done.stdout) == (fmt == "text")
