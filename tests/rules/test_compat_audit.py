"""Regressions from auditing --metallb-compat against MetalLB's own test cases.

Line breaks in values MetalLB writes into FRR's configuration, and objects that MetalLB's
parser sees twice (identical peers or advertisements, name included).
"""

from __future__ import annotations

import base64

import pytest

from tests.builders import bgpadv, line_of, peer
from tests.helpers import NS, errors, hits, lint, pool


def secret(name: str, password: str, *, type_: str = "kubernetes.io/basic-auth") -> str:
    encoded = base64.b64encode(password.encode()).decode()
    return (
        f"---\napiVersion: v1\nkind: Secret\nmetadata: {{name: {name}, namespace: {NS}}}\n"
        f"type: {type_}\ndata: {{password: {encoded}}}\n"
    )


PEER = "myASN: 64512, peerASN: 64513"


# --- peer-line-break ------------------------------------------------------------------------
# No MetalLB release rejects line breaks (the check is only in an open pull request), so the
# rule is an error by default and a warning under --metallb-compat.


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
    assert errors(text) == ["peer-line-break"]
    assert errors(text, compat=True) == []
    assert warned(text) == ["peer-line-break"]


def warned(text: str) -> list[str]:
    return [d.rule for d in lint(text, compat=True) if d.rule == "peer-line-break"]


def test_line_break_in_secret_password_is_rejected() -> None:
    text = peer("p", f"{{{PEER}, peerAddress: 10.0.0.1, passwordSecret: {{name: s}}}}")
    text += secret("s", "pw\n")
    assert hits(text, "peer-line-break") == [line_of(text, "passwordSecret")]
    assert errors(text) == ["peer-line-break"]
    assert errors(text, compat=True) == []
    assert warned(text) == ["peer-line-break"]


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


# --- metallb-duplicate-object ---------------------------------------------------------------


def nameless(kind: str, spec: str) -> str:
    version = "v1beta2" if kind == "BGPPeer" else "v1beta1"
    return (
        f"---\napiVersion: metallb.io/{version}\nkind: {kind}\n"
        f"metadata: {{namespace: {NS}}}\nspec: {spec}\n"
    )


def test_two_nameless_identical_peers_are_rejected() -> None:
    spec = "{myASN: 42, peerASN: 42, peerAddress: 1.2.3.4}"
    text = nameless("BGPPeer", spec) + nameless("BGPPeer", spec)
    assert hits(text, "metallb-duplicate-object") == [line_of(text, "metadata:", 2)]
    assert errors(text, compat=True) == ["metallb-duplicate-object"]


def test_same_peer_written_differently_is_still_identical() -> None:
    # 1m == 60s and an explicit 179 is the default port: MetalLB compares parsed values
    text = peer("p", f"{{{PEER}, peerAddress: 10.0.0.1, holdTime: 60s}}")
    text += peer("p", f"{{{PEER}, peerAddress: 10.0.0.1, holdTime: 1m, peerPort: 179}}")
    assert hits(text, "metallb-duplicate-object") == [line_of(text, "metadata:", 2)]
    assert [d.rule for d in lint(text) if d.rule.startswith("object-dup")] == []


def test_peers_that_differ_are_not_identical() -> None:
    text = peer("p", f"{{{PEER}, peerAddress: 10.0.0.1}}")
    text += peer("q", f"{{{PEER}, peerAddress: 10.0.0.1}}")  # other name
    text += nameless("BGPPeer", f"{{{PEER}, peerAddress: 10.0.0.1}}")
    text += nameless("BGPPeer", f"{{{PEER}, peerAddress: 10.0.0.2}}")
    assert hits(text, "metallb-duplicate-object") == []
    assert errors(text, compat=True) == []


def test_identical_advertisements_are_rejected_but_different_ones_pass() -> None:
    text = pool("a", "10.0.0.0/24")
    text += nameless("BGPAdvertisement", "{localPref: 100}")
    text += nameless("BGPAdvertisement", "{localPref: 200}")
    assert hits(text, "metallb-duplicate-object") == []
    text += nameless("BGPAdvertisement", "{localPref: 100, aggregationLength: 32}")
    assert hits(text, "metallb-duplicate-object") == [line_of(text, "metadata:", 4)]


def test_same_name_copy_is_reported_once() -> None:
    text = bgpadv("x", "{localPref: 1}") + bgpadv("x", "{localPref: 1}")
    rules = [d.rule for d in lint(text)]
    assert rules.count("metallb-duplicate-object") == 1
    assert "object-duplicate" not in rules
    # a copy that was changed stays object-duplicate's (MetalLB only sees the last one)
    changed = bgpadv("x", "{localPref: 1}") + bgpadv("x", "{localPref: 2}")
    assert hits(changed, "metallb-duplicate-object") == []
    assert hits(changed, "object-duplicate") == [line_of(changed, "name: x,", 2)]
