"""Is a file the report it is put in? Compare what a file says about itself (its issuing
unit, level and period, read by `cchc.meta`) with the report it is uploaded or imported
into. A commune officer who uploads the neighbouring commune's file, or last half-year's
file into the annual report, must be told before a single value is stored.

Only what the file states is compared: a unit, level or period the file does not state is
a missing-* finding of the file itself, never a mismatch. Names are compared by their
proper part ("Cẩm Hưng"), folded, so "UBND xã Cẩm Hưng", "Ủy ban nhân dân xã Cẩm Hưng"
and "Xã Cẩm Hưng" are one unit; a body's name ("Ban Quản lý …", "Sở Nội vụ …") matches
when one name contains the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cchc.findings import make
from cchc.messages import LEVEL_WORDS
from cchc.model import Finding, Meta, Period
from cchc.vietnamese import fold

_AUTHORITY = re.compile(r"^(?:uy ban nhan dan|ubnd)\s+")
_KIND = re.compile(r"^(?:xa|phuong|thi tran|dac khu|huyen|thi xa|quan|thanh pho|tinh)\s+")
_PUNCT = re.compile(r"[^\w ]+")


@dataclass(frozen=True)
class Expected:
    """The report a file is put in: its unit's name and level, and its period."""

    unit: str
    level: str
    period: Period


def name_key(name: str) -> str:
    """'UBND xã Cẩm Hưng' → 'cam hung'; 'Ban Quản lý Khu du lịch …' → 'ban quan ly khu …'."""
    text = _PUNCT.sub(" ", fold(name))
    text = " ".join(text.split())
    text = _AUTHORITY.sub("", text)
    return _KIND.sub("", text)


def same_unit(stated: str, expected: str) -> bool:
    a, b = name_key(stated), name_key(expected)
    if not a or not b:
        return True
    if a == b:
        return True
    # a body's long name: one written in full, the other shortened
    return len(min(a, b, key=len)) >= 12 and (a in b or b in a)


def compare(meta: Meta, expected: Expected) -> list[Finding]:
    """Error findings for each way the file is not the report it is put in."""
    out: list[Finding] = []
    if meta.unit and not same_unit(meta.unit, expected.unit):
        out.append(make("file-of-other-unit", actual=meta.unit, expected=expected.unit))
    elif meta.level and expected.level and meta.level != expected.level:
        out.append(make("file-of-other-level", actual=meta.level, expected=expected.level,
                        stated=meta.unit or "",
                        stated_level=LEVEL_WORDS.get(meta.level, meta.level),
                        expected_level=LEVEL_WORDS.get(expected.level, expected.level)))
    stated, wanted = meta.period, expected.period
    if stated.kind and (stated.kind != wanted.kind
                        or (stated.year is not None and stated.year != wanted.year)
                        or (stated.number is not None and wanted.number is not None
                            and stated.number != wanted.number)):
        out.append(make("file-of-other-period", actual=stated.label or stated.kind,
                        expected=wanted.label or wanted.kind))
    return out
