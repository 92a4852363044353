"""Text from the input made safe to print: no terminal escapes, no invisible reordering.

Names, values and file names come from files under review (a pull request can add a file
or object named with an ESC sequence or a right-to-left override). Printed raw they could
rewrite a terminal or a CI log, hide a finding or forge one on a new line. Every control and
format character is shown as a Python-style escape instead.
"""

from __future__ import annotations

import unicodedata

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(ch: str) -> str:
    if ch in _SHORT:
        return _SHORT[ch]
    code = ord(ch)
    return (
        f"\\x{code:02x}"
        if code < 0x100
        else f"\\u{code:04x}"
        if code < 0x10000
        else f"\\U{code:08x}"
    )


def printable(text: str) -> str:
    """`text` with control, format and line/paragraph separator characters escaped."""
    if text.isprintable():
        return text
    return "".join(
        _escape(ch) if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text
    )
