import pytest

from gitops_lb.metallb.community import Community, CommunityError, parse_community, resolve
from tests.builders import bgpadv, community, line_of
from tests.helpers import hits, lint, pool

POOL = pool("p", "10.0.0.0/24")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("65535:65282", Community("standard", (65535, 65282))),
        ("0:0", Community("standard", (0, 0))),
        ("065000:007", Community("standard", (65000, 7))),
        ("large:1:2:3", Community("large", (1, 2, 3))),
        ("large:4294967295:0:4294967295", Community("large", (4294967295, 0, 4294967295))),
    ],
)
def test_parse_valid(text, expected):
    assert parse_community(text) == expected


@pytest.mark.parametrize(
    ("text", "format_error"),
    [
        ("70000:1", False),
        ("1:65536", False),
        ("-1:1", False),
        ("+1:1", False),
        (" 1:1", False),
        ("1_0:1", False),
        (":1", False),
        ("１:1", False),  # fullwidth digit  # noqa: RUF001
        ("Large:1:2:3", False),
        ("large:1:2:4294967296", False),
        ("1:2:3:4", False),
        ("1:2:3", True),
        ("large:1:2", True),
        ("no-advertise", True),
        ("", True),
        ("1:2:3:4:5", True),
    ],
)
def test_parse_invalid(text, format_error):
    parsed = parse_community(text)
    assert isinstance(parsed, CommunityError)
    assert parsed.format_error is format_error


def test_alias_wins_over_literal():
    assert resolve("1:1", {"1:1": "large:1:2:3"}) == Community("large", (1, 2, 3))
    assert resolve("1:1", {}) == Community("standard", (1, 1))


# --- community-invalid -----------------------------------------------------------------------


def test_invalid_advertisement_communities():
    text = POOL + bgpadv(
        "b",
        "\n  communities:\n    - '65535:65282'\n    - 'large:1:2:3'\n    - '1:2:3'\n"
        "    - '70000:1'\n    - 'unknown'\n    - 'gold'\n",
    )
    text += community("c", ("gold", "65000:1"))
    diags = [d for d in lint(text) if d.rule == "community-invalid"]
    assert [d.location.line for d in diags] == [
        line_of(text, "'1:2:3'"),
        line_of(text, "'70000:1'"),
        line_of(text, "'unknown'"),
    ]
    assert "not an alias defined by any Community" in diags[2].message


def test_invalid_alias_values():
    text = community("c", ("ok", "1:1"), ("big", "70000:1"), ("empty", ""))
    diags = [d for d in lint(text) if d.rule == "community-invalid"]
    assert [d.path for d in diags] == ["spec.communities[1].value", "spec.communities[2].value"]
    assert diags[0].location.line == line_of(text, "kind: Community") + 2


def test_alias_with_literal_looking_name_is_looked_up_first():
    text = community("c", ("1:2:3", "65000:1")) + bgpadv("b", "{communities: ['1:2:3']}")
    assert hits(text, "community-invalid") == []


# --- community-duplicate-alias ---------------------------------------------------------------


def test_duplicate_alias_across_objects():
    text = community("a", ("gold", "1:1"), ("silver", "1:2")) + community("b", ("gold", "1:1"))
    diags = [d for d in lint(text) if d.rule == "community-duplicate-alias"]
    assert [d.location.line for d in diags] == [line_of(text, "name: b,") + 1]
    assert diags[0].related[0].location.line == line_of(text, "name: a,") + 1
    assert "already defined in Community 'a'" in diags[0].message


def test_duplicate_alias_in_one_object():
    text = community("a", ("gold", "1:1"), ("gold", "1:2"))
    assert hits(text, "community-duplicate-alias") == [line_of(text, "name: a,") + 1]


def test_distinct_aliases():
    text = community("a", ("gold", "1:1")) + community("b", ("Gold", "1:1"))
    assert hits(text, "community-duplicate-alias") == []


# --- native-large-community ------------------------------------------------------------------


def test_native_large_community_literal_and_alias_value():
    text = POOL + bgpadv("b", "{communities: ['large:1:2:3', '1:1', 'big', 'bad:x']}")
    text += community("c", ("big", "large:1:2:3"), ("small", "1:1"))
    assert hits(text, "native-large-community", bgp_mode="native") == [
        line_of(text, "communities: ['large"),
        line_of(text, "name: c,") + 1,
    ]
    assert hits(text, "native-large-community", bgp_mode="frr") == []


def test_native_standard_communities_only():
    text = POOL + bgpadv("b", "{communities: ['1:1', 'alias']}") + community("c", ("alias", "2:2"))
    assert hits(text, "native-large-community", bgp_mode="native") == []


# --- community-limit -------------------------------------------------------------------------


def many(n: int) -> str:
    return ", ".join(f"'65000:{i}'" for i in range(n))


def test_more_than_63_communities_in_frr_modes():
    text = POOL + bgpadv("b", f"{{communities: [{many(64)}]}}")
    assert hits(text, "community-limit", bgp_mode="frr") == [line_of(text, "communities")]
    assert hits(text, "community-limit", bgp_mode="frr-k8s") == [line_of(text, "communities")]
    assert hits(text, "community-limit", bgp_mode="native") == []
    diags = lint(text, bgp_mode="frr", compat=True)
    assert [str(d.severity) for d in diags if d.rule == "community-limit"] == ["warning"]


def test_63_distinct_communities_are_fine():
    # 63 literals plus an alias and a spelling that resolve to values already listed
    text = POOL + bgpadv("b", f"{{communities: [{many(63)}, 'same', '65000:01']}}")
    text += community("c", ("same", "65000:5"))
    assert hits(text, "community-limit", bgp_mode="frr") == []
