"""Service rules about allocation: automatic choice, serviceAllocation, sharing, capacity."""

from tests.helpers import hits, pool
from tests.rules.svc import IPS, POOL, SHARE, found, l2, line_of, namespace, severities, svc

ADV = l2("all")


def team_pool(name: str, cidr: str, allocation: str) -> str:
    return pool(name, cidr, extra=f"  serviceAllocation:\n{allocation}")


# --- service-no-pool ----------------------------------------------------------------------------


def test_no_pool_autoassign_false():
    text = pool("manual", "10.0.0.0/24", extra="  autoAssign: false\n") + ADV + svc("a")
    assert found(text, "service-no-pool") == [
        (
            line_of(text, "type: LoadBalancer"),
            "Service web/a asks for an automatic address but no pool can give one: pool "
            "'manual' has autoAssign false",
        )
    ]
    assert severities(text, "service-no-pool") == {"warning"}


def test_no_pool_for_family_or_namespace():
    text = pool("v4", "10.0.0.0/24") + ADV
    text += team_pool("teams", "10.0.1.0/24", "    namespaces: [team-a]\n")
    text += svc("dual", spec="  ipFamilyPolicy: RequireDualStack\n")
    text += svc("six", spec="  ipFamilies: [IPv6]\n")
    got = found(text, "service-no-pool")
    assert [line for line, _ in got] == [line_of(text, "type: LoadBalancer", n) for n in (1, 2)]
    assert "pool 'v4' has no IPv6 addresses" in got[0][1]
    assert (
        "pool 'teams' is not for it (its serviceAllocation admits only namespaces team-a)"
        in (got[0][1])
    )


def test_automatic_assignment_possible():
    text = pool("v4", "10.0.0.0/24", "fc00::/120") + ADV
    text += team_pool("teams", "10.0.1.0/24", "    namespaces: [team-a]\n")
    text += svc("a") + svc("b", ns="team-a", spec="  ipFamilyPolicy: RequireDualStack\n")
    # PreferDualStack is served by a single-family pool; an unknown namespace is not guessed
    only_v4 = pool("p", "10.0.0.0/24") + team_pool("t", "10.0.1.0/24", "    namespaces: [x]\n")
    only_v4 += svc("c", spec="  ipFamilyPolicy: PreferDualStack\n  ipFamilies: [IPv6, IPv4]\n")
    pinned = team_pool("t", "10.0.1.0/24", "    namespaces: [x]\n") + svc("d", ns=None)
    # requests, pool annotations and empty inputs are not automatic
    manual = pool("m", "10.0.0.0/24", extra="  autoAssign: false\n")
    manual += svc("e", ann={POOL: "m"}) + svc("f", ann={IPS: "10.0.0.9"})
    for case in (text, only_v4, pinned, manual, svc("g")):
        assert hits(case + ADV, "service-no-pool") == []


def test_pinned_pool_by_service_selector_or_select_all():
    sel = "    serviceSelectors:\n    - matchLabels: {app: web}\n"
    text = team_pool("t", "10.0.1.0/24", sel) + ADV
    text += svc("match", labels="{app: web}") + svc("other", labels="{app: db}")
    assert hits(text, "service-no-pool") == [line_of(text, "type: LoadBalancer", 2)]
    everyone = team_pool("t", "10.0.1.0/24", "    priority: 1\n") + svc("x")
    assert hits(everyone, "service-no-pool") == []


# --- service-pool-incompatible ------------------------------------------------------------------


def test_pool_incompatible_by_namespace_and_labels():
    text = team_pool("teams", "10.0.1.0/24", "    namespaces: [team-a]\n") + ADV
    text += svc("named", ann={POOL: "teams"})
    text += svc("requested", ann={IPS: "10.0.1.5"})
    sel = "    serviceSelectors:\n    - matchLabels: {app: web}\n"
    text += team_pool("apps", "10.0.2.0/24", sel) + svc(
        "db", labels="{app: db}", ann={POOL: "apps"}
    )
    got = found(text, "service-pool-incompatible")
    assert [line for line, _ in got] == [
        line_of(text, POOL),
        line_of(text, IPS),
        line_of(text, POOL, 2),
    ]
    assert got[0][1] == (
        "Service web/named names pool 'teams', but its serviceAllocation admits only "
        "namespaces team-a"
    )
    assert "requests 10.0.1.5 from pool 'teams'" in got[1][1]
    assert "admits only Services its serviceSelectors match" in got[2][1]
    assert severities(text, "service-pool-incompatible") == {"warning"}


