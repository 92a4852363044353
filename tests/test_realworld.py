"""The real-world corpus: MetalLB configurations from public repositories, each with the verdict
MetalLB gives it (`<shared>/reference/real-world/NNN-*/{resources.yaml,expect.yaml}`).

The corpus is not part of the repository; these tests run when the shared folder is there
(tests/reference.py says where it is looked for) and are skipped, with the reason, when not.

A case runs once, or once per BGP mode when its expect.yaml gives `valid_by_mode`, at the newest
MetalLB release (expect.yaml gives the verdicts of MetalLB's main branch). Three things are
measured on every run:
- under `--metallb-compat`, lint's exit status answers "would MetalLB accept this?" as
  expect.yaml does, wherever expect.yaml gives a yes or no;
- no field gets findings from two rules (one finding per mistake; a path and the paths below it
  are one field);
- the silent mistakes expect.yaml lists get a finding of a rule that names that mistake
  (SILENT below is our reading of each `silent_mistake` text).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitops_lb.cli import main
from tests.reference import reference

MODES = ("native", "frr", "frr-k8s")
# expect.yaml gives the verdicts of MetalLB's main branch: the corpus runs at the newest release
RELEASE = "v0.16.1"

# Which findings report each case's silent mistake: every (rules, object substring) part must
# be hit by a diagnostic of one of the rules on an object whose id contains the substring; for
# valid_by_mode cases, in each of the modes the mistake exists in. None: outside what a MetalLB
# linter can see (the mistake is in another application's configuration).
SILENT: dict[str, tuple[tuple[tuple[str, ...], str], ...] | None] = {
    "001": ((("pool-not-advertised",), "IPAddressPool/"),),
    "004": ((("adv-unknown-pool",), "BGPAdvertisement/"),),
    "007": ((("pool-not-advertised",), "IPAddressPool/"),),
    "009": ((("adv-unknown-pool",), "BGPAdvertisement/"),),
    "015": ((("peer-local-asn-ignored",), "BGPPeer/"),),
    "016": ((("adv-unknown-pool",), "L2Advertisement/"),),
    "019": ((("service-ip-outside-pool",), "Service/"),),
    "021": ((("pool-not-advertised",), "IPAddressPool/metallb-system/my-l2-space"),),
    "026": ((("schema-unknown-field",), "L2Advertisement/"),),
    "029": ((("bgpadv-unknown-peer",), "BGPAdvertisement/metallb-system/bgp-adv-sample1"),),
    "033": ((("schema-unknown-field",), "BGPPeer/"),),
    "041": ((("pool-not-advertised",), "IPAddressPool/"),),
    "044": ((("bgpadv-unknown-peer",), "BGPAdvertisement/"),),
    "051": ((("adv-unknown-pool",), "BGPAdvertisement/"),),
    "053": (
        (("schema-unknown-field", "community-invalid"), "Community/"),
        (("pool-not-advertised",), "IPAddressPool/metallb-system/pool1"),
        (("pool-not-advertised",), "IPAddressPool/metallb-system/pool2"),
    ),
    "055": None,
    "056": ((("service-ip-outside-pool",), "Service/"),),
}
SILENT_MODES = {"015": ("frr-k8s",)}  # the mistake exists only in these modes


@dataclass(frozen=True)
class Run:
    case: str  # NNN-name
    mode: str | None
    expected: bool | None  # MetalLB accepts it; None: expect.yaml gives no yes or no
    resources: Path
    namespace: str | None

    @property
    def id(self) -> str:
        return self.case + (f"[{self.mode}]" if self.mode else "")


def runs(corpus: Path) -> list[Run]:
    out: list[Run] = []
    for folder in sorted(p for p in corpus.iterdir() if (p / "expect.yaml").is_file()):
        expect: dict[str, Any] = yaml.safe_load((folder / "expect.yaml").read_text())
        namespace = expect.get("metallb_namespace")
        by_mode = expect.get("valid_by_mode")
        if isinstance(by_mode, dict):
            for mode in MODES:
                value = by_mode.get(mode)
                verdict = value if isinstance(value, bool) else None
                out.append(Run(folder.name, mode, verdict, folder / "resources.yaml", namespace))
            continue
        bgp_mode = expect.get("bgp_mode")
        value = expect.get("valid")
        out.append(
            Run(
                folder.name,
                bgp_mode if bgp_mode in MODES else None,
                value if isinstance(value, bool) else None,
                folder / "resources.yaml",
                namespace,
            )
        )
    return out


@pytest.fixture(scope="module")
def corpus() -> Path:
    return reference("real-world", "the real-world corpus")


def lint(run: Run, capsys: pytest.CaptureFixture[str], *, compat: bool) -> tuple[int, Any]:
    argv = ["lint", "--format", "json", "--metallb-version", RELEASE, str(run.resources)]
    if compat:
        argv.insert(1, "--metallb-compat")
    if run.mode:
        argv[1:1] = ["--bgp-mode", run.mode]
    if run.namespace:
        argv[1:1] = ["--namespace", run.namespace]
    capsys.readouterr()
    status = main(argv)
    out = capsys.readouterr().out
    assert status in (0, 1), f"{run.id}: exit {status}"
    return status, json.loads(out)


def test_the_verdict_under_metallb_compat_is_metallbs(corpus, capsys):
    wrong = []
    unreleased: list[str] = []
    definite = [r for r in runs(corpus) if r.expected is not None]
    for run in definite:
        status, report = lint(run, capsys, compat=True)
        accepted = status == 0 and report["summary"]["errors"] == 0
        errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
        if accepted != run.expected:
            if run.expected and errors and all(main_only(d) for d in errors):
                unreleased.append(run.id)
                continue
            where = [f"{d['rule']} at {d['line']}:{d['column']}" for d in errors]
            wrong.append(f"{run.id}: MetalLB {'accepts' if run.expected else 'rejects'}; {where}")
    assert len(definite) >= 70
    assert wrong == []
    # the verdicts follow MetalLB's main branch; a field that no release has yet is refused by
    # every release gitops-lb targets: at most one case (016, L2 preferredNodeSelectors)
    assert len(unreleased) <= 1, unreleased


def main_only(d: dict[str, Any]) -> bool:
    """A finding on a field only MetalLB's main branch has (in no release)."""
    return d["rule"] == "field-unsupported-version" and "in no MetalLB release" in d["message"]


