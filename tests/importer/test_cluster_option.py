"""`import --cluster SITE/CLUSTER`, as on reconcile, plan and render; the older
`--site SITE --cluster CLUSTER` still works, with a deprecation note.

What the user sees: the names in the written site spec, or a usage error (exit 2) that shows
the SITE/CLUSTER form.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.importer.dumps import METALLB_DUMP
from tests.robustness.cli import cli


@pytest.fixture
def dump(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    Path("live.yaml").write_text(METALLB_DUMP)
    return "live.yaml"


def names(out: str) -> tuple[str, str]:
    site = yaml.safe_load(out)
    return site["metadata"]["name"], site["spec"]["clusters"][0]["name"]


def test_site_slash_cluster(dump, capsys):
    run = cli(capsys, "import", dump, "--cluster", "dc1/prod-a")
    assert run.status == 0 and names(run.out) == ("dc1", "prod-a")
    assert "deprecated" not in run.err


def test_defaults(dump, capsys):
    run = cli(capsys, "import", dump)
    assert run.status == 0 and names(run.out) == ("imported", "default")


def test_the_older_form_still_works_and_says_what_to_write(dump, capsys):
    run = cli(capsys, "import", dump, "--site", "dc1", "--cluster", "prod-a")
    assert run.status == 0 and names(run.out) == ("dc1", "prod-a")
    assert "note: --site is deprecated; write --cluster dc1/prod-a" in run.err
    run = cli(capsys, "import", dump, "--site", "dc1")
    assert run.status == 0 and names(run.out) == ("dc1", "default")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--cluster", "prod-a"],
            "--cluster 'prod-a': write SITE/CLUSTER, e.g. --cluster dc1/prod-a",
        ),
        (["--site", "dc1", "--cluster", "dc1/a"], "names the site: leave out --site"),
        (["--cluster", "DC1/a"], "the site name 'DC1' is not a DNS-1123 label"),
        (["--cluster", "dc1/a/b"], "the cluster name 'a/b' is not a DNS-1123 label"),
        (["--cluster", "dc1/"], "the cluster name '' is not a DNS-1123 label"),
    ],
)
def test_usage_errors(dump, capsys, args, message):
    run = cli(capsys, "import", dump, *args)
    assert run.status == 2 and run.out == ""
    assert message in run.err