def test_pool_compatible_or_unknown():
    text = team_pool("teams", "10.0.1.0/24", "    namespaces: [team-a]\n") + ADV
    text += svc("ok", ns="team-a", ann={POOL: "teams"})
    text += svc("nons", ns=None, ann={POOL: "teams"})  # applied who knows where
    sel = "    namespaceSelectors:\n    - matchLabels: {tier: gold}\n"
    text += team_pool("gold", "10.0.2.0/24", sel)
    text += svc("nsobj", ns="web", ann={POOL: "gold"})  # Namespace web not in the input
    assert hits(text, "service-pool-incompatible") == []


def test_pool_incompatible_by_namespace_selector_with_namespaces_in_input():
    sel = "    namespaceSelectors:\n    - matchLabels: {tier: gold}\n"
    base = team_pool("gold", "10.0.2.0/24", sel) + ADV + svc("s", ann={POOL: "gold"})
    web = namespace("web", "{tier: bronze}")
    # another Namespace matches, so the resolved set is not empty and excludes web
    text = base + web + namespace("shop", "{tier: gold}")
    assert hits(text, "service-pool-incompatible") == [line_of(text, POOL)]
    assert (
        "the Namespaces its namespaceSelectors match"
        in found(text, "service-pool-incompatible")[0][1]
    )
    # no known Namespace matches: the set may be empty (then every namespace may ask)
    assert hits(base + web, "service-pool-incompatible") == []
    assert hits(base + namespace("web", "{tier: gold}"), "service-pool-incompatible") == []


def test_named_pool_without_the_service_family():
    text = pool("v4", "10.0.0.0/24") + pool("dual", "10.0.1.0/24", "fc00::/120") + ADV
    text += svc("six", ann={POOL: "v4"}, spec="  ipFamilies: [IPv6]\n")
    text += svc("both", ann={POOL: "v4"}, spec="  ipFamilyPolicy: RequireDualStack\n")
    got = found(text, "service-pool-incompatible")
    assert got == [
        (
            line_of(text, POOL, 1),
            "Service web/six names pool 'v4', but it lacks IPv6 addresses for this IPv6 Service",
        ),
        (
            line_of(text, POOL, 2),
            "Service web/both names pool 'v4', but it lacks IPv6 addresses for this dual-stack "
            "Service",
        ),
    ]
    ok = pool("v4", "10.0.0.0/24") + pool("dual", "10.0.1.0/24", "fc00::/120") + ADV
    ok += svc("a", ann={POOL: "dual"}, spec="  ipFamilyPolicy: RequireDualStack\n")
    ok += svc("b", ann={POOL: "v4"}, spec="  ipFamilyPolicy: PreferDualStack\n")
    ok += svc("c", ann={POOL: "v4"})
    assert hits(ok, "service-pool-incompatible") == []


# --- service-ip-sharing -------------------------------------------------------------------------


def test_sharing_refused():
    base = pool("web", "10.0.0.0/24") + ADV
    nokey = (
        base
        + svc("a", ann={IPS: "10.0.0.5"})
        + svc("b", ann={IPS: "10.0.0.5"}, ports="[{port: 81}]")
    )
    got = found(nokey, "service-ip-sharing")
    assert got == [
        (
            line_of(nokey, IPS, 2),
            "Service web/b cannot share 10.0.0.5 with web/a: web/a has no allow-shared-ip key",
        )
    ]
    keys = base + svc("a", ann={IPS: "10.0.0.5", SHARE: "k1"})
    keys += svc("b", ann={IPS: "10.0.0.5", SHARE: "k2"}, ports="[{port: 81}]")
    assert (
        "its allow-shared-ip key 'k2' differs from 'k1'" in found(keys, "service-ip-sharing")[0][1]
    )
    local = base + svc(
        "a",
        ann={IPS: "10.0.0.5", SHARE: "k"},
        spec="  externalTrafficPolicy: Local\n  selector: {app: a}\n",
    )
    local += svc(
        "b",
        ann={IPS: "10.0.0.5", SHARE: "k"},
        ports="[{port: 81}]",
        spec="  externalTrafficPolicy: Local\n  selector: {app: b}\n",
    )
    assert "identical pod selectors" in found(local, "service-ip-sharing")[0][1]
    ports = base + svc(
        "a", ann={IPS: "10.0.0.5", SHARE: "k"}, ports="[{port: 80}, {port: 53, protocol: UDP}]"
    )
    ports += svc("b", ann={IPS: "10.0.0.5", SHARE: "k"}, ports="[{port: 53}]")
    ports += svc("c", ann={IPS: "10.0.0.5", SHARE: "k"}, ports="[{port: 53, protocol: UDP}]")
    got = found(ports, "service-ip-sharing")
    assert got == [
        (
            line_of(ports, IPS, 3),
            "Service web/c cannot share 10.0.0.5 with web/a: port UDP/53 is already used on it "
            "by web/a",
        )
    ]
    assert severities(ports, "service-ip-sharing") == {"warning"}


