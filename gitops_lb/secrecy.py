"""What may be echoed from the input into a message: never a secret, never a flood.

Messages quote offending values so users can find them, but a value under a secret-bearing
field (a BGP `password`, a Secret's `data` / `stringData`, a `token`) is never shown, the
credentials in a URL (`https://user:pass@host`) are masked, and long values are cut short.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

HIDDEN = "(value not shown: it may be a secret)"
MAX_SHOWN = 80  # characters of a quoted value

_SECRET_KEYS = frozenset({"data", "stringdata", "binarydata"})
_SECRET_SUFFIXES = ("password", "passwd", "token", "key-data", "privatekey", "secretkey")
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#@\s]*@")


def is_secret_key(key: str) -> bool:
    """A field name whose value must never be printed."""
    low = key.lower().replace("_", "")
    return low in _SECRET_KEYS or low.endswith(_SECRET_SUFFIXES)


def is_secret_path(path: Iterable[str | int], kind: str | None = None) -> bool:
    """True when a value at `path` (inside an object of `kind`) may hold a secret."""
    parts = list(path)
    if kind == "Secret" and parts and parts[0] not in ("apiVersion", "kind", "metadata", "type"):
        return True
    return any(isinstance(p, str) and is_secret_key(p) for p in parts)


def has_url_credentials(text: str) -> bool:
    """True when `text` holds a URL with a user or password (`scheme://...@host`)."""
    return _URL_USERINFO.search(text) is not None


def mask_urls(text: str) -> str:
    """`scheme://user:password@host` -> `scheme://***@host` (user names can be tokens too)."""
    return _URL_USERINFO.sub(r"\1***@", text)


def without_userinfo(text: str) -> str:
    """`scheme://user:password@host` -> `scheme://host`: what reconcile prints of a server URL
    (and of any URL in a message), since the user info can be a password or a token."""
    return _URL_USERINFO.sub(r"\1", text)


def url_userinfo(text: str) -> list[str]:
    """The user names and passwords of the URLs in `text` (for a scrubber)."""
    found: list[str] = []
    for match in _URL_USERINFO.finditer(text):
        info = match.group(0)[len(match.group(1)) : -1]
        found.extend(p for p in (info, *info.split(":", 1)) if p)
    return found


def shorten(text: str, limit: int = MAX_SHOWN) -> str:
    if len(text) <= limit:
        return text
    return f"{text[: limit - 20]}... ({len(text)} characters)"


def shown(value: Any) -> str:
    """A scalar quoted for a message: repr, URL credentials masked, cut to MAX_SHOWN."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
        return f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits"
    return shorten(mask_urls(repr(value)))
