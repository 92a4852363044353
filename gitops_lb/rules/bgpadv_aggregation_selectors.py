"""A BGPAdvertisement combines serviceSelectors with a non-default aggregation length.

With `serviceSelectors` an advertisement announces only some services of a pool, which works
only when each address is announced on its own (`/32` for IPv4, `/128` for IPv6): an
aggregated prefix would cover services that were not selected. The CRD's validation and
MetalLB's parser therefore refuse `aggregationLength` other than 32 or `aggregationLengthV6`
other than 128 when `serviceSelectors` is not empty. Split the advertisement in two: one with
the service selectors and default lengths, one with the aggregation. `serviceSelectors` came
with MetalLB v0.16.0 (`field-unsupported-version` before).
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.versions import FEATURES
from gitops_lb.rules._base import Applicability, Rule
from gitops_lb.words import title

ID = "bgpadv-aggregation-selectors"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for adv in cfg.bgpadvs:
        spec = adv.model.spec
        if not spec.serviceSelectors:
            continue
        for field, value, default in (
            ("aggregationLength", spec.aggregationLength, 32),
            ("aggregationLengthV6", spec.aggregationLengthV6, 128),
        ):
            if value != default:
                yield Finding(
                    f"{title(adv)} has serviceSelectors, so {field} must be "
                    f"{default} (got {value})",
                    adv,
                    ("spec", field),
                )


RULE = Rule(
    ID,
    Severity.ERROR,
    "metallb",
    __doc__ or "",
    check,
    enforced=True,
    applies=Applicability(versions=FEATURES["advertisement_service_selectors"]),
)