def test_sharing_allowed():
    text = pool("web", "10.0.0.0/24") + ADV
    local = "  externalTrafficPolicy: Local\n  selector: {app: dns, tier: x}\n"
    text += svc(
        "a", ann={IPS: "10.0.0.5", SHARE: "dns"}, ports="[{port: 53, protocol: UDP}]", spec=local
    )
    text += svc("b", ann={IPS: "10.0.0.5", SHARE: "dns"}, ports="[{port: 53}]", spec=local)
    text += svc("c", ann={IPS: "10.0.0.6"})
    text += svc("c", ann={IPS: "10.0.0.6"})  # the same Service twice: not a sharing problem
    assert hits(text, "service-ip-sharing") == []


def test_sharing_groups_many_services_by_ip():
    text = pool("web", "10.0.0.0/16") + ADV
    for i in range(300):
        ann = {IPS: f"10.0.{i % 3}.9", SHARE: "k"}
        text += svc(f"s{i:03}", ann=ann, ports=f"[{{port: {1000 + i}}}]")
    text += svc("zz", ann={IPS: "10.0.0.9", SHARE: "k"}, ports="[{port: 1000}]")
    got = found(text, "service-ip-sharing")
    assert [m for _, m in got] == [
        "Service web/zz cannot share 10.0.0.9 with web/s000: port TCP/1000 is already used on it "
        "by web/s000"
    ]


# --- l2-shared-ip-service-selectors -------------------------------------------------------------

SELECTORS = "v0.16.0"  # the first MetalLB release with L2Advertisement serviceSelectors


def test_l2_shared_ip_with_service_selectors():
    ads = l2("sel", "  ipAddressPools: [web]\n  serviceSelectors:\n  - matchLabels: {app: x}\n")
    text = pool("web", "10.0.0.0/24") + ads
    text += svc("a", labels="{app: x}", ann={POOL: "web", SHARE: ""})
    rule = "l2-shared-ip-service-selectors"
    assert hits(text, rule, version=SELECTORS) == [line_of(text, SHARE)]
    assert severities(text, rule, version=SELECTORS) == {"warning"}
    auto = pool("web", "10.0.0.0/24") + ads + svc("b", labels="{app: x}", ann={SHARE: "k"})
    assert hits(auto, rule, version=SELECTORS) == [line_of(auto, SHARE)]


def test_l2_shared_ip_without_service_selectors_passes():
    ads = l2("sel", "  ipAddressPools: [web]\n  serviceSelectors:\n  - matchLabels: {app: x}\n")
    base = pool("web", "10.0.0.0/24") + ads
    cases = [
        base + svc("a", labels="{app: y}", ann={POOL: "web", SHARE: "k"}),  # ad does not match
        base + svc("b", labels="{app: x}", ann={POOL: "web"}),  # no sharing key
        pool("web", "10.0.0.0/24") + l2("plain") + svc("c", ann={SHARE: "k"}),
    ]
    for text in cases:
        assert hits(text, "l2-shared-ip-service-selectors", version=SELECTORS) == []


# --- pool-exhausted -----------------------------------------------------------------------------


def test_pool_exhausted_counts_requests_annotations_and_automatic():
    small = pool("small", "10.0.0.0/30", extra="  avoidBuggyIPs: true\n")  # .1 .2 .3
    text = small + pool("big", "10.1.0.0/24", extra="  autoAssign: false\n") + ADV
    text += svc("a", ann={IPS: "10.0.0.1"}) + svc("b", ann={POOL: "small"})
    text += svc("c") + svc("d")
    got = found(text, "pool-exhausted")
    assert got == [
        (
            line_of(text, 'addresses: ["10.0.0.0/30"]'),
            "pool 'small' has 3 IPv4 addresses but Services need at least 4 (1 requested, "
            "1 by address-pool annotation, 2 automatic with no other pool)",
        )
    ]
    assert severities(text, "pool-exhausted") == {"warning"}


def test_pool_not_exhausted():
    text = pool("small", "10.0.0.0/30") + pool("other", "10.1.0.0/24") + ADV
    # automatic services may also land in "other"
    text += "".join(svc(f"s{i}") for i in range(6))
    # services sharing one key and different ports need one address
    shared = pool("tiny", "10.0.0.1/32") + ADV
    shared += "".join(
        svc(f"k{i}", ann={POOL: "tiny", SHARE: "k"}, ports=f"[{{port: {80 + i}}}]")
        for i in range(4)
    )
    # a huge IPv6 pool never runs out
    huge = pool("v6", "fc00::/64") + ADV
    huge += "".join(svc(f"v{i}", spec="  ipFamilies: [IPv6]\n") for i in range(3))
    for case in (text, shared, huge):
        assert hits(case, "pool-exhausted") == []
    shared += svc("clash", ann={POOL: "tiny", SHARE: "k"}, ports="[{port: 80}]")
    assert hits(shared, "pool-exhausted") == [line_of(shared, "10.0.0.1/32")]
