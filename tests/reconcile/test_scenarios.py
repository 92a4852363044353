"""Every kind of drift, alone and together, read through the real `kubernetes` client from the
API emulator and from the same objects as a `kubectl get -o yaml` dump: same report."""

from __future__ import annotations

import pytest

from tests.k8s_emulator import Emulator
from tests.reconcile.helpers import (
    comparable,
    found,
    kubeconfig,
    run_json,
    site_args,
    write_dump,
    write_site,
)
from tests.reconcile.scenario import DRIFTS, WARNINGS_ONLY, drifted


def both_ways(tmp_path, capsys, objects):
    """(exit status, report) from the API and from a dump, asserting the API saw only GETs."""
    site = write_site(tmp_path)
    with Emulator(objects) as api:
        kc = kubeconfig(tmp_path, api.url)
        code, doc = run_json(capsys, *site_args(site), "--kubeconfig", str(kc))
    assert api.methods() == {"GET"}
    live = write_dump(tmp_path, objects)
    dump_code, dump_doc = run_json(capsys, *site_args(site), "--live", str(live))
    assert (dump_code, comparable(dump_doc)) == (code, comparable(doc))
    return code, doc


def test_in_sync(tmp_path, capsys):
    code, doc = both_ways(tmp_path, capsys, drifted()[0])
    assert doc["differences"] == []
    assert (code, doc["in_sync"], doc["cluster"]) == (0, True, "dc1/prod")
    assert doc["source"].startswith("context prod (http://127.0.0.1:")


@pytest.mark.parametrize("drift", sorted(DRIFTS))
def test_each_drift_alone(tmp_path, capsys, drift):
    objects, expected = drifted(drift)
    code, doc = both_ways(tmp_path, capsys, objects)
    assert found(doc) == expected
    warnings_only = drift in WARNINGS_ONLY
    assert (code, doc["in_sync"]) == ((0, True) if warnings_only else (1, False))


def test_all_drifts_together(tmp_path, capsys):
    objects, expected = drifted(*DRIFTS)
    code, doc = both_ways(tmp_path, capsys, objects)
    assert found(doc) == expected
    assert (code, doc["in_sync"]) == (1, False)
    assert doc["summary"]["differences"] == len(doc["differences"]) >= len(DRIFTS)
