"""The site spec schema is published at a URL named by the release (the tag's raw file), and
the site specs gitops-lb ships or writes name that URL, not a path inside this repository."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from gitops_lb import __version__
from gitops_lb.cli import main
from gitops_lb.site.schema import REPOSITORY, SCHEMA_COMMENT, SCHEMA_ID, schema_url

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_url_names_this_release_of_the_repository_file():
    assert PYPROJECT["urls"]["Repository"] == REPOSITORY
    owner_repo = REPOSITORY.removeprefix("https://github.com/")
    m = re.fullmatch(
        rf"https://raw\.githubusercontent\.com/{owner_repo}/v([0-9.]+)/(schemas/site\.schema\.json)",
        SCHEMA_ID,
    )
    assert m, SCHEMA_ID
    assert m[1] == __version__ == PYPROJECT["version"]
    assert (ROOT / m[2]).is_file()
    assert schema_url("9.8.7") == SCHEMA_ID.replace(f"v{__version__}/", "v9.8.7/")


def test_the_published_file_names_itself():
    schema = json.loads((ROOT / "schemas" / "site.schema.json").read_text(encoding="utf-8"))
    assert schema["$id"] == SCHEMA_ID


def test_examples_and_readme_name_the_url():
    assert f"# yaml-language-server: $schema={SCHEMA_ID}" == SCHEMA_COMMENT
    for path in sorted((ROOT / "examples" / "sites").glob("*.yaml")):
        assert path.read_text(encoding="utf-8").splitlines()[0] == SCHEMA_COMMENT, path
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.findall(r"^# yaml-language-server: .*$", readme, re.M) == [SCHEMA_COMMENT]
    assert "../../schemas/" not in readme


def test_import_writes_the_url_first(tmp_path, capsys):
    manifest = tmp_path / "pool.yaml"
    manifest.write_text(
        "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\n"
        "metadata: {name: web, namespace: metallb-system}\n"
        "spec: {addresses: [192.168.10.64/27]}\n"
        "---\napiVersion: metallb.io/v1beta1\nkind: L2Advertisement\n"
        "metadata: {name: web, namespace: metallb-system}\n"
        "spec: {ipAddressPools: [web]}\n"
    )
    out = tmp_path / "site.yaml"
    repo = ["--repo-url", "https://git.example.com/lb.git"]
    assert main(["import", str(manifest), "-o", str(out), *repo, "--no-config"]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == SCHEMA_COMMENT
    # then import's header comment, then the document
    first_key = next(line for line in lines if not line.startswith("#"))
    assert first_key.startswith("apiVersion: gitops-lb.io/")
    capsys.readouterr()
    assert main(["import", str(manifest), *repo, "--no-config"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == SCHEMA_COMMENT
    assert main(["validate", str(out), "--no-config"]) == 0
