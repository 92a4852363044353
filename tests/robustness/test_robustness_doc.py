"""docs/robustness.md says what the code does: its limits and rule ids are the real ones."""

from __future__ import annotations

import re

from gitops_lb import secrecy, yamlload
from gitops_lb.reconcile import dump
from gitops_lb.rules import all_rules, bgpadv_localpref_conflict, pool_overlap
from tests.robustness.cli import ROOT

DOC = (ROOT / "docs" / "robustness.md").read_text(encoding="utf-8")


def test_every_rule_named_exists():
    named = set(re.findall(r"`([a-z0-9]+(?:-[a-z0-9]+)+)`", DOC))
    rules = {n for n in named if not n.startswith(("gitops-lb", "kubectl"))}
    assert rules <= set(all_rules())
    assert {"file-unreadable", "yaml-too-complex", "site-url-credentials"} <= rules


def test_the_limits_table_matches_the_code():
    limits = dict(re.findall(r"^\| ([a-z][^|]+?) \| ([^|]+?) \|", DOC.split("## Limits")[1], re.M))
    assert limits["largest input file"].startswith(f"{yamlload.MAX_FILE_MIB} MiB")
    assert limits["nesting depth"] == f"{yamlload.MAX_DEPTH} levels"
    assert limits["alias expansion"] == (
        f"{yamlload.MAX_EXPANDED:,} nodes and {yamlload.ALIAS_RATIO} times the nodes written"
    )
    assert limits["entries reported per overlapping pool entry"] == str(pool_overlap.PARTNERS)
    assert limits["pools named in a LOCAL_PREF conflict message"].startswith(
        str(bgpadv_localpref_conflict.SHOWN)
    )
    assert limits["a value quoted in a message"] == f"{secrecy.MAX_SHOWN} characters"
    assert limits["largest live dump"] == f"{dump.MAX_LIVE_MIB} MiB (`{dump.MAX_LIVE_ENV}`)"
    assert limits["largest object in a live dump"] == (
        f"the largest input file ({yamlload.MAX_FILE_MIB} MiB)"
    )
    assert limits["objects named in a live-state conflict message"].startswith(
        f"{dump.SHOWN_CONFLICTS}, then"
    )
