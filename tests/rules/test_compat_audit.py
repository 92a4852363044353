"""Regressions from auditing --metallb-compat against MetalLB's own test cases.

Line breaks in values MetalLB writes into FRR's configuration.
"""

from __future__ import annotations

import base64

import pytest

from tests.builders import line_of, peer
from tests.helpers import NS, errors, hits


def secret(name: str, password: str, *, type_: str = "kubernetes.io/basic-auth") -> str:
    encoded = base64.b64encode(password.encode()).decode()
    return (
        f"---\napiVersion: v1\nkind: Secret\nmetadata: {{name: {name}, namespace: {NS}}}\n"
        f"type: {type_}\ndata: {{password: {encoded}}}\n"
    )


PEER = "myASN: 64512, peerASN: 64513"


# --- peer-line-break ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field",
    [
        f'{{{PEER}, interface: "eth0\\nrouter bgp 1"}}',
        f'{{{PEER}, peerAddress: 10.0.0.1, password: "secret\\n"}}',
        f'{{{PEER}, peerAddress: 10.0.0.1, vrf: "red\\r"}}',
    ],
)
def test_line_break_in_peer_field_is_rejected(field: str) -> None:
    text = peer("p", field)
    assert hits(text, "peer-line-break") == [line_of(text, "spec:")]
    assert errors(text, compat=True) == ["peer-line-break"]


def test_line_break_in_secret_password_is_rejected() -> None:
    text = peer("p", f"{{{PEER}, peerAddress: 10.0.0.1, passwordSecret: {{name: s}}}}")
    text += secret("s", "pw\n")
    assert hits(text, "peer-line-break") == [line_of(text, "passwordSecret")]
    assert errors(text, compat=True) == ["peer-line-break"]


def test_secret_string_data_with_line_break_is_rejected() -> None:
    text = peer("p", f"{{{PEER}, peerAddress: 10.0.0.1, passwordSecret: {{name: s}}}}")
    text += (
        f"---\napiVersion: v1\nkind: Secret\nmetadata: {{name: s, namespace: {NS}}}\n"
        'type: kubernetes.io/basic-auth\nstringData: {password: "pw\\r"}\n'
    )
    assert hits(text, "peer-line-break") == [line_of(text, "passwordSecret")]


def test_values_without_line_breaks_pass() -> None:
    text = peer("p", f"{{{PEER}, peerAddress: 10.0.0.1, password: 'a b', vrf: red}}")
    text += peer("q", f"{{{PEER}, interface: eth0}}")
    text += peer("r", f"{{{PEER}, peerAddress: 10.0.0.2, passwordSecret: {{name: s}}}}")
    text += secret("s", "pw")
    assert hits(text, "peer-line-break") == []
    assert errors(text, compat=True) == []


def test_unusable_secret_is_left_to_peer_password_secret() -> None:
    text = peer("p", f"{{{PEER}, peerAddress: 10.0.0.1, passwordSecret: {{name: s}}}}")
    text += secret("s", "pw\n", type_="Opaque")
    assert hits(text, "peer-line-break") == []
    assert errors(text, compat=True) == ["peer-password-secret"]
