"""Many objects that select each other: the work per check is shared, messages stay short.

Speed itself is measured by the benchmarks; these tests pin the behaviour the faster code
must keep (every conflict found, each reported once, messages bounded).
"""

from __future__ import annotations

from tests.robustness.cli import cli

POOL = """\
---
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {{name: p{i}, namespace: metallb-system, labels: {{tier: {tier}}}}}
spec: {{addresses: [10.0.{i}.0/28]}}
"""
ADV = """\
---
apiVersion: metallb.io/v1beta1
kind: BGPAdvertisement
metadata: {{name: {name}, namespace: metallb-system}}
spec: {{localPref: {pref}, ipAddressPoolSelectors: [{{matchLabels: {{tier: {tier}}}}}]}}
"""
NODE = "---\napiVersion: v1\nkind: Node\nmetadata: {name: n1}\n"


def test_localpref_conflicts_of_pools_selected_alike_are_reported_once(tmp_path, capsys):
    text = "".join(POOL.format(i=i, tier="web" if i < 40 else "db") for i in range(50))
    text += ADV.format(name="a", pref=100, tier="web") + ADV.format(name="b", pref=200, tier="web")
    text += ADV.format(name="c", pref=100, tier="db") + ADV.format(name="d", pref=300, tier="db")
    f = tmp_path / "in.yaml"
    f.write_text(text + NODE)
    run = cli(capsys, "lint", str(f), "--format", "json")
    found = [d for d in run.diagnostics() if d["rule"] == "bgpadv-localpref-conflict"]
    assert [d["message"] for d in found] == [
        "BGPAdvertisement 'b' localPref 200 conflicts with 'a' localPref 100 for pools 'p0', "
        "'p1', 'p10', 'p11', 'p12' and 35 more",
        "BGPAdvertisement 'd' localPref 300 conflicts with 'c' localPref 100 for pools 'p40', "
        "'p41', 'p42', 'p43', 'p44' and 5 more",
    ]
