"""Baselines: the findings a repository has accepted for now (docs/suppressions.md).

`--write-baseline FILE` records the fingerprint of every finding that is not suppressed;
`--baseline FILE` leaves out of the report as many findings of each fingerprint as the file
records. A fingerprint hashes the rule, the file (relative to the repository root), the
object, the field path and the message without its line and column numbers: it survives
edits that move the finding, reformatting and reordered documents. SARIF results carry it in
partialFingerprints (FINGERPRINT_KEY).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from gitops_lb.diagnostics import Diagnostic, Result
from gitops_lb.errors import GitopsLbError
from gitops_lb.report import _paths

FORMAT = 1  # the "format" of the baseline file
FINGERPRINT_KEY = "gitopsLb/v1"  # SARIF partialFingerprints key of the same value

# positions inside messages: "line 12", "lines 3-4", "column 5", "file.yaml:12:3"
_POSITIONS = re.compile(
    r"\b(lines?|col(?:umn)?s?)\s+\d+(?:\s*-\s*\d+)?|(?:(?<=\.yaml)|(?<=\.yml)):\d+(?::\d+)?\b",
    re.IGNORECASE,
)


class BaselineError(GitopsLbError):
    """A baseline file that cannot be read or written (exit status 3)."""


def stable_message(message: str) -> str:
    """The message without the positions in it."""
    return " ".join(_POSITIONS.sub(lambda m: m.group(1) or "", message).split())


def fingerprint(d: Diagnostic, root: str) -> str:
    file = _paths.report_path(d.location.file, root)
    parts = (d.rule, file, d.object or "", d.path or "", stable_message(d.message))
    return hashlib.sha256("\0".join(parts).encode("utf-8", "replace")).hexdigest()[:32]


def document(diags: Iterable[Diagnostic], root: str) -> dict[str, Any]:
    """The baseline file's content: one entry per fingerprint, with a count."""
    entries: dict[str, dict[str, Any]] = {}
    for d in diags:
        key = fingerprint(d, root)
        entry = entries.setdefault(
            key,
            {
                "fingerprint": key,
                "rule": d.rule,
                "file": _paths.report_path(d.location.file, root),
                "object": d.object,
                "path": d.path,
                "message": stable_message(d.message),
                "count": 0,
            },
        )
        entry["count"] += 1
    findings = sorted(entries.values(), key=lambda e: (e["file"], e["rule"], e["fingerprint"]))
    return {"tool": "gitops-lb", "format": FORMAT, "findings": findings}


def write(path: str, result: Result) -> int:
    """Record the findings of `result` that are not suppressed; the number recorded."""
    diags = result.reported()
    text = json.dumps(document(diags, _paths.source_root()), indent=2, sort_keys=True) + "\n"
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except OSError as exc:
        raise BaselineError(f"cannot write baseline {path}: {exc.strerror or exc}") from None
    return len(diags)


def read(path: str) -> Counter[str]:
    """The fingerprints a baseline file records, with their counts."""
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BaselineError(f"cannot read baseline {path}: {reason}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"baseline {path} is not JSON: {exc}") from None
    return _counts(data, path)


def _counts(data: Any, path: str) -> Counter[str]:
    def bad(why: str) -> BaselineError:
        return BaselineError(
            f"baseline {path} is not a gitops-lb baseline: {why} "
            "(write one with --write-baseline; docs/suppressions.md)"
        )

    if not isinstance(data, dict) or data.get("tool") != "gitops-lb":
        raise bad('no "tool": "gitops-lb"')
    if data.get("format") != FORMAT:
        raise bad(f'"format" is {data.get("format")!r}, this gitops-lb reads format {FORMAT}')
    findings = data.get("findings")
    if not isinstance(findings, list):
        raise bad('"findings" is not a list')
    out: Counter[str] = Counter()
    for n, entry in enumerate(findings):
        key = entry.get("fingerprint") if isinstance(entry, dict) else None
        count = entry.get("count", 1) if isinstance(entry, dict) else None
        if not isinstance(key, str) or not key:
            raise bad(f"findings[{n}] has no fingerprint")
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise bad(f"findings[{n}].count is not a positive whole number")
        out[key] += count
    return out


def leave_out_known(result: Result, known: Counter[str]) -> int:
    """Drop from `result` the findings the baseline records (each fingerprint as many times
    as it counts, the first ones in report order); the number left out."""
    root = _paths.source_root()
    left = Counter(known)
    keep: list[Diagnostic] = []
    dropped = 0
    for d in result.sorted():
        if d.suppressed:
            keep.append(d)
            continue
        key = fingerprint(d, root)
        if left[key] > 0:
            left[key] -= 1
            dropped += 1
        else:
            keep.append(d)
    result.diagnostics = keep
    return dropped
