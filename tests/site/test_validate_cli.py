import json
from pathlib import Path

from gitops_lb.cli import main
from gitops_lb.site.schema import site_schema_text
from tests.site.fixtures import BASE
from tests.site.helpers import line_of, site

ROOT = Path(__file__).resolve().parent.parent.parent


def write(tmp_path: Path, name: str, text: str) -> Path:
    f = tmp_path / name
    f.write_text(text)
    return f


def test_clean_site_exits_zero(tmp_path, capsys):
    write(tmp_path, "dc1.yaml", site(BASE))
    assert main(["validate", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "no problems in 1 file\n"


def test_errors_exit_one_with_site_lines_in_json(tmp_path, capsys):
    text = site(BASE.replace("addresses: [192.168.10.64/27]", "addresses: [192.168.10.0/27]"))
    f = write(tmp_path, "dc1.yaml", text)
    assert main(["validate", str(f), "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"] == {"errors": 1, "warnings": 0, "suppressed": 0, "files": 1}
    (d,) = doc["diagnostics"]
    assert d["rule"] == "site-pool-reserved"
    assert (d["file"], d["line"], d["path"]) == (
        str(f),
        line_of(text, "192.168.10.0/27"),
        "spec.clusters[0].pools[0].addresses[0]",
    )
    assert d["object"] == "Site/dc1"


def test_compat_and_disable(tmp_path, capsys):
    text = site(BASE.replace("addresses: [192.168.10.64/27]", "addresses: [192.168.10.0/27]"))
    f = write(tmp_path, "dc1.yaml", text)
    assert main(["validate", str(f), "--metallb-compat"]) == 0
    assert "warning:" in capsys.readouterr().out
    assert main(["validate", str(f), "--disable", "site-pool-reserved"]) == 0


def test_overlap_across_files(tmp_path, capsys):
    write(tmp_path, "a.yaml", site(BASE))
    write(tmp_path, "b.yaml", site(BASE, name="dc2"))
    assert main(["validate", str(tmp_path), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {d["rule"] for d in doc["diagnostics"]} == {"site-pool-overlap"}
    assert {d["file"] for d in doc["diagnostics"]} == {str(tmp_path / "b.yaml")}
    assert doc["summary"]["files"] == 2


def test_findings_are_deduplicated(tmp_path, capsys):
    f = write(tmp_path, "dc1.yaml", site(BASE.replace("gateway: 192.168.10.1", "gateway: x")))
    two_clusters = site(BASE + "  - {name: b, server: https://b:6443}\n")
    write(tmp_path, "dc1.yaml", two_clusters.replace("gateway: 192.168.10.1", "gateway: x"))
    assert main(["validate", str(f), "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert [d["rule"] for d in doc["diagnostics"]] == ["site-invalid-address"]


def test_schema_errors_and_manifests(tmp_path, capsys):
    write(tmp_path, "bad.yaml", site(BASE.replace("autoAssign", "x").replace("server:", "srv:")))
    write(tmp_path, "pool.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "did you mean 'server'?" in out and "[schema-unknown-field]" in out
    assert f"{tmp_path / 'pool.yaml'}:1:1: error: ConfigMap (v1) is not a site spec" in out


def test_could_not_run_and_usage(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.yaml")]) == 3
    assert main(["validate"]) == 2
    assert main(["validate", "-"]) == 2
    assert main(["validate", str(tmp_path), "--disable", "no-such-rule"]) == 2


def test_schema_command_matches_committed_file(capsys):
    assert main(["schema"]) == 0
    out = capsys.readouterr().out
    assert out == site_schema_text()
    committed = (ROOT / "schemas" / "site.schema.json").read_text(encoding="utf-8")
    assert committed == out, "run: python -m gitops_lb schema > schemas/site.schema.json"
    schema = json.loads(out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["$id"].endswith("site.schema.json")
    assert schema["title"] == "Site"


def test_schema_accepts_a_site_and_rejects_a_typo():
    import jsonschema
    import yaml

    schema = json.loads(site_schema_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(yaml.safe_load(site(BASE)))) == []
    bad = yaml.safe_load(site(BASE.replace("addresses: [192.168.10.64/27]", "adresses: [1]")))
    assert list(validator.iter_errors(bad)) != []
