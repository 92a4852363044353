"""gitops_lb.metallb.bgp: Go durations, MetalLB's timer rules, FRR peer grouping."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gitops_lb.metallb.bgp import (
    HOUR,
    INT64_MAX,
    MICROSECOND,
    MILLISECOND,
    MINUTE,
    SECOND,
    DurationError,
    connect_time_problems,
    derive_timers,
    differing,
    equal,
    format_duration,
    go_quo,
    go_rem,
    parse_duration,
    try_duration,
    wrap_int64,
)

S = SECOND


@pytest.mark.parametrize(
    ("text", "ns"),
    [
        ("0", 0),
        ("+0", 0),
        ("-0", 0),
        ("0s", 0),
        ("1h", HOUR),
        ("1m30s", 90 * S),
        ("1.5h", 90 * MINUTE),
        (".5s", 500 * MILLISECOND),
        ("5.s", 5 * S),
        ("-1.5s", -1500 * MILLISECOND),
        ("+2s", 2 * S),
        ("1h2m3s4ms5us6ns", HOUR + 2 * MINUTE + 3 * S + 4 * MILLISECOND + 5 * MICROSECOND + 6),
        ("1\u00b5s", MICROSECOND),
        ("1\u03bcs", MICROSECOND),
        ("1us", MICROSECOND),
        ("2.9s", 2900 * MILLISECOND),
        ("500ms", 500 * MILLISECOND),
        ("0.0000000001s", 0),  # below a nanosecond: dropped like Go
        ("1.0000000001s", S),
        ("9223372036854775807ns", INT64_MAX),
        ("-9223372036854775808ns", -INT64_MAX - 1),
        ("2562047h47m16.854775807s", INT64_MAX),
        ("1h0m0s", HOUR),
    ],
)
def test_parse_duration_like_go(text, ns):
    assert parse_duration(text) == ns


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "invalid duration"),
        ("10", "missing unit"),
        ("00", "missing unit"),
        ("1s2", "missing unit"),
        ("1d", 'unknown unit "d"'),
        ("1e3s", 'unknown unit "e"'),
        ("1S", 'unknown unit "S"'),
        (".", "invalid duration"),
        ("-", "invalid duration"),
        ("+-1s", "invalid duration"),
        (" 1s", "invalid duration"),
        ("1s ", 'unknown unit "s "'),
        (".s", "invalid duration"),
        ("9223372036854775808ns", "invalid duration"),
        ("2562047h47m16.854775808s", "invalid duration"),
        ("99999999999999999999s", "invalid duration"),
    ],
)
def test_parse_duration_errors(text, reason):
    with pytest.raises(DurationError, match=reason):
        parse_duration(text)
    assert try_duration(text) is None


def test_try_duration_absent():
    assert try_duration(None) is None
    assert try_duration("3s") == 3 * S


@pytest.mark.parametrize(
    ("ns", "text"),
    [
        (0, "0s"),
        (1, "1ns"),
        (1500, "1.5\u00b5s"),
        (500 * MILLISECOND, "500ms"),
        (2900 * MILLISECOND, "2.9s"),
        (90 * S, "1m30s"),
        (HOUR, "1h0m0s"),
        (-1500 * MILLISECOND, "-1.5s"),
    ],
)
def test_format_duration_like_go(ns, text):
    assert format_duration(ns) == text


@given(st.integers(min_value=-INT64_MAX - 1, max_value=INT64_MAX))
def test_format_then_parse_round_trips(ns):
    assert parse_duration(format_duration(ns)) == ns


def test_go_integer_arithmetic():
    assert go_quo(-7, 3) == -2 and go_rem(-7, 3) == -1
    assert go_quo(7, -3) == -2 and go_rem(7, 3) == 1
    assert wrap_int64(INT64_MAX + 1) == -INT64_MAX - 1


@pytest.mark.parametrize(
    ("hold", "keepalive", "hold_bad", "keepalive_bad"),
    [
        (500 * MILLISECOND, None, False, False),  # truncated to 0s
        (2900 * MILLISECOND, None, True, False),
        (3 * S, None, False, False),
        (-5 * S, None, True, True),  # hold/3 = -1.67s is above -5s too
        (-500 * MILLISECOND, None, False, True),  # hold/3 is above a negative hold
        (None, S, False, False),  # hold = 3s
        (None, 900 * MILLISECOND, True, False),  # hold = 2.7s
        (None, -S, True, True),
        (9 * S, 10 * S, False, True),
        (90 * S, -S, False, False),  # negative keepalive passes with hold >= 0
        (0, 0, False, False),
        (0, 30 * S, False, True),  # a converted v1beta1 peer with only keepaliveTime
    ],
)
def test_derive_timers(hold, keepalive, hold_bad, keepalive_bad):
    timers = derive_timers(hold, keepalive)
    assert timers is not None
    assert (timers.hold_invalid, timers.keepalive_invalid) == (hold_bad, keepalive_bad)


def test_derive_timers_defaults_and_overflow():
    assert derive_timers(None, None) is None
    timers = derive_timers(None, 30 * S)
    assert timers is not None and timers.hold == 90 * S and not timers.hold_given
    timers = derive_timers(90 * S, None)
    assert timers is not None and timers.keepalive == 30 * S
    # Go's Duration multiplication wraps around: 3 x 2,000,000h is 876,170h and change
    huge = derive_timers(None, 2_000_000 * HOUR)
    assert huge is not None and huge.hold == 3 * 2_000_000 * HOUR - 2**64
    assert huge.keepalive_invalid and not huge.hold_invalid


@pytest.mark.parametrize(
    ("ns", "problems"),
    [
        (S, 0),
        (65535 * S, 0),
        (10 * S + 500 * MICROSECOND, 0),  # CEL compares whole milliseconds
        (1500 * MILLISECOND, 1),
        (999 * MILLISECOND, 2),
        (0, 1),
        (65536 * S, 1),
        (-S, 1),
    ],
)
def test_connect_time(ns, problems):
    assert len(connect_time_problems(ns)) == problems


def test_conflict_helpers_compare_with_first_of_partition():
    values = {0: "a", 1: "a", 2: "b", 3: "c"}
    assert list(differing([[0, 1, 2, 3]], values.__getitem__)) == [(2, 0), (3, 0)]
    parts = {0: "x", 1: "y", 2: "x", 3: "y"}
    assert list(differing([[0, 1, 2, 3]], values.__getitem__, parts.__getitem__)) == [
        (2, 0),
        (3, 1),
    ]
    assert list(equal([[0, 1, 2, 3]], values.__getitem__)) == [(1, 0)]
