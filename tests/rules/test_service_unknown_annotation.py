"""service-unknown-annotation: MetalLB-looking Service annotations that MetalLB never reads."""

from tests.helpers import lint
from tests.rules.svc import IPS, OLD_POOL, OLD_SHARE, POOL, SHARE, line_of, svc

RULE = "service-unknown-annotation"


def found(text: str) -> list[tuple[int, int, str]]:
    return [(d.location.line, d.location.column, d.message) for d in lint(text) if d.rule == RULE]


def hint(message: str) -> str | None:
    return (
        message.split("did you mean ", 1)[1].rstrip("?'").strip("'") if "mean" in message else None
    )


def test_misspelt_keys_name_the_key_meant():
    typos = {
        "metallb.io/loadBalancerIP": IPS,  # singular
        "metallb.universe.tf/adress-pool": OLD_POOL,
        "metallb.io/allow-shared-ips": SHARE,
        "metallb.io/Address-Pool": POOL,  # wrong case
        "metallb.universe/address-pool": OLD_POOL,  # prefix cut short
        "metalb.io/loadBalancerIPs": IPS,  # prefix misspelt
        "MetalLB.io/allow-shared-ip": SHARE,
        "universe.tf/allow-shared-ip": OLD_SHARE,
        "metallb.io/loadbalancer-ips": IPS,
        "mettallb.io/address-pool": POOL,  # near MetalLB's prefix, with a MetalLB key name
    }
    text = svc("web", ann=dict.fromkeys(typos, "x"))
    got = found(text)
    assert [line for line, _, _ in got] == [line_of(text, f"{k}:") for k in typos]
    assert all(col == 5 for _, col, _ in got)  # at the key
    assert [hint(msg) for _, _, msg in got] == list(typos.values())
    assert got[0][2] == (
        "Service web/web: annotation 'metallb.io/loadBalancerIP' is not one MetalLB reads, so "
        f"it has no effect; did you mean {IPS!r}?"
    )


def test_unknown_key_without_a_close_one_has_no_hint():
    text = svc("db", ns="data", ann={"metallb.io/pool": "a", "metallb.universe.tf/bgp-peer": "r"})
    got = found(text)
    assert [line for line, _, _ in got] == [
        line_of(text, "metallb.io/pool"),
        line_of(text, "metallb.universe.tf/bgp-peer"),
    ]
    assert all("did you mean" not in msg for _, _, msg in got)


def test_misspelt_key_is_an_error_and_a_warning_under_compat():
    text = svc("web", ann={"metallb.io/adress-pool": "web"})
    assert {str(d.severity) for d in lint(text) if d.rule == RULE} == {"error"}
    assert {str(d.severity) for d in lint(text, compat=True) if d.rule == RULE} == {"warning"}


def test_metallb_keys_and_other_annotations_pass():
    known = {
        f"{prefix}/{name}": "v"
        for prefix in ("metallb.io", "metallb.universe.tf")
        for name in ("address-pool", "allow-shared-ip", "ip-allocated-from-pool")
    }
    others = {
        "external-dns.alpha.kubernetes.io/hostname": "a.example.com",
        "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
        "argocd.argoproj.io/sync-wave": "2",
        "kube-vip.io/loadbalancerIPs": "10.0.0.9",
        "address-pool": "web",  # no prefix: not MetalLB's (and not read by it either)
        "metallb": "yes",
        # near MetalLB's prefix but nothing like a MetalLB key after it: another tool's
        "metal3.io/bmh-name": "host-1",
        "metal.io/owner": "team-a",
    }
    text = svc("a", ann=known | {IPS: "10.0.0.5"}) + svc("b", ann=others)
    assert found(text) == []


def test_services_metallb_does_not_handle_are_not_checked():
    typo = {"metallb.io/loadBalancerIP": "10.0.0.5"}
    text = svc("internal", ann=typo).replace("type: LoadBalancer", "type: ClusterIP")
    text += svc("other", ann=typo, spec="  loadBalancerClass: example.com/lb\n")
    assert found(text) == []


def test_site_spec_service_annotations_are_checked_at_the_site_line():
    from tests.site.fixtures import BASE
    from tests.site.helpers import line_of as site_line
    from tests.site.helpers import lines, site

    services = """\
    services:
      - name: web
        namespace: shop
        pool: web
        annotations: {metallb.io/allow-shared-ips: shop, external-dns.alpha.kubernetes.io/ttl: '60'}
"""
    text = site(BASE + services)
    assert lines(RULE, text) == [site_line(text, "allow-shared-ips")]
    assert lines(RULE, site(BASE + services.replace("allow-shared-ips", "allow-shared-ip"))) == []
