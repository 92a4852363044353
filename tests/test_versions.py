"""The MetalLB releases gitops-lb targets: parsing, ranges, the option, the site field."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from gitops_lb.cli import main
from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Location, Severity
from gitops_lb.docs import explain
from gitops_lb.metallb import versions
from gitops_lb.metallb.versions import (
    DEFAULT,
    FEATURES,
    FIELDS,
    NEWEST,
    OLDEST,
    RELEASES,
    UnsupportedVersion,
    VersionRange,
    release,
    unknown_fields,
    v,
)
from gitops_lb.rules import all_rules, run_rules
from gitops_lb.rules._base import Applicability, Input, Rule
from tests.helpers import pool
from tests.site.helpers import check, line_of, load, site, targets

L2 = (
    "apiVersion: metallb.io/v1beta1\nkind: L2Advertisement\n"
    "metadata: {name: l, namespace: metallb-system}\n"
)
TAGS = [
    "v0.13.0",
    "v0.13.1",
    "v0.13.2",
    "v0.13.3",
    "v0.13.4",
    "v0.13.5",
    "v0.13.6",
    "v0.13.7",
    "v0.13.8",
    "v0.13.9",
    "v0.13.10",
    "v0.13.11",
    "v0.13.12",
    "v0.14.0",
    "v0.14.1",
    "v0.14.2",
    "v0.14.3",
    "v0.14.4",
    "v0.14.5",
    "v0.14.6",
    "v0.14.7",
    "v0.14.8",
    "v0.14.9",
    "v0.15.0",
    "v0.15.1",
    "v0.15.2",
    "v0.15.3",
    "v0.16.0",
    "v0.16.1",
]


def test_the_releases_are_metallb_s_tags_from_0_13_0():
    assert [str(r) for r in RELEASES] == TAGS
    assert list(RELEASES) == sorted(RELEASES)
    assert (str(OLDEST), str(NEWEST), str(DEFAULT)) == ("v0.13.0", "v0.16.1", "v0.15.1")


@pytest.mark.parametrize("text", ["v0.15.1", "0.15.1"])
def test_a_release_is_written_with_or_without_v(text):
    assert release(text) == v("0.15.1") and str(release(text)) == "v0.15.1"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("v0.12.0", "v0.12.0 is not a supported MetalLB release (v0.13.0 … v0.16.1)"),
        ("v0.13.13", "v0.13.13 is not a supported MetalLB release"),  # never released
        ("v0.16.2", "v0.16.2 is newer than the MetalLB releases gitops-lb knows"),
        ("v1.0.0", "newer than the MetalLB releases gitops-lb knows"),
        ("latest", "'latest' is not a MetalLB release; write one such as v0.15.1"),
        ("v0.15", "'v0.15' is not a MetalLB release"),
        ("v0.15.01", "is not a MetalLB release"),
        (" v0.15.1", "is not a MetalLB release"),
        ("V0.15.1", "is not a MetalLB release"),
    ],
)
def test_anything_else_is_refused_with_the_supported_range(text, why):
    with pytest.raises(UnsupportedVersion) as exc:
        release(text)
    assert why in str(exc.value)
    assert "v0.13.0 … v0.16.1" in str(exc.value)


def test_ranges_include_both_ends_and_describe_themselves():
    r = VersionRange(v("0.13.8"), v("0.14.9"))
    assert v("0.13.7") not in r and v("0.13.8") in r and v("0.14.9") in r
    assert v("0.15.0") not in r
    assert r.describe() == "v0.13.8 to v0.14.9"
    assert versions.ALL.describe() == "every release (v0.13.0 to v0.16.1)"
    assert versions.since("0.14.9").describe() == "v0.14.9 and later"
    assert versions.until("0.15.3").describe() == "up to v0.15.3"
    assert FEATURES["pool_excludes_node_ips"].describe() == "v0.15.0 only"
    assert FEATURES["pool_excludes_node_ips"].releases() == [v("0.15.0")]


def test_every_feature_boundary_is_a_release():
    for name, r in FEATURES.items():
        for bound in (r.since, r.until):
            assert bound is None or bound in RELEASES, name
        assert r.releases(), name


def test_fields_newer_than_the_target_are_unknown_to_it():
    assert unknown_fields("L2Advertisement", v("0.13.5")) == {
        ("spec", "interfaces"): v("0.13.6"),
        ("spec", "serviceSelectors"): v("0.16.0"),
        ("spec", "preferredNodeSelectors"): None,
    }
    assert unknown_fields("L2Advertisement", v("0.13.6")) == {
        ("spec", "serviceSelectors"): v("0.16.0"),
        ("spec", "preferredNodeSelectors"): None,
    }
    # in no release yet: unknown to the newest too
    assert unknown_fields("L2Advertisement", NEWEST) == {("spec", "preferredNodeSelectors"): None}
    assert unknown_fields("BGPPeer", v("0.15.1")) == {("spec", "localASN"): v("0.16.0")}
    assert unknown_fields("BGPPeer", NEWEST) == {}
    assert unknown_fields("Community", OLDEST) == {}
    firsts = {path[-1]: start for path, start in FIELDS["BGPPeer"].items()}
    assert firsts == {
        "vrf": v("0.13.8"),
        "connectTime": v("0.14.4"),
        "disableMP": v("0.14.4"),
        "enableGracefulRestart": v("0.14.6"),
        "dynamicASN": v("0.14.9"),
        "interface": v("0.15.0"),
        "dualStackAddressFamily": v("0.15.0"),
        "localASN": v("0.16.0"),
    }


# --- rules by release -------------------------------------------------------------------------


def test_applicability_covers_a_version_range():
    late = Applicability(versions=versions.since("0.14.9"))
    assert late.covers(Input.MANIFESTS, None, (), v("0.14.9"))
    assert not late.covers(Input.MANIFESTS, None, (), v("0.14.8"))
    assert late.covers(Input.MANIFESTS, None, ())  # no release given: not decided by it
    assert Applicability().covers(Input.SITES, None, (), OLDEST)


def _fake(cfg: ClusterConfig) -> Iterable[Finding]:
    yield Finding("fake", location=Location("x.yaml", 1, 1))


FAKE = Rule(
    "fake-late-rule",
    Severity.ERROR,
    "metallb",
    "A rule for MetalLB v0.16.0 and later, for this test.",
    _fake,
    applies=Applicability(versions=versions.since("0.16.0")),
)


@pytest.mark.parametrize(("version", "runs"), [("v0.15.3", False), ("v0.16.0", True)])
def test_the_run_loop_skips_rules_outside_their_releases(monkeypatch, version, runs):
    monkeypatch.setattr("gitops_lb.rules.all_rules", lambda: {FAKE.id: FAKE})
    cfg = ClusterConfig(metallb_version=release(version))
    assert [d.rule for d in run_rules(cfg)] == (["fake-late-rule"] if runs else [])


def test_explain_names_the_releases_a_rule_applies_to():
    for rule_id, rule in all_rules().items():
        text = explain(rule_id)
        assert text is not None
        assert f"- applies to MetalLB: {rule.applies.versions.describe()}\n" in text
        assert all(c in rule.applies.versions.releases() for c in rule.applies.changes), rule_id


# --- the option and the site field ------------------------------------------------------------


@pytest.mark.parametrize("command", ["lint", "import", "reconcile"])
def test_an_unsupported_version_is_a_usage_error(tmp_path, capsys, command):
    f = tmp_path / "p.yaml"
    f.write_text(pool("p", "10.0.0.0/24"))
    extra = ["--live", str(f)] if command == "reconcile" else []
    assert main([command, str(f), "--metallb-version", "v0.12.0", *extra]) == 2
    err = capsys.readouterr().err
    assert "v0.12.0 is not a supported MetalLB release (v0.13.0 … v0.16.1)" in err


def test_the_option_takes_the_version_without_v(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text(pool("p", "10.0.0.0/24") + "---\n" + L2)
    assert main(["lint", str(f), "--metallb-version", "0.16.1"]) == 0
    assert main(["lint", str(f), "--metallb-version", "v0.13.0"]) == 0


def test_reconcile_of_a_site_spec_takes_the_version_from_it(tmp_path, capsys):
    f = tmp_path / "s.yaml"
    f.write_text(site("clusters: []\n"))
    assert main(["reconcile", str(f), "--metallb-version", "v0.16.0", "--live", str(f)]) == 2
    assert "a site spec sets metallb.version" in capsys.readouterr().err


def test_the_site_version_is_its_clusters_target():
    (t,) = targets(site("metallb: {version: 0.16.0}\nclusters: [{name: a, server: https://a}]\n"))
    assert t.config.metallb_version == v("0.16.0")
    assert t.site.spec.metallb.version == "v0.16.0"  # written as the tag, whatever the input
    (t,) = targets(site("clusters: [{name: a, server: https://a}]\n"))
    assert t.config.metallb_version == DEFAULT


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("v0.12.0", "not a supported MetalLB release (v0.13.0 … v0.16.1) (got 'v0.12.0')"),
        ("v0.16.9", "newer than the MetalLB releases gitops-lb knows (v0.13.0 … v0.16.1)"),
        ("latest", "not a MetalLB release; write one such as v0.15.1"),
    ],
)
def test_an_unsupported_site_version_is_a_located_schema_error(version, message):
    text = site(f"metallb:\n  version: {version}\nclusters: []\n")
    (d,) = [d for d in check(text) if d.rule == "schema-invalid"]
    assert d.location.line == line_of(text, "version:")
    assert d.message.startswith("spec.metallb.version of site 'dc1': ") and message in d.message


def test_the_annotation_prefix_follows_the_version():
    old = load(site("metallb: {version: v0.14.8}\nclusters: []\n")).sites[0].site
    assert old.spec.metallb.annotationPrefix == "metallb.universe.tf"
    new = load(site("metallb: {version: v0.14.9}\nclusters: []\n")).sites[0].site
    assert new.spec.metallb.annotationPrefix == "metallb.io"
    chosen = load(
        site("metallb: {version: v0.14.8, annotationPrefix: metallb.universe.tf}\nclusters: []\n")
    )
    assert chosen.sites[0].site.spec.metallb.annotationPrefix == "metallb.universe.tf"


def test_the_new_prefix_on_an_old_release_is_refused_at_its_line():
    text = site("metallb:\n  version: v0.14.8\n  annotationPrefix: metallb.io\nclusters: []\n")
    (d,) = [d for d in check(text) if d.rule == "schema-invalid"]
    assert d.location.line == line_of(text, "annotationPrefix")
    assert (
        "the metallb.io/ annotations need MetalLB v0.14.9 or later; v0.14.8 reads only "
        "metallb.universe.tf/ ones" in d.message
    )
