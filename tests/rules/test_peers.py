"""BGPPeer rules that apply in every BGP mode: ASNs, addresses, timers, passwords, BFD."""

from tests.helpers import NS, hits, lint
from tests.rules._peers import bfd, peer, secret

# the first document's extra spec lines start at line 9 (after myASN, peerASN, peerAddress)


def test_peer_asn_missing_local_and_peer_asn():
    text = peer("a", "myASN: 0", "peerASN: 0", "peerAddress: 10.0.0.1", base=False)
    assert hits(text, "peer-asn") == [6, 7]


def test_peer_asn_peer_asn_absent_points_at_spec():
    assert hits(peer("a", "myASN: 1", "peerAddress: 10.0.0.1", base=False), "peer-asn") == [5]


def test_peer_asn_both_peer_asn_and_dynamic():
    assert hits(peer("a", "dynamicASN: external"), "peer-asn") == [9]


def test_peer_asn_ok():
    assert hits(peer("a"), "peer-asn") == []
    text = peer("a", "myASN: 1", "dynamicASN: internal", "peerAddress: 10.0.0.1", base=False)
    assert hits(text, "peer-asn") == []


def test_ebgp_multihop_on_ibgp_peer():
    text = peer("a", "myASN: 65000", "peerASN: 65000", "peerAddress: 10.0.0.1",
                "ebgpMultiHop: true", base=False)  # fmt: skip
    assert hits(text, "peer-ebgp-multihop-ibgp") == [9]


def test_ebgp_multihop_ok():
    assert hits(peer("a", "ebgpMultiHop: true"), "peer-ebgp-multihop-ibgp") == []
    text = peer("a", "myASN: 1", "dynamicASN: internal", "peerAddress: 10.0.0.1",
                "ebgpMultiHop: true", base=False)  # fmt: skip
    assert hits(text, "peer-ebgp-multihop-ibgp") == []


def test_peer_address_problems():
    neither = peer("a", "myASN: 1", "peerASN: 2", base=False)
    assert hits(neither, "peer-address") == [5]
    both = peer("b", "interface: eth1")
    assert hits(both, "peer-address") == [9]
    zone = peer("c", "myASN: 1", "peerASN: 2", "peerAddress: fe80::1%eth0", base=False)
    assert hits(zone, "peer-address") == [8]
    d = lint(zone)
    assert "zones are not accepted" in next(x.message for x in d if x.rule == "peer-address")
    leading_zero = peer("d", "myASN: 1", "peerASN: 2", "peerAddress: 10.0.0.01", base=False)
    assert hits(leading_zero, "peer-address") == [8]
    cidr = peer("e", "myASN: 1", "peerASN: 2", "peerAddress: 10.0.0.1/32", base=False)
    assert hits(cidr, "peer-address") == [8]


def test_peer_address_ok():
    assert hits(peer("a"), "peer-address") == []
    assert hits(peer("a", "myASN: 1", "peerASN: 2", "interface: eth1", base=False),
                "peer-address") == []  # fmt: skip
    v6 = peer("a", "myASN: 1", "peerASN: 2", "peerAddress: 'fc00::1'", base=False)
    assert hits(v6, "peer-address") == []


def test_peer_invalid_router_id_and_source():
    text = peer("a", "routerID: 10.0.0", "sourceAddress: 10.1.1.1/24")
    assert hits(text, "peer-invalid-ip") == [9, 10]


def test_peer_router_id_ipv6_and_valid_source_accepted():
    text = peer("a", "routerID: '2001:db8::1'", "sourceAddress: 10.1.1.1")
    assert hits(text, "peer-invalid-ip") == []


def test_peer_timers_unparsable():
    text = peer("a", "holdTime: '10'", "keepaliveTime: ''", "connectTime: 1d")
    assert hits(text, "peer-timers") == [9, 10, 11]


def test_peer_timers_hold_and_keepalive_rules():
    assert hits(peer("a", "holdTime: 2.9s"), "peer-timers") == [9]
    assert hits(peer("a", "holdTime: -5s"), "peer-timers") == [9]  # one finding, not two
    assert hits(peer("a", "holdTime: 9s", "keepaliveTime: 10s"), "peer-timers") == [10]
    assert hits(peer("a", "keepaliveTime: 900ms"), "peer-timers") == [9]  # hold 2.7s


