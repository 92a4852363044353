"""BGPPeer warnings MetalLB does not enforce: they never fail --metallb-compat."""

from tests.helpers import errors, hits, lint
from tests.rules._peers import peer, secret

WARNINGS = (
    "peer-plaintext-password",
    "peer-disable-mp",
    "peer-local-asn-ignored",
    "peer-deprecated-version",
)


def test_plaintext_password_never_prints_the_password():
    text = peer("a", "password: s3cr3t-value")
    assert hits(text, "peer-plaintext-password") == [9]
    d = next(x for x in lint(text) if x.rule == "peer-plaintext-password")
    assert "s3cr3t-value" not in d.message and "passwordSecret" in d.message
    assert str(d.severity) == "warning"


def test_password_secret_is_fine():
    text = peer("a", "passwordSecret: {name: s}") + secret("s")
    assert hits(text, "peer-plaintext-password") == []


def test_disable_mp():
    assert hits(peer("a", "disableMP: true"), "peer-disable-mp") == [9]
    assert hits(peer("a", "disableMP: false"), "peer-disable-mp") == []


def test_local_asn_ignored_only_in_frr_k8s():
    text = peer("a", "localASN: 65001")
    at = "v0.16.0"  # the first MetalLB release with localASN
    assert hits(text, "peer-local-asn-ignored", bgp_mode="frr-k8s", version=at) == [9]
    assert hits(text, "peer-local-asn-ignored", bgp_mode="frr", version=at) == []
    assert hits(text, "peer-local-asn-ignored", version=at) == []
    assert hits(peer("a"), "peer-local-asn-ignored", bgp_mode="frr-k8s", version=at) == []


def test_deprecated_version_points_at_api_version():
    assert hits(peer("a", version="v1beta1"), "peer-deprecated-version") == [2]
    assert hits(peer("a"), "peer-deprecated-version") == []


def test_warnings_do_not_fail_compat():
    text = peer("a", "password: x", "disableMP: true", "localASN: 65001", version="v1beta2")
    b_spec = ("myASN: 64512", "peerASN: 64513", "peerAddress: 10.0.0.2")
    text += peer("b", *b_spec, base=False, version="v1beta1")
    at = "v0.16.0"  # localASN
    found = {
        d.rule: str(d.severity) for d in lint(text, bgp_mode="frr-k8s", compat=True, version=at)
    }
    assert {rule: found.get(rule) for rule in WARNINGS} == dict.fromkeys(WARNINGS, "warning")
    assert errors(text, bgp_mode="frr-k8s", compat=True, version=at) == []
    assert errors(text, bgp_mode="frr-k8s", version=at) == []
