"""Bad input of every kind in issue 2 item 2: a located finding or a one-line error, exit 1 or 3."""

import json

import pytest

from gitops_lb.cli import main


def run(capsys, *argv: str) -> tuple[int, dict]:
    status = main(["lint", "--format", "json", *argv])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return status, json.loads(out.out)


@pytest.mark.parametrize(
    ("content", "rule", "line"),
    [
        (b"apiVersion: v1\nkind: [Service\n", "yaml-syntax", 3),
        (b"apiVersion: v1\nkind: Service\nkind: Node\n", "yaml-duplicate-key", 3),
        (b"- just\n- a list\n", "document-not-mapping", 1),
        (b"metadata: {name: x}\n", "object-missing-type", 1),
        (b"apiVersion: metallb.io/v1beta1\nkind: IPAddressPol\n", "schema-invalid", 1),
    ],
)
def test_bad_file_gives_located_finding(tmp_path, capsys, content, rule, line):
    f = tmp_path / "bad.yaml"
    f.write_bytes(content)
    status, doc = run(capsys, str(f))
    assert status == 1
    found = [(d["rule"], d["line"]) for d in doc["diagnostics"]]
    assert (rule, line) in found


NOT_UTF8 = [  # content, (line, column) of the finding
    (b"kind: Service\napiVersion: v1\nmetadata: {name: \xff}\n", (3, 18)),
    (b"apiVersion: v1\nkind: Node\nmetadata: {name: caf\xe9}\n", (3, 21)),  # Latin-1
    ("apiVersion: v1\n".encode("utf-16"), (1, 1)),
    (b"\xfe\xff" + "apiVersion: v1\n".encode("utf-16-be"), (1, 1)),
]


@pytest.mark.parametrize(("content", "where"), NOT_UTF8)
@pytest.mark.parametrize("command", ["lint", "validate"])
def test_a_file_that_is_not_utf8_cannot_be_read_exit_3(tmp_path, capsys, command, content, where):
    """README and design: exit 3 when an input cannot be read; a file in another encoding
    cannot be, so it is not a finding among others (exit 1) but a run that could not be made."""
    line, column = where
    f = tmp_path / "bad.yaml"
    f.write_bytes(content)
    assert main([command, "--format", "json", str(f)]) == 3
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    found = [(d["rule"], d["line"], d["column"]) for d in json.loads(out.out)["diagnostics"]]
    assert ("file-encoding", line, column) in found
    assert main([command, "--format", "text", str(f)]) == 3
    text = capsys.readouterr().out
    assert f"{f}:{line}:{column}: error: file is " in text and "[file-encoding]" in text


def test_a_non_utf8_file_beside_good_ones_still_exits_3(tmp_path, capsys):
    (tmp_path / "good.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", encoding="utf-8"
    )
    (tmp_path / "bad.yaml").write_bytes(b"apiVersion: v1\nkind: ConfigMap\n# \xff\n")
    status, doc = run(capsys, str(tmp_path))
    assert status == 3
    assert [d["rule"] for d in doc["diagnostics"]] == ["file-encoding"]


def test_unreadable_file_exits_3(tmp_path, capsys):
    link = tmp_path / "dangling.yaml"
    link.symlink_to(tmp_path / "missing.yaml")
    status, doc = run(capsys, str(link))
    assert status == 3
    assert doc["diagnostics"][0]["rule"] == "file-unreadable"


def test_folder_without_yaml_exits_3(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("hello")
    status, doc = run(capsys, str(tmp_path))
    assert status == 3
    assert doc["diagnostics"][0]["rule"] == "file-unreadable"


def test_folders_are_read_recursively_and_other_kinds_ignored(tmp_path, capsys):
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    (sub / "x.yml").write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n")
    (sub / "y.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    (sub / "z.txt").write_text("not yaml: [")
    status, doc = run(capsys, str(tmp_path))
    assert status == 0
    assert doc["summary"]["files"] == 2


def test_empty_input_is_an_error(tmp_path, capsys):
    f = tmp_path / "empty.yaml"
    f.write_text("# nothing here\n---\n")
    status, doc = run(capsys, str(f))
    assert status == 1
    assert [(d["rule"], d["line"]) for d in doc["diagnostics"]] == [("input-no-objects", 1)]


def test_an_empty_file_next_to_objects_is_fine(tmp_path, capsys):
    (tmp_path / "empty.yaml").write_text("")
    (tmp_path / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    status, _ = run(capsys, str(tmp_path))
    assert status == 0


def test_empty_standard_input_is_an_error(capsys, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    status, doc = run(capsys, "-")
    assert status == 1
    assert [(d["rule"], d["file"]) for d in doc["diagnostics"]] == [("input-no-objects", "<stdin>")]
