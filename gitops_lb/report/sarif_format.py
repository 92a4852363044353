"""SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`).

One run; tool.driver.rules lists every registered rule (plus any other rule id a result names),
so ruleIndex stays the same from run to run. Paths are relative to the repository root
(see _paths) under the %SRCROOT% base. partialFingerprints.primaryLocationLineHash hashes what
identifies a finding (rule, file, object, field path, message) and not its line, so an alert
survives edits above it; partialFingerprints["gitopsLb/v1"] is the baseline's fingerprint
(gitops_lb.report.baseline). Suppressed findings carry `suppressions` of kind inSource. No
timestamps: the same input gives the same bytes. A finding `gitops-lb fix` corrects carries
`fixes` (one artifactChange of its file, with its replacements).
"""

from __future__ import annotations

import hashlib
import json
import textwrap
from collections import Counter
from typing import Any, TextIO
from urllib.parse import quote

from gitops_lb import __version__
from gitops_lb.diagnostics import Diagnostic, Location, Result
from gitops_lb.docs import explain
from gitops_lb.printable import display_path
from gitops_lb.report import _paths, baseline
from gitops_lb.rules import all_rules

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/gitops-lb/gitops-lb"
SRCROOT = "%SRCROOT%"


def _rule_descriptor(rule_id: str) -> dict[str, Any]:
    rule = all_rules().get(rule_id)
    text = explain(rule_id)
    if rule is None or text is None:  # a result from outside the rule registry
        return {
            "id": rule_id,
            "name": rule_id,
            "shortDescription": {"text": rule_id},
            "fullDescription": {"text": rule_id},
            "help": {"text": rule_id, "markdown": rule_id},
        }
    help_text = text.split("\n\n", 1)[1].strip()  # without the id heading
    body = textwrap.dedent(rule.doc.strip().partition("\n")[2]).strip()
    full = "\n\n".join(" ".join(p.split()) for p in body.split("\n\n") if p.strip())
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": full or rule.summary},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": str(rule.severity)},
        "properties": {"tags": [rule.category]},
    }


def _artifact(file: str, root: str) -> dict[str, str]:
    rel = _paths.relative_path(file, root)
    if rel is not None:
        return {"uri": quote(display_path(rel)), "uriBaseId": SRCROOT}
    return {"uri": _paths.absolute_uri(file) or quote(display_path(file), safe="")}


def _location(loc: Location, root: str) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": _artifact(loc.file, root),
            "region": {"startLine": max(loc.line, 1), "startColumn": max(loc.column, 1)},
        }
    }


def _link_text(text: str) -> str:
    """Plain text inside a SARIF embedded link: escape backslash and square brackets."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _fingerprint_key(d: Diagnostic, root: str) -> str:
    file = display_path(_paths.report_path(d.location.file, root))
    parts = (d.rule, file, d.object or "", d.path or "", d.message)
    return hashlib.sha256("\0".join(parts).encode("utf-8", "replace")).hexdigest()[:32]


def _result(d: Diagnostic, index: int, fingerprint: str, root: str) -> dict[str, Any]:
    text = d.message or d.rule
    if d.related:  # GitHub shows related locations only when the message links to them
        links = "; ".join(f"[{_link_text(r.message)}]({i})" for i, r in enumerate(d.related, 1))
        text = f"{text} (see {links})"
    out: dict[str, Any] = {
        "ruleId": d.rule,
        "ruleIndex": index,
        "level": str(d.severity),
        "message": {"text": text},
        "locations": [_location(d.location, root)],
        "partialFingerprints": {
            "primaryLocationLineHash": fingerprint,
            baseline.FINGERPRINT_KEY: baseline.fingerprint(d, root),
        },
    }
    if d.suppressed:
        out["suppressions"] = [{"kind": "inSource", "status": "accepted"}]
    if d.object:
        name = d.object.rsplit("/", 1)[-1]
        logical = {"name": name, "fullyQualifiedName": d.object, "kind": "object"}
        out["locations"][0]["logicalLocations"] = [logical]
    if d.related:
        out["relatedLocations"] = [
            {"id": i, **_location(r.location, root), "message": {"text": r.message}}
            for i, r in enumerate(d.related, 1)
        ]
    if d.path:
        out["properties"] = {"path": d.path}
    if d.fix is not None and not d.suppressed:
        out["fixes"] = [_fix(d, root)]
    return out


def _fix(d: Diagnostic, root: str) -> dict[str, Any]:
    """The finding's fix as SARIF replacements of its file (GitHub shows them as suggestions);
    an unsafe one says so in its description."""
    fix = d.fix
    assert fix is not None
    text = fix.description if fix.safe else f"{fix.description} [needs --unsafe-fixes]"
    return {
        "description": {"text": text},
        "artifactChanges": [
            {
                "artifactLocation": _artifact(d.location.file, root),
                "replacements": [
                    {
                        "deletedRegion": {
                            "startLine": r.start[0],
                            "startColumn": r.start[1],
                            "endLine": r.end[0],
                            "endColumn": r.end[1],
                        },
                        "insertedContent": {"text": r.text},
                    }
                    for r in fix.replacements
                ],
            }
        ],
    }


def document(result: Result) -> dict[str, Any]:
    root = _paths.source_root()
    diags = result.sorted()
    rule_ids = sorted(set(all_rules()) | {d.rule for d in diags})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    seen: Counter[str] = Counter()
    results = []
    for d in diags:
        key = _fingerprint_key(d, root)
        seen[key] += 1
        results.append(_result(d, index[d.rule], f"{key}:{seen[key]}", root))
    run = {
        "tool": {
            "driver": {
                "name": "gitops-lb",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule_descriptor(r) for r in rule_ids],
            }
        },
        "invocations": [{"executionSuccessful": not result.fatal}],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def report(result: Result, stream: TextIO, *, command: str) -> None:
    json.dump(document(result), stream, indent=2)
    stream.write("\n")
