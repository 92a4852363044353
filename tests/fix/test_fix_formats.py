"""What lint's reports say about fixes: `[fixable]` in text, a `fix` object in JSON, SARIF
`fixes` that GitHub shows as suggestions (and that make exactly the edit `fix` makes)."""

from __future__ import annotations

import json

import jsonschema

from tests.fix._inputs import METALLB, SERVICES, cli
from tests.gitrepo import GitRepo
from tests.reference import reference


def setup(repo: GitRepo) -> None:
    repo.write("clusters/edge/metallb.yaml", METALLB)
    repo.write("apps/shop/services.yaml", SERVICES)


def test_text_marks_the_fixable_findings_and_counts_them(repo, capsys):
    """Each finding fix corrects ends with [fixable]; the last line says how many."""
    setup(repo)
    status, out, _ = cli(capsys, "lint", "apps", "clusters")
    lines = out.splitlines()
    assert lines[-2] == "1 error, 4 warnings in 2 files"
    assert lines[-1] == "5 fixable with `gitops-lb fix`"
    assert all(line.endswith("[fixable]") for line in lines[:-2])
    assert status == 1


def test_text_without_fixable_findings_has_no_fix_line(repo, capsys):
    """A finding no fix can correct (an address outside every pool) gets no marker, and
    there is no "fixable" line."""
    svc = (
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\n  namespace: shop\n"
        "  annotations:\n    metallb.io/loadBalancerIPs: 10.99.0.1\n"
        "spec:\n  type: LoadBalancer\n  ports: [{port: 5432}]\n"
    )
    repo.write("svc.yaml", svc)
    status, out, _ = cli(capsys, "lint", "svc.yaml")
    assert out == (
        "svc.yaml:7:33: error: Service shop/db: 10.99.0.1 is not inside any IPAddressPool "
        "(the input holds no IPAddressPool) [service-ip-outside-pool]\n"
        "1 error, 0 warnings in 1 file\n"
    )
    assert status == 1


def _apply_sarif(text: str, replacements: list[dict[str, object]]) -> str:
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(line: int, col: int) -> int:
        return starts[line - 1] + col - 1

    out = text
    edits = []
    for r in replacements:
        region = r["deletedRegion"]
        assert isinstance(region, dict)
        start = offset(region["startLine"], region["startColumn"])
        end = offset(region["endLine"], region["endColumn"])
        inserted = r["insertedContent"]
        assert isinstance(inserted, dict)
        edits.append((start, end, inserted["text"]))
    for start, end, new in sorted(edits, reverse=True):
        out = out[:start] + new + out[end:]
    return out


def test_sarif_results_carry_fixes_that_make_the_fix(repo, capsys):
    """GitHub code scanning shows each fix as a suggested change: the SARIF validates
    against the 2.1.0 schema, and applying a result's replacements gives the file `fix`
    writes for that finding."""
    setup(repo)
    _, out, _ = cli(capsys, "lint", "--format", "sarif", "apps/shop/services.yaml", "clusters/edge")
    doc = json.loads(out)
    schema = json.loads(reference("sarif-schema-2.1.0.json", "the SARIF 2.1.0 schema").read_text())
    jsonschema.validate(doc, schema)
    results = doc["runs"][0]["results"]
    fixes = {r["ruleId"]: r["fixes"] for r in results if "fixes" in r}
    assert set(fixes) == {
        "peer-deprecated-version",
        "service-deprecated-annotation",
        "service-unknown-annotation",
        "service-lbip-field",
    }
    lbip = fixes["service-lbip-field"][0]
    assert lbip["description"]["text"] == (
        "move spec.loadBalancerIP '10.20.0.10' to the metallb.io/loadBalancerIPs annotation"
    )
    change = lbip["artifactChanges"][0]
    assert change["artifactLocation"] == {
        "uri": "apps/shop/services.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    fixed = _apply_sarif(SERVICES, change["replacements"])
    assert "    metallb.io/loadBalancerIPs: 10.20.0.10   # the address in DNS\n" in fixed
    assert "loadBalancerIP: 10.20.0.10" not in fixed
    # the file fix writes, once the other fixes are made too, holds the same lines
    cli(capsys, "fix", "apps/shop/services.yaml", "clusters/edge")
    written = (repo.root / "apps/shop/services.yaml").read_text()
    assert (
        fixed.replace("metallb.io/adress-pool", "metallb.io/address-pool").replace(
            "metallb.universe.tf/", "metallb.io/"
        )
        == written
    )


def test_json_gives_each_fixable_finding_a_fix(repo, capsys):
    """A script sees `fix` with its description, whether it is safe, and the edits (null for
    findings without one)."""
    peer = METALLB.replace("  holdTime: 90s       # as the router's\n", "")
    repo.write("metallb.yaml", peer)
    _, out, _ = cli(capsys, "lint", "--format", "json", "metallb.yaml")
    (d,) = [d for d in json.loads(out)["diagnostics"] if d["rule"] == "peer-deprecated-version"]
    assert d["fix"] == {
        "description": "write apiVersion metallb.io/v1beta2 (unsafe: the unset holdTime becomes "
        "MetalLB's default instead of v1beta1's 0s; set it to 0s to keep the old behaviour)",
        "safe": False,
        "edits": [
            {
                "start": {"line": 21, "column": 13},
                "end": {"line": 21, "column": 31},
                "text": "metallb.io/v1beta2",
            }
        ],
    }


def test_suppressed_findings_carry_no_fix(repo, capsys):
    """A finding the user silenced is not offered a fix in JSON or SARIF."""
    repo.write(
        "svc.yaml",
        SERVICES.replace(
            "metallb.io/adress-pool: web",
            "metallb.io/adress-pool: web  # gitops-lb: disable=service-unknown-annotation",
        ),
    )
    _, out, _ = cli(capsys, "lint", "--format", "json", "svc.yaml")
    (d,) = [d for d in json.loads(out)["diagnostics"] if d["rule"] == "service-unknown-annotation"]
    assert d["suppressed"] is True and d["fix"] is None
    _, out, _ = cli(capsys, "lint", "--format", "sarif", "svc.yaml")
    results = json.loads(out)["runs"][0]["results"]
    (r,) = [r for r in results if r["ruleId"] == "service-unknown-annotation"]
    assert "suppressions" in r and "fixes" not in r
