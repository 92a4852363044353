from pathlib import Path

from gitops_lb.docs import explain, rules_markdown
from gitops_lb.rules import all_rules

ROOT = Path(__file__).resolve().parent.parent


def test_rules_md_is_current():
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(), "run: python -m gitops_lb.docs > docs/rules.md"


def test_every_rule_is_documented_and_kebab_case():
    for rule_id, rule in all_rules().items():
        assert rule_id == rule_id.lower() and " " not in rule_id and "_" not in rule_id
        assert len(rule.doc.strip()) > 40, rule_id
        text = explain(rule_id)
        assert text is not None and text.startswith(rule_id)


def test_rule_module_names_match_ids():
    import importlib

    for rule_id in all_rules():
        module = importlib.import_module("gitops_lb.rules." + rule_id.replace("-", "_"))
        assert module.RULE.id == rule_id


def test_readme_site_spec_example_validates(tmp_path):
    import re

    from gitops_lb.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(# yaml-language-server.*?)```", readme, re.S)
    assert example is not None
    path = tmp_path / "site.yaml"
    path.write_text(example.group(1), encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    assert main(["compile", str(path), "-o", str(tmp_path / "out")]) == 0


def test_readme_site_words_example_is_what_validate_prints(tmp_path, monkeypatch, capsys):
    import re

    from gitops_lb.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(# yaml-language-server.*?)```", readme, re.S)
    shown = re.search(r"```text\n# before \(0\.1\.0\)\n.*?# now\n(.*?)```", readme, re.S)
    assert example is not None and shown is not None
    text = example.group(1).replace("l2: {interfaces: [eth3]}", "l2: {interfaces: [eth9]}")
    text = text.replace("ips: [192.168.10.70]", "ips: [192.168.10.200]")
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "dc1.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "sites/", "--format", "text"]) == 1
    printed = capsys.readouterr().out.splitlines()
    assert printed[:-1] == shown.group(1).splitlines()
