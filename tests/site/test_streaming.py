"""validate and compile check one site at a time: same findings, sites let go as they pass."""

from __future__ import annotations

import gc
import weakref

from gitops_lb.check import check_files, check_paths
from gitops_lb.yamlload import load_text
from tests.site.helpers import check, site
from tests.site.test_site_wide_rules import TWO


def texts() -> list[str]:
    """Three sites: overlaps inside one, across two, and a site name written twice."""
    a = site(TWO)  # dc1: a and b overlap on a shared network
    b = site(TWO.replace("192.168.10.", "10.9.0."), name="dc2")
    c = site(TWO.replace("192.168.10.64/27", "10.9.0.72/30"), name="dc2")  # dc2 again
    return [a, b, c]


def summary(diags):
    return [(d.rule, d.location.file, d.location.line, d.message) for d in diags]


def test_one_site_at_a_time_finds_what_all_at_once_finds():
    ts = texts()
    files = [load_text(t, f"s{i}.yaml") for i, t in enumerate(ts)]
    streamed = check_files(files).sorted()
    at_once = check(*ts)  # validate_sites on every lowered cluster
    # helpers name the first file site.yaml: compare with the same names
    renamed = [load_text(t, "site.yaml" if i == 0 else f"site{i}.yaml") for i, t in enumerate(ts)]
    assert summary(check_files(renamed).sorted()) == summary(at_once)
    rules = {d.rule for d in streamed}
    assert {"site-pool-overlap", "site-pool-overlap-shared-network", "site-duplicate-name"} <= rules
    across = [d for d in streamed if d.rule == "site-pool-overlap" and "dc1/" in d.message]
    assert across and all("dc2/" in d.message for d in across)


def test_sites_are_freed_as_soon_as_they_are_checked(tmp_path):
    one_cluster = TWO.split("  - name: b", maxsplit=1)[0]
    for i in range(3):
        text = site(one_cluster.replace("192.168.10.", f"10.{i}.0."), name=f"dc{i}")
        (tmp_path / f"s{i}.yaml").write_text(text)
    seen: list[weakref.ref] = []
    alive_before_next: list[bool] = []

    def each_site(targets):
        alive_before_next.append(any(r() is not None for r in seen))
        seen.extend(weakref.ref(t.config) for t in targets)

    gc.collect()
    gc.disable()  # as the CLI runs: reference counting alone must free them
    try:
        result = check_paths([str(tmp_path)], each_site=each_site)
    finally:
        gc.enable()
    assert seen and alive_before_next == [False] * len(alive_before_next)
    assert all(r() is None for r in seen)
    assert len(seen) == 3 and result.files == 3 and not result.errors
