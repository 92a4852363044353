"""JUnit XML for GitLab (`artifacts:reports:junit`) and Jenkins (`junit` step).

One <testsuite> per file with findings and one <testcase> per (file, rule): classname is the
file (GitLab shows classname as the suite), name the rule id, `file` the path from the
repository root. Each error finding is one <failure>, so the failure count is the error count.
Warnings do not fail the case: a case with only warnings is <skipped> with the warnings as its
text (GitLab and Jenkins both show a skipped case's text; <system-out> of a passing case is not
shown by GitLab), and warnings next to errors of the same rule go to <system-out>. A run with
no findings is one passing case, because Jenkins fails a report without any test case. Times
are 0: nothing is timed, and the output stays the same for the same input.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import TextIO

from gitops_lb.diagnostics import Diagnostic, Result, Severity
from gitops_lb.printable import display_path
from gitops_lb.report import _paths

# characters XML 1.0 cannot carry, even escaped
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def _detail(d: Diagnostic, file: str, root: str) -> str:
    lines = [f"{file}:{d.location.line}:{d.location.column}: {d.severity}: {d.message}"]
    if d.object:
        where = f"{d.object} {d.path}" if d.path else d.object
        lines.append(f"    object: {where}")
    for rel in d.related:
        loc = rel.location
        rel_file = display_path(_paths.report_path(loc.file, root))
        lines.append(f"    {rel_file}:{loc.line}:{loc.column}: note: {rel.message}")
    return _clean("\n".join(lines))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def _counts(elem: ET.Element, tests: int, failures: int, skipped: int) -> None:
    elem.set("tests", str(tests))
    elem.set("failures", str(failures))
    elem.set("errors", "0")
    elem.set("skipped", str(skipped))
    elem.set("time", "0")


def _testcase(suite: ET.Element, file: str, rule: str, diags: list[Diagnostic], root: str) -> int:
    """Add one case; return its number of failures."""
    case = ET.SubElement(
        suite, "testcase", {"name": rule, "classname": _clean(file), "file": _clean(file)}
    )
    case.set("time", "0")
    errors = [d for d in diags if d.severity is Severity.ERROR]
    warnings = [d for d in diags if d.severity is not Severity.ERROR]
    for d in errors:
        failure = ET.SubElement(case, "failure", {"message": _clean(d.message), "type": rule})
        failure.text = _detail(d, file, root)
    text = "\n".join(_detail(d, file, root) for d in warnings)
    if warnings and errors:
        ET.SubElement(case, "system-out").text = text
    elif warnings:
        ET.SubElement(case, "skipped", {"message": _plural(len(warnings), "warning")}).text = text
    return len(errors)


def _group(diags: Iterable[Diagnostic], root: str) -> dict[str, dict[str, list[Diagnostic]]]:
    files: dict[str, dict[str, list[Diagnostic]]] = {}
    for d in diags:
        file = display_path(_paths.report_path(d.location.file, root))
        files.setdefault(file, {}).setdefault(d.rule, []).append(d)
    return files


def document(result: Result, command: str) -> ET.Element:
    root = _paths.source_root()
    title = f"gitops-lb {command}"
    top = ET.Element("testsuites", {"name": title})
    grouped = _group(result.reported(), root)
    total = [0, 0, 0]  # tests, failures, skipped
    for file in sorted(grouped):
        suite = ET.SubElement(top, "testsuite", {"name": _clean(file)})
        counts = [0, 0, 0]
        for rule in sorted(grouped[file]):
            failures = _testcase(suite, file, rule, grouped[file][rule], root)
            counts[0] += 1
            counts[1] += failures
            counts[2] += int(failures == 0)  # a case without errors holds only warnings
        _counts(suite, *counts)
        total = [a + b for a, b in zip(total, counts, strict=True)]
    if not grouped:
        suite = ET.SubElement(top, "testsuite", {"name": title})
        _counts(suite, 1, 0, 0)
        name = f"no problems in {_plural(result.files, 'file')}"
        ET.SubElement(suite, "testcase", {"name": name, "classname": title, "time": "0"})
        total = [1, 0, 0]
    _counts(top, *total)
    return top


def report(result: Result, stream: TextIO, *, command: str) -> None:
    top = document(result, command)
    ET.indent(top)
    body = ET.tostring(top, encoding="unicode")
    # non-ASCII as character references: valid UTF-8 whatever the stream's encoding
    body = body.encode("ascii", "xmlcharrefreplace").decode("ascii")
    stream.write(f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n')
