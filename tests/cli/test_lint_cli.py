import json

from gitops_lb.cli import main

POOL = """\
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: a
  namespace: metallb-system
spec:
  adresses: [10.0.0.0/24]
"""


def test_text_format_and_exit_status(tmp_path, capsys):
    f = tmp_path / "p.yaml"
    f.write_text(POOL)
    assert main(["lint", str(f)]) == 1
    out = capsys.readouterr().out
    assert f"{f}:7:3: error: unknown field 'spec.adresses' in IPAddressPool; did you mean" in out
    assert "[schema-unknown-field]" in out


def test_json_format(tmp_path, capsys):
    f = tmp_path / "p.yaml"
    f.write_text(POOL)
    assert main(["lint", str(f), "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["tool"] == "gitops-lb"
    # one mistake, one finding: the misspelt key says which field it meant, and the
    # required field it stands for is not reported missing beside it
    assert doc["summary"] == {"errors": 1, "warnings": 0, "suppressed": 0, "files": 1}
    (d,) = doc["diagnostics"]
    assert d["rule"] == "schema-unknown-field"
    assert (d["line"], d["column"], d["path"]) == (7, 3, "spec.adresses")
    assert d["object"] == "IPAddressPool/metallb-system/a"


def test_clean_input_exits_zero(tmp_path, capsys):
    f = tmp_path / "ok.yaml"
    f.write_text(POOL.replace("adresses", "addresses") + "---\n")
    f2 = tmp_path / "l2.yaml"
    f2.write_text(
        "apiVersion: metallb.io/v1beta1\nkind: L2Advertisement\n"
        "metadata: {name: l2, namespace: metallb-system}\n"
    )
    assert main(["lint", str(tmp_path)]) == 0


def test_stdin(monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"a: [1\n")))
    assert main(["lint", "-"]) == 1
    assert "<stdin>:2:1: error: YAML:" in capsys.readouterr().out


def test_missing_file_exits_3(tmp_path, capsys):
    assert main(["lint", str(tmp_path / "nope.yaml")]) == 3


def test_usage_errors_exit_2(capsys):
    assert main(["lint"]) == 2
    assert main(["lint", "x.yaml", "--bgp-mode", "quagga"]) == 2
    assert main(["lint", "x.yaml", "--disable", "no-such-rule"]) == 2
    assert main(["explain", "no-such-rule"]) == 2


def test_explain(capsys):
    assert main(["explain", "pool-overlap"]) == 0
    assert capsys.readouterr().out.startswith("pool-overlap\n\nTwo pool addresses overlap.")
