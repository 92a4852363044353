from pathlib import Path

from gitops_lb.report import _paths


def test_source_root_prefers_the_ci_checkout(tmp_path, monkeypatch):
    assert _paths.source_root() == str(tmp_path)  # the conftest chdir'ed here
    (tmp_path / "gl").mkdir()
    monkeypatch.setenv("CI_PROJECT_DIR", str(tmp_path / "gl"))
    assert _paths.source_root() == str(tmp_path / "gl")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "does-not-exist"))
    assert _paths.source_root() == str(tmp_path / "gl")


def test_relative_and_report_paths(tmp_path):
    root = str(tmp_path)
    assert _paths.relative_path(str(tmp_path / "a" / "b.yaml"), root) == "a/b.yaml"
    assert _paths.relative_path("a/./c.yaml", root) == "a/c.yaml"
    assert _paths.relative_path("../x.yaml", root) is None
    assert _paths.relative_path("<stdin>", root) is None
    outside = str(Path(tmp_path).parent / "x.yaml")
    assert _paths.report_path(outside, root) == Path(outside).as_posix()
    assert _paths.report_path("<stdin>", root) == "<stdin>"
    assert _paths.absolute_uri("<stdin>") is None
    assert _paths.absolute_uri(outside) == Path(outside).as_uri()
