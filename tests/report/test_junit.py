import xml.etree.ElementTree as ET

from gitops_lb.diagnostics import Diagnostic, Location, Result, Severity
from tests.report.samples import DC1, ODD, empty, mixed, render


def parse(result: Result) -> ET.Element:
    text = render("junit", result)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def counts(elem: ET.Element) -> list[int]:
    return [int(elem.get(k, "-1")) for k in ("tests", "failures", "errors", "skipped")]


def test_one_failure_per_error():
    result = mixed()
    root = parse(result)
    failures = root.findall("./testsuite/testcase/failure")
    assert len(failures) == result.errors == 3
    assert int(root.get("failures", "")) == 3
    assert sum(int(s.get("failures", "")) for s in root.findall("testsuite")) == 3


def test_suite_per_file_and_case_per_file_and_rule():
    root = parse(mixed())
    assert root.tag == "testsuites" and root.get("name") == "gitops-lb lint"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == [DC1, ODD]
    cases = [(c.get("classname"), c.get("name"), c.get("file")) for c in root.iter("testcase")]
    assert cases == [
        (DC1, "pool-overlap", DC1),
        (DC1, "schema-unknown-field", DC1),
        (ODD, "schema-unknown-field", ODD),
        (ODD, "yaml-syntax", ODD),
    ]
    assert all(c.get("time") == "0" for c in root.iter("testcase"))
    assert all(s.get("time") == "0" for s in root.iter("testsuite"))
    assert root.get("time") == "0"
    assert counts(suites[DC1]) == [2, 2, 0, 1]
    assert counts(suites[ODD]) == [2, 1, 0, 1]
    assert counts(root) == [4, 3, 0, 2]


def test_failure_text_has_location_object_and_related():
    root = parse(mixed())
    overlap = root.find("./testsuite/testcase[@name='pool-overlap']")
    assert overlap is not None
    first, second = overlap.findall("failure")
    assert first.get("type") == "pool-overlap"
    assert first.get("message") == "10.0.0.5/32 in pool 'a' overlaps with 10.0.0.0/24"
    assert first.text == (
        "sites/dc1.yaml:12:9: error: 10.0.0.5/32 in pool 'a' overlaps with 10.0.0.0/24\n"
        "    object: IPAddressPool/metallb-system/a spec.addresses[1]\n"
        "    sites/dc1.yaml:7:9: note: 10.0.0.0/24 [first] defined here"
    )
    assert second.text is not None
    assert second.text.endswith("    sites/other.yaml:2:3: note: also here")


def test_warnings_alone_are_a_skipped_case_with_their_text():
    root = parse(mixed())
    case = root.find(f"./testsuite[@name='{DC1}']/testcase[@name='schema-unknown-field']")
    assert case is not None
    assert case.find("failure") is None
    skipped = case.find("skipped")
    assert skipped is not None
    assert skipped.get("message") == "1 warning"
    assert skipped.text == (
        "sites/dc1.yaml:20:3: warning: unknown field 'spec.adresses'\n"
        "    object: IPAddressPool/metallb-system/a spec.adresses"
    )


def test_warnings_next_to_errors_of_the_same_rule_go_to_system_out():
    result = Result(
        diagnostics=[
            Diagnostic("yaml-syntax", Severity.ERROR, "bad", Location("a.yaml", 1, 1)),
            Diagnostic("yaml-syntax", Severity.WARNING, "odd", Location("a.yaml", 2, 1)),
        ]
    )
    case = parse(result).find("./testsuite/testcase")
    assert case is not None
    assert len(case.findall("failure")) == 1 and case.find("skipped") is None
    out = case.find("system-out")
    assert out is not None and out.text == "a.yaml:2:1: warning: odd"


def test_empty_result_is_one_passing_case():
    root = parse(empty())
    assert counts(root) == [1, 0, 0, 0]
    (case,) = root.iter("testcase")
    assert case.get("name") == "no problems in 2 files"
    assert case.get("classname") == "gitops-lb lint"
    assert list(case) == []


def test_text_xml_cannot_carry_is_replaced_and_non_ascii_kept():
    result = Result(
        diagnostics=[
            Diagnostic("yaml-syntax", Severity.ERROR, "bad \x01 byte, caf\u00e9 <&>", Location("a"))
        ]
    )
    text = render("junit", result)
    assert text.isascii()
    failure = ET.fromstring(text).find(".//failure")
    assert failure is not None
    assert failure.get("message") == "bad \ufffd byte, caf\u00e9 <&>"


def test_output_is_deterministic():
    shuffled = mixed()
    shuffled.diagnostics.reverse()
    assert render("junit", shuffled) == render("junit", mixed())