def same_field(a: str | None, b: str | None) -> bool:
    """One path is the other or lies below it (spec.x and spec.x[0] are one field)."""
    if a is None or b is None:
        return a == b
    short, long = sorted((a, b), key=len)
    return long == short or long.startswith((short + ".", short + "["))


def doubled_fields(diagnostics: list[dict[str, Any]]) -> list[str]:
    found = []
    for i, d in enumerate(diagnostics):
        if d.get("object") is None:
            continue
        for e in diagnostics[i + 1 :]:
            if (
                e["rule"] != d["rule"]
                and e.get("object") == d["object"]
                and e["file"] == d["file"]
                and same_field(d.get("path"), e.get("path"))
            ):
                found.append(f"{d['object']} {d.get('path')}: {d['rule']} and {e['rule']}")
    return found


def test_doubled_fields_are_found():
    one = {"file": "f", "object": "L2Advertisement/ns/a", "severity": "error"}
    assert doubled_fields(
        [
            {**one, "rule": "adv-selects-no-pool", "path": "spec.ipAddressPools"},
            {**one, "rule": "adv-unknown-pool", "path": "spec.ipAddressPools[0]"},
        ]
    )
    assert not doubled_fields(
        [
            {**one, "rule": "pool-subnet-edges", "path": "spec.addresses[0]"},
            {**one, "rule": "native-ipv6-bgp-pool", "path": "spec.addresses[2]"},
        ]
    )


def test_no_field_gets_findings_from_two_rules(corpus, capsys):
    doubled = []
    for run in runs(corpus):
        for compat in (True, False):
            _, report = lint(run, capsys, compat=compat)
            doubled += [f"{run.id}: {d}" for d in doubled_fields(report["diagnostics"])]
    assert doubled == []


def test_silent_mistakes_get_a_finding(corpus, capsys):
    cases = {r.case[:3]: r.case for r in runs(corpus)}
    with_mistake = []
    for folder in sorted(corpus.iterdir()):
        expect_file = folder / "expect.yaml"
        if expect_file.is_file() and yaml.safe_load(expect_file.read_text()).get("silent_mistake"):
            with_mistake.append(folder.name[:3])
    # every case the corpus marks has our reading of its mistake, and no other
    assert sorted(SILENT) == sorted(with_mistake)
    missed = []
    for run in runs(corpus):
        number = run.case[:3]
        parts = SILENT.get(number)
        if parts is None or cases.get(number) != run.case:
            continue
        if run.mode and run.mode not in SILENT_MODES.get(number, MODES):
            continue
        _, report = lint(run, capsys, compat=False)
        for rules, obj in parts:
            if not any(
                d["rule"] in rules and obj in (d.get("object") or "") for d in report["diagnostics"]
            ):
                missed.append(f"{run.id}: no {'/'.join(rules)} on {obj}")
    in_scope = sum(parts is not None for parts in SILENT.values())
    assert in_scope >= 16
    assert missed == []
