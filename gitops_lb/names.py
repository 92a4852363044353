"""Kubernetes and Linux names: which are valid, and in plain words why one is not.

The API server refuses an object whose `metadata.name` is not a DNS-1123 subdomain (most
kinds), a DNS-1123 label (Namespaces) or a DNS-1035 label (Services), and a namespace that is
not a DNS-1123 label. Names also become file names of the compiled tree, so the rules are
strict ASCII: a look-alike letter from another script is named in the message.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

DNS1123_LABEL = r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"
DNS1123_SUBDOMAIN = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
DNS1035_LABEL = r"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$"
# Linux network interface names: 1-15 printable ASCII characters without '/' or ':', and
# neither '.' nor '..' (written without look-arounds, so pydantic and JSON Schema can use it)
_IF_CHAR = r"[!-,\-.0-9;-~]"
_IF_FIRST = r"[!-,\-0-9;-~]"  # not '.'
INTERFACE_NAME = (
    rf"^(?:{_IF_FIRST}{_IF_CHAR}{{0,14}}|\.{_IF_FIRST}{_IF_CHAR}{{0,13}}|\.\.{_IF_CHAR}{{1,13}})$"
)
# a path inside a Git repository: relative, no '..' segment (a segment is not '..')
_SEGMENT = r"(?:[^/.][^/]*|\.[^/.][^/]*|\.\.[^/]+|\.)"
REPO_PATH = rf"^{_SEGMENT}(?:/{_SEGMENT})*/?$"

_FORMS = {
    DNS1123_LABEL: (
        "a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a "
        "letter or digit, at most 63 characters",
        63,
    ),
    DNS1123_SUBDOMAIN: (
        "a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', starting and ending "
        "with a letter or digit, at most 253 characters",
        253,
    ),
    DNS1035_LABEL: (
        "a DNS-1035 label: lower-case letters, digits and '-', starting with a letter and "
        "ending with a letter or digit, at most 63 characters",
        63,
    ),
    INTERFACE_NAME: (
        "a network interface name: 1 to 15 ASCII characters without '/', ':' or white "
        "space, and not '.' or '..'",
        15,
    ),
    REPO_PATH: ("a relative path inside the repository, without '..'", 4096),
}


def describe(pattern: str) -> str | None:
    """Plain words for one of the name patterns above (None for other patterns)."""
    form = _FORMS.get(pattern)
    return form[0] if form else None


def _culprit(text: str, pattern: str) -> str:
    """The first thing wrong with `text`, in words."""
    for i, ch in enumerate(text):
        if pattern == REPO_PATH:
            break  # any character may be part of a path
        if ord(ch) > 127:
            name = unicodedata.name(ch, "a non-ASCII character")
            return f"character {i + 1} is {ch!r} (U+{ord(ch):04X} {name}), not an ASCII letter"
        if ch.isspace() or ord(ch) < 32 or ord(ch) == 127:
            return f"character {i + 1} is {ch!r}"
    if not text:
        return "it is empty"
    if len(text) > _FORMS[pattern][1]:
        return f"it has {len(text)} characters"
    if pattern == REPO_PATH:
        if text.startswith("/"):
            return "it is an absolute path"
        return "'..' is not allowed" if ".." in text.split("/") else "'//' is not allowed"
    if pattern == INTERFACE_NAME:
        bad = next((c for c in text if c in "/:"), None)
        return f"{bad!r} is not allowed" if bad else f"{text!r} is not allowed"
    if text in (".", ".."):
        return f"{text!r} is not a name"
    if any(c.isupper() for c in text):
        return "upper-case letters are not allowed"
    allowed = "-." if pattern == DNS1123_SUBDOMAIN else "-"
    bad = next((c for c in text if not (c.isdigit() or c.islower() or c in allowed)), None)
    if bad is not None:
        return f"{bad!r} is not allowed"
    if pattern == DNS1035_LABEL and not text[0].isalpha():
        return "it must start with a letter"
    if pattern == DNS1123_SUBDOMAIN:
        return "each '.'-separated part must start and end with a letter or digit"
    return "it must start and end with a letter or digit"


def problem(text: str, pattern: str) -> str | None:
    """Why `text` does not match a name pattern of this module, or None when it does."""
    if len(text) <= _FORMS[pattern][1] and re.fullmatch(pattern[1:-1], text, flags=re.ASCII):
        return None
    return f"{_culprit(text, pattern)} (it must be {_FORMS[pattern][0]})"


def repo_path_spelling(path: str) -> str:
    """A relative repository path (REPO_PATH) in one spelling: `./deploy/` -> `deploy`, the
    root itself -> `.`."""
    return PurePosixPath(path).as_posix() or "."