def test_peer_timers_keepalive_message_names_both():
    d = lint(peer("a", "holdTime: 9s", "keepaliveTime: 10s"))
    f = next(x for x in d if x.rule == "peer-timers")
    assert "keepaliveTime '10s'" in f.message and "holdTime '9s'" in f.message
    assert [r.location.line for r in f.related] == [9]


def test_peer_timers_ok():
    ok = peer("a", "holdTime: 500ms")  # truncated to 0s
    assert hits(ok, "peer-timers") == []
    ok = peer("a", "holdTime: 1m30s", "keepaliveTime: 30s", "connectTime: 10s")
    assert hits(ok, "peer-timers") == []
    assert hits(peer("a", "keepaliveTime: 1s"), "peer-timers") == []  # hold 3s


def test_peer_timers_connect_time():
    assert hits(peer("a", "connectTime: 1.5s"), "peer-timers") == [9]
    assert hits(peer("a", "connectTime: 0s"), "peer-timers") == [9]
    assert hits(peer("a", "connectTime: 65536s"), "peer-timers") == [9]
    assert hits(peer("a", "connectTime: 65535s"), "peer-timers") == []


def test_peer_timers_v1beta1_conversion():
    only_keepalive = peer("a", "keepaliveTime: 30s", version="v1beta1")
    assert hits(only_keepalive, "peer-timers") == [9]
    d = lint(only_keepalive)
    assert "v1beta1 BGPPeer without holdTime" in next(
        x.message for x in d if x.rule == "peer-timers"
    )
    assert hits(peer("a", "holdTime: ''", version="v1beta1"), "peer-timers") == [9]
    assert hits(peer("a", version="v1beta1"), "peer-timers") == []
    assert hits(peer("a", "holdTime: 90s", version="v1beta1"), "peer-timers") == []


def test_password_conflict_points_at_secret_ref():
    text = peer("a", "password: hunter2", "passwordSecret: {name: s}") + secret("s")
    assert hits(text, "peer-password-conflict") == [10]
    d = next(x for x in lint(text) if x.rule == "peer-password-conflict")
    assert "hunter2" not in d.message
    assert [r.location.line for r in d.related] == [9]


def test_password_conflict_ok():
    assert hits(peer("a", "password: x"), "peer-password-conflict") == []
    text = peer("a", "password: x", "passwordSecret: {namespace: other}")
    assert hits(text, "peer-password-conflict") == []


def test_password_secret_missing_wrong_type_no_key():
    ref = "passwordSecret: {name: s}"
    assert hits(peer("a", ref), "peer-password-secret") == [9]
    assert hits(peer("a", ref) + secret("s", type_="Opaque"), "peer-password-secret") == [9]
    no_key = peer("a", ref) + secret("s", data="username: dQ==")
    assert hits(no_key, "peer-password-secret") == [9]
    elsewhere = peer("a", ref) + secret("s", namespace="default")
    assert hits(elsewhere, "peer-password-secret") == [9]
    d = next(x for x in lint(elsewhere) if x.rule == "peer-password-secret")
    assert "'default' is not read" in d.message


def test_password_secret_ok():
    ref = "passwordSecret: {name: s, namespace: ignored}"
    assert hits(peer("a", ref) + secret("s"), "peer-password-secret") == []
    string_data = peer("a", ref) + secret("s", data="").replace(
        "data: {}", "stringData: {password: pw}"
    )
    assert hits(string_data, "peer-password-secret") == []


def test_unknown_bfd_profile():
    text = peer("a", "bfdProfile: fst") + bfd("fast")
    assert hits(text, "peer-unknown-bfd-profile") == [9]
    d = next(x for x in lint(text) if x.rule == "peer-unknown-bfd-profile")
    assert "did you mean 'fast'" in d.message


def test_known_bfd_profile():
    assert hits(peer("a", "bfdProfile: fast") + bfd("fast"), "peer-unknown-bfd-profile") == []


def test_bfd_profile_in_other_namespace_is_unknown():
    other = bfd("fast").replace(f"namespace: {NS}", "namespace: default")
    assert hits(peer("a", "bfdProfile: fast") + other, "peer-unknown-bfd-profile") == [9]
