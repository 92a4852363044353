"""A BGPPeer's holdTime, keepaliveTime or connectTime is invalid.

The three timers are Go durations: an optional sign and one or more number+unit groups with
units `ns`, `us`, `ms`, `s`, `m`, `h` (`90s`, `1m30s`, `1.5h`); a bare `0` is allowed, a bare
number (`"10"`) or an empty string is not. MetalLB then derives the missing one of hold and
keepalive (keepalive = hold / 3, hold = 3 x keepalive) and rejects the configuration when:

- the hold time, truncated to whole seconds, is neither 0 nor at least 3 s (`500ms` counts as 0
  and passes, `2.9s` and negative values fail);
- the keepalive time is longer than the hold time;
- `connectTime` is not a whole number of seconds or lies outside 1 to 65535 seconds (the CRD
  rejects it when the object is applied).

A `metallb.io/v1beta1` BGPPeer is converted with absent timers set to `0s`, so there a
keepaliveTime without holdTime is longer than the (zero) hold time.

This is how MetalLB v0.14.9 and later read the timers. Up to v0.14.8 they are plain
durations: an absent or zero `holdTime` means 90 s and an absent or zero `keepaliveTime` means
a third of the hold time, so `keepaliveTime: 100s` alone is longer than the hold time (90 s),
while `holdTime: 0s` with `keepaliveTime: 30s` is fine, and a v1beta1 BGPPeer's `0s` timers
are the defaults. `connectTime` came with v0.14.4 (`field-unsupported-version` before).
"""

from collections.abc import Callable, Iterator

from gitops_lb.config import ClusterConfig, Finding, Item, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb import models as m
from gitops_lb.metallb.bgp import (
    DurationError,
    Timers,
    connect_time_problems,
    derive_timers,
    derive_timers_before_0_14_9,
    format_duration,
    parse_duration,
    peer_label,
    spec_field,
    written,
)
from gitops_lb.metallb.versions import DEFAULT, Version, has, v
from gitops_lb.rules._base import Applicability, Rule

ID = "peer-timers"


def _parse(peer: Item[m.BGPPeer], name: str, text: str | None) -> tuple[int | None, Finding | None]:
    if text is None:
        return None, None
    try:
        return parse_duration(text), None
    except DurationError as exc:
        path, key = spec_field(peer, name)
        return None, Finding(
            f"{name} {text!r} of {peer_label(peer)} is not a duration: {exc} "
            '(write e.g. "90s" or "1m30s")',
            peer,
            path,
            key=key,
        )


def _shown(peer: Item[m.BGPPeer], name: str, text: str | None) -> str:
    if written(peer, name) or text is None:
        return repr(text)
    return f"{text!r} (a v1beta1 BGPPeer without {name} gets {text!r})"


def _timer_findings(
    peer: Item[m.BGPPeer], timers: Timers, version: Version = DEFAULT
) -> Iterator[Finding]:
    spec = peer.model.spec
    label = peer_label(peer)
    hold_text = _shown(peer, "holdTime", spec.holdTime)
    ka_text = _shown(peer, "keepaliveTime", spec.keepaliveTime)
    if timers.hold_invalid:
        if timers.hold_given:
            field = "holdTime"
            what = f"holdTime {hold_text} of {label} is"
        else:
            field = "keepaliveTime"
            what = (
                f"keepaliveTime {ka_text} of {label} gives a hold time of "
                f"{format_duration(timers.hold)} (3 x keepalive), which is"
            )
        path, key = spec_field(peer, field)
        yield Finding(
            f"{what} {timers.hold_seconds}s in whole seconds; MetalLB needs 0 or at least 3s",
            peer,
            path,
            key=key,
        )
    # a derived keepalive above a bad (negative) hold is a consequence, not a second mistake
    both = timers.hold_given and timers.keepalive_given
    if timers.keepalive_invalid and (both or not timers.hold_invalid):
        related: tuple[Rel, ...] = ()
        if timers.keepalive_given and timers.hold_given:
            field = "keepaliveTime"
            message = f"keepaliveTime {ka_text} of {label} is longer than holdTime {hold_text}"
            if written(peer, "holdTime"):
                related = (Rel("holdTime set here", peer, ("spec", "holdTime")),)
        elif timers.hold_given:
            field = "holdTime"
            message = (
                f"holdTime {hold_text} of {label} gives a keepalive of "
                f"{format_duration(timers.keepalive)} (hold / 3), longer than the hold time"
            )
        elif timers.hold_default:
            field = "keepaliveTime"
            message = (
                f"keepaliveTime {ka_text} of {label} is longer than the hold time of "
                f"{format_duration(timers.hold)} that MetalLB {version} uses when holdTime is "
                "absent or zero"
            )
        else:
            field = "keepaliveTime"
            message = (
                f"keepaliveTime {ka_text} of {label} gives a hold time of "
                f"{format_duration(timers.hold)} (3 x keepalive), shorter than the keepalive"
            )
        path, key = spec_field(peer, field)
        yield Finding(
            f"{message}; the keepalive must not exceed the hold time",
            peer,
            path,
            key=key,
            related=related,
        )


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    version = cfg.metallb_version
    optional = has(version, "optional_timers")
    derive: Callable[[int | None, int | None], Timers | None]
    derive = derive_timers if optional else derive_timers_before_0_14_9
    for peer in cfg.peers:
        spec = peer.model.spec
        hold, bad_hold = _parse(peer, "holdTime", spec.holdTime)
        keepalive, bad_keepalive = _parse(peer, "keepaliveTime", spec.keepaliveTime)
        connect, bad_connect = _parse(peer, "connectTime", spec.connectTime)
        for bad in (bad_hold, bad_keepalive, bad_connect):
            if bad is not None:
                yield bad
        if connect is not None:
            for problem in connect_time_problems(connect):
                yield Finding(
                    f"connectTime {spec.connectTime!r} of {peer_label(peer)} {problem}",
                    peer,
                    ("spec", "connectTime"),
                )
        if bad_hold is not None:
            continue
        if bad_keepalive is not None:
            # the hold time alone can still be judged; the keepalive comparison cannot
            timers = derive(hold, None)
            if timers is not None and timers.hold_invalid:
                yield from _timer_findings(peer, timers, version)
            continue
        timers = derive(hold, keepalive)
        if timers is not None:
            yield from _timer_findings(peer, timers, version)


RULE = Rule(
    ID,
    Severity.ERROR,
    "metallb",
    __doc__ or "",
    check,
    enforced=True,
    applies=Applicability(changes=(v("0.14.9"),)),
)
