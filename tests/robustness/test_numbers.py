"""Numbers Kubernetes would refuse or read differently are errors, never silently accepted."""

from __future__ import annotations

import pytest

from tests.robustness.cli import cli

SERVICE = """\
apiVersion: v1
kind: Service
metadata: {{name: s, namespace: default}}
spec:
  type: LoadBalancer
  ports:
    - {{port: {port}, targetPort: {target}, nodePort: {node}}}
"""


@pytest.mark.parametrize(
    ("port", "target", "node"),
    [
        ("0x7fffffffffffffffffffffffffff", "80", "30080"),
        ("18446744073709551617", "80", "30080"),
        ("-1", "80", "30080"),
        ("65536", "80", "30080"),
        ("80", "99999999999999999999", "30080"),
        ("80", "80", "-5"),
        ("80", "80", "70000"),
    ],
)
def test_service_ports_out_of_range(tmp_path, capsys, port, target, node):
    f = tmp_path / "svc.yaml"
    f.write_text(SERVICE.format(port=port, target=target, node=node))
    run = cli(capsys, "lint", str(f), "--format", "json")
    assert run.status == 1
    assert ("schema-invalid", 7) in run.found()


def test_service_ports_in_range(tmp_path, capsys):
    f = tmp_path / "svc.yaml"
    f.write_text(SERVICE.format(port="65535", target="http", node="0"))
    assert cli(capsys, "lint", str(f)).status == 0


@pytest.mark.parametrize("value", ["1:30", "1:20:30", "190:20:30.15"])
def test_yaml_1_1_base_60_numbers_are_text_as_in_kubernetes(tmp_path, capsys, value):
    """PyYAML reads 1:30 as 90; Kubernetes' YAML reader (1.2 rules) reads the string "1:30"."""
    f = tmp_path / "svc.yaml"
    f.write_text(SERVICE.format(port=value, target="80", node="30080"))
    run = cli(capsys, "lint", str(f), "--format", "json")
    assert run.status == 1
    message = next(d["message"] for d in run.diagnostics() if d["rule"] == "schema-invalid")
    assert f"got '{value}'" in message
