"""A BGPAdvertisement's aggregation length is out of range or shorter than a pool's prefix.

`aggregationLength` (IPv4) may be at most 32 and `aggregationLengthV6` at most 128. Each
address entry of every pool the advertisement applies to must also fit inside one aggregate:
MetalLB rejects the configuration when the aggregation length is shorter than the widest
prefix of an entry (`aggregationLength: 24` with a pool `10.0.0.0/26` would announce a /24
of which MetalLB owns only a quarter). A range counts with the widest CIDR it breaks into:
`3.3.3.2-3.3.3.254` contains a /26, so it accepts 26 and rejects 24. An entry's family is
that of its first CIDR. Note that an IPv4-mapped IPv6 CIDR (`::ffff:10.0.0.0/120`) counts as
IPv4 with its 128-bit mask length, so no IPv4 aggregation length fits it: write it as IPv4.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.rules._base import Rule
from gitops_lb.words import field_value, short

ID = "bgpadv-aggregation-length"

LIMITS = (("aggregationLength", 4, 32), ("aggregationLengthV6", 6, 128))


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    sem = semantics_of(cfg)
    for adv in cfg.bgpadvs:
        spec = adv.model.spec
        lengths = {4: spec.aggregationLength, 6: spec.aggregationLengthV6}
        fields = {4: "aggregationLength", 6: "aggregationLengthV6"}
        for field, family, limit in LIMITS:
            if lengths[family] > limit:
                yield Finding(
                    f"{field_value(adv, ('spec', field), str(lengths[family]))} is longer "
                    f"than {limit}",
                    adv,
                    ("spec", field),
                )
        for pool in sem.attached_pools(adv):
            for i, entry in enumerate(sem.pool_entries[id(pool)]):
                if not entry.nets:
                    continue
                family = entry.nets[0].family
                length, widest = lengths[family], entry.widest
                if length < widest:
                    yield Finding(
                        f"{field_value(adv, ('spec', fields[family]), str(length))} is "
                        f"shorter than the /{widest} of {entry.text!r} in "
                        f"{short(pool, 'pool')}",
                        adv,
                        ("spec", fields[family]),
                        related=(
                            Rel(f"{entry.text} defined here", pool, ("spec", "addresses", i)),
                        ),
                    )


RULE = Rule(ID, Severity.ERROR, "metallb", __doc__ or "", check, enforced=True)
