"""spec.argocd.retry: the retry policy of the compiled Applications, and how long automated
sync keeps at a revision whose readiness gate never opens (docs/compile.md says it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from gitops_lb.cli import main
from gitops_lb.compile.argocd import duration_seconds, give_up_seconds, retry_waits
from gitops_lb.compile.tree import compile_targets
from gitops_lb.compile.yamlout import dump
from gitops_lb.site.models import ArgoCDSettings, RetrySettings
from tests.compile.targets import site_dict, targets

DOCS = Path(__file__).resolve().parents[2] / "docs" / "compile.md"
TODAY = {"limit": 5, "backoff": {"duration": "10s", "factor": 2, "maxDuration": "5m"}}


def retries(data):
    files = compile_targets(targets(data))
    apps = [yaml.safe_load(v) for k, v in files.items() if k.startswith("argocd/dc1.prod")]
    return [app["spec"]["syncPolicy"]["retry"] for app in apps]


def test_defaults_are_the_previous_fixed_policy():
    assert retries(site_dict()) == [TODAY]
    assert retries(site_dict(platform="metallb")) == [TODAY, TODAY]


def test_the_site_sets_the_retry_of_both_applications():
    data = site_dict(platform="metallb")
    data["spec"]["argocd"]["retry"] = {
        "limit": 10,
        "backoff": {"duration": "30", "factor": 3, "maxDuration": "1h"},
        "refresh": True,
    }
    want = {
        "limit": 10,
        "backoff": {"duration": "30", "factor": 3, "maxDuration": "1h"},
        "refresh": True,
    }
    assert retries(data) == [want, want]
    data["spec"]["argocd"]["retry"] = {"limit": 0}
    assert [r["limit"] for r in retries(data)] == [0, 0]
    assert retries(data)[0]["backoff"] == TODAY["backoff"]


@pytest.mark.parametrize(
    ("text", "seconds"), [("30", 30), ("10s", 10), ("5m", 300), ("1h", 3600), ("1m30s", 90)]
)
def test_durations(text, seconds):
    assert duration_seconds(text) == seconds


def test_waits_double_up_to_the_cap():
    assert retry_waits(RetrySettings()) == [10, 20, 40, 80, 160]
    long = RetrySettings.model_validate({"limit": 8})
    assert retry_waits(long) == [10, 20, 40, 80, 160, 300, 300, 300]
    with pytest.raises(ValueError, match="without end"):
        retry_waits(RetrySettings.model_validate({"limit": -1}))


def test_docs_give_the_time_computed_from_the_defaults():
    settings = ArgoCDSettings.model_validate({"repoURL": "https://git.example.com/x.git"})
    total = give_up_seconds(settings.retry, settings.gateTimeoutSeconds)
    assert total == 6 * 600 + 310
    text = " ".join(DOCS.read_text().split())
    assert f"{total} s" in text and f"about {round(total / 60)} minutes" in text


@pytest.mark.parametrize(
    ("retry", "where"),
    [
        ({"limit": -2}, "limit"),
        ({"backoff": {"duration": "10 seconds"}}, "duration"),
        ({"backoff": {"factor": 0}}, "factor"),
        ({"limtt": 3}, "limtt"),
    ],
)
def test_bad_retry_settings_are_findings(tmp_path, capsys, retry, where):
    data = site_dict()
    data["spec"]["argocd"]["retry"] = retry
    site = tmp_path / "site.yaml"
    site.write_text(dump(data))
    assert main(["validate", str(site)]) == 1
    out = capsys.readouterr().out
    assert re.search(rf"site\.yaml:\d+:\d+: error: .*{where}", out), out


def test_the_policy_fits_argo_cds_application_schema():
    """Argo CD 3.6.0's Application CRD (shared reference files, read, never copied)."""
    import jsonschema

    from tests.reference import reference

    crd = yaml.safe_load(
        reference("crds/argocd/application-crd.yaml", "Argo CD's Application CRD").read_text()
    )
    [version] = [v for v in crd["spec"]["versions"] if v["name"] == "v1alpha1"]
    props = version["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]
    schema = dict(props["syncPolicy"]["properties"]["retry"])
    schema["additionalProperties"] = False  # a misspelt key would be dropped by the API server
    schema["properties"]["backoff"] = {
        **schema["properties"]["backoff"],
        "additionalProperties": False,
    }
    data = site_dict(platform="metallb")
    data["spec"]["argocd"]["retry"] = {"limit": -1, "refresh": True}
    for policy in [*retries(site_dict()), *retries(data)]:
        jsonschema.validate(policy, schema)
