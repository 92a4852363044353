"""Text from the input made safe to print: no terminal escapes, no invisible reordering.

Names, values and file names come from files under review (a pull request can add a file
or object named with an ESC sequence or a right-to-left override). Printed raw they could
rewrite a terminal or a CI log, hide a finding or forge one on a new line. Every control and
format character is shown as a Python-style escape instead, and so is a byte of a file name
that is not UTF-8 (a lone surrogate once decoded), which no UTF-8 output can hold.
"""

from __future__ import annotations

import unicodedata

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


_HIDDEN = ("Cc", "Cf", "Zl", "Zp", "Cs")


def _escape(ch: str) -> str:
    if ch in _SHORT:
        return _SHORT[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as os.fsdecode keeps it
        code -= 0xDC00
    return (
        f"\\x{code:02x}"
        if code < 0x100
        else f"\\u{code:04x}"
        if code < 0x10000
        else f"\\U{code:08x}"
    )


def printable(text: str) -> str:
    """`text` with control, format and line/paragraph separator characters escaped, and lone
    surrogates: a file name byte that is not UTF-8 (b"bad\\xff.yaml") is shown as `\\xff`."""
    if text.isprintable():
        return text
    return "".join(_escape(ch) if unicodedata.category(ch) in _HIDDEN else ch for ch in text)


def display_path(file: str) -> str:
    """A file name as every report format shows it (text, JSON, SARIF, JUnit, GitHub): what
    printable() makes of it, so a name that is not UTF-8 or holds control characters comes out
    the same, valid, escaped way everywhere."""
    return printable(file)
