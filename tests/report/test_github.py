from gitops_lb.diagnostics import Diagnostic, Location, Result, Severity
from gitops_lb.report.github_format import escape_data, escape_property
from tests.report.samples import empty, mixed, render


def test_escaping_is_exactly_what_the_actions_toolkit_does():
    assert escape_data("100% a:b,c\r\nd%0A") == "100%25 a:b,c%0D%0Ad%250A"
    assert escape_property("100% a:b,c\r\nd") == "100%25 a%3Ab%2Cc%0D%0Ad"


def test_annotations_and_summary_line():
    assert render("github", mixed()).splitlines() == [
        "::error file=sites/dc1.yaml,line=12,col=9,title=pool-overlap::"
        "10.0.0.5/32 in pool 'a' overlaps with 10.0.0.0/24"
        "%0Asites/dc1.yaml:7:9: note: 10.0.0.0/24 [first] defined here",
        "::error file=sites/dc1.yaml,line=13,col=9,title=pool-overlap::"
        "10.0.0.6/32 in pool 'a' overlaps with 10.0.0.0/24"
        "%0Asites/dc1.yaml:7:9: note: 10.0.0.0/24 defined here"
        "%0Asites/other.yaml:2:3: note: also here",
        "::error file=sites/odd%2Cname%3A1.yaml,line=5,col=2,title=yaml-syntax::unclosed bracket",
        "::warning file=sites/dc1.yaml,line=20,col=3,title=schema-unknown-field::"
        "unknown field 'spec.adresses'",
        "::warning file=sites/odd%2Cname%3A1.yaml,line=3,col=1,title=schema-unknown-field::"
        "100%25 odd: a,b%0D%0Anext line",
        "gitops-lb lint: 3 errors, 2 warnings in 3 files",
    ]


def test_empty_result_prints_only_the_summary():
    assert render("github", empty(), command="validate") == (
        "gitops-lb validate: no problems in 2 files\n"
    )


def test_step_summary_table(tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    render("github", mixed())
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n### gitops-lb lint: 3 errors, 2 warnings in 3 files\n")
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert rows[0] == "| severity | rule | location | message |"
    assert len(rows) == 1 + 5
    assert rows[1] == (
        "| error | `pool-overlap` | sites/dc1.yaml:12:9 | 10.0.0.5/32 in pool 'a' overlaps with "
        "10.0.0.0/24<br>sites/dc1.yaml:7:9: note: 10.0.0.0/24 [first] defined here |"
    )
    assert rows[5] == (
        "| warning | `schema-unknown-field` | sites/odd,name:1.yaml:3:1 "
        "| 100% odd: a,b<br>next line |"
    )


def test_step_summary_escapes_markdown_and_html(tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    d = Diagnostic("yaml-syntax", Severity.ERROR, "a | b <script>", Location("<stdin>", 2, 1))
    render("github", Result(diagnostics=[d], files=1))
    row = summary.read_text(encoding="utf-8").splitlines()[-2]
    assert row == "| error | `yaml-syntax` | &lt;stdin&gt;:2:1 | a \\| b &lt;script&gt; |"


def test_step_summary_of_a_clean_run(tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    render("github", empty())
    assert summary.read_text(encoding="utf-8") == "### gitops-lb lint: no problems in 2 files\n\n"


def test_unwritable_step_summary_is_a_warning_not_a_crash(tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "missing-dir" / "summary.md"))
    last = render("github", empty()).splitlines()[-1]
    assert last.startswith("::warning title=gitops-lb::cannot write the step summary ")


def test_more_findings_than_annotations_says_where_the_rest_is(tmp_path, monkeypatch):
    diags = [
        Diagnostic("yaml-syntax", Severity.ERROR, f"e{i}", Location("a.yaml", i + 1, 1))
        for i in range(11)
    ]
    result = Result(diagnostics=diags, files=1)
    out = render("github", result).splitlines()
    assert len(out) == 12
    assert out[-1] == (
        "gitops-lb lint: 11 errors, 0 warnings in 1 file "
        "(GitHub shows only 10 annotations of each type; all are listed above)"
    )
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    assert render("github", result).splitlines()[-1].endswith("; all are in the job summary)")
    ten = Result(diagnostics=diags[:10], files=1)
    assert (
        render("github", ten).splitlines()[-1] == "gitops-lb lint: 10 errors, 0 warnings in 1 file"
    )


def test_paths_are_relative_to_the_workspace(tmp_path, monkeypatch):
    (tmp_path / "repo").mkdir()
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "repo"))
    monkeypatch.chdir(tmp_path / "repo")
    inside = tmp_path / "repo" / "m" / "p.yaml"
    d = Diagnostic("yaml-syntax", Severity.ERROR, "x", Location(str(inside), 4, 2))
    d2 = Diagnostic("yaml-syntax", Severity.ERROR, "y", Location("m/q.yaml", 5, 2))
    out = render("github", Result(diagnostics=[d, d2], files=2)).splitlines()
    assert out[0].startswith("::error file=m/p.yaml,line=4,col=2,")
    assert out[1].startswith("::error file=m/q.yaml,line=5,col=2,")
