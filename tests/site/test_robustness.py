"""Bad site input never raises: every value of a full site replaced by odd values."""

import re

import pytest

from tests.site.fixtures import BASE
from tests.site.helpers import check, site

EXTRA = """\
    l2Advertisements:
      - name: all
        interfaces: [eth0]
        nodeSelectors: [{matchExpressions: [{key: rack, operator: In, values: [r1]}]}]
    services:
      - {name: s, namespace: x, pool: web, ips: [192.168.10.70], sharingKey: k, ports: [{port: 80}]}
"""
TEXT = site(BASE + EXTRA)
ODD = ["null", "[]", "{}", "x", "-1", "::ffff:1.2.3.4", "1.2.3.4/99", "10.0.0.9-10.0.0.1"]
VALUE = re.compile(r"(:\s+|-\s+|\[)([^\[\]{},:]+?)(?=[,\]}]|\s*$)")


def variants() -> list[str]:
    out = []
    lines = TEXT.splitlines()
    for i, line in enumerate(lines):
        if i < 7:
            continue
        for match in VALUE.finditer(line):
            for odd in ODD:
                new = line[: match.start(2)] + odd + line[match.end(2) :]
                out.append("\n".join([*lines[:i], new, *lines[i + 1 :]]) + "\n")
    return out


def test_variants_are_many():
    assert len(variants()) > 300


@pytest.mark.parametrize("chunk", range(8))
def test_odd_values_never_raise(chunk):
    for text in variants()[chunk::8]:
        for d in check(text):
            assert d.location.line >= 1 and d.rule
