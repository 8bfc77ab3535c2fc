"""Control characters out of every text a reader gives.

NUL cannot be stored in a PostgreSQL text column (an upload carrying one failed with a
server error), and the other C0 controls are never part of a report's words: a reader's
paragraphs and cells keep tab and newline only. A carriage return becomes a newline,
vertical tab and form feed (page breaks in text extractions) a space; the rest is removed.
"""

from __future__ import annotations

import re

_TABLE: dict[int, str | None] = {code: None for code in range(0x20)
                                 if chr(code) not in "\t\n\r\x0b\x0c"}
_TABLE.update({ord("\r"): "\n", 0x0B: " ", 0x0C: " "})
_ANY = re.compile("[\x00-\x08\x0b-\x1f]")


def strip_controls(text: str) -> str:
    """`text` without C0 control characters other than tab and newline."""
    if _ANY.search(text) is None:
        return text
    return text.replace("\r\n", "\n").translate(_TABLE)


def has_controls(text: str) -> bool:
    return _ANY.search(text) is not None


def xml_newlines(text: str) -> str:
    """`strip_controls` for text from an XML parser, which lets through no C0 character but
    tab, newline and carriage return (XML 1.0 forbids the others even as references): only
    the carriage return is left to turn into a newline, found by a plain substring search
    (many times faster than the general pattern)."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")
