"""The unit column: what kind of value a row holds, and the options of a coded row.

Units are written freely ("%", "Hồ sơ", "Cơ quan, đơn vị", "Tin, bài") and coded answers are
written in the unit column ("Có = 1; Không = 0", "Chưa có = 0 2 cấp = 1 3 cấp = 2").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cchc.vietnamese import clean, fold

_OPTION = re.compile(r"\s*([^=;]+?)\s*=\s*(\d+)\s*(?:;|,|$|(?=\s))")


@dataclass(frozen=True)
class UnitInfo:
    kind: str  # percent | coded | money | count | none
    text: str
    options: tuple[tuple[int, str], ...] = ()

    @property
    def option_codes(self) -> set[int]:
        return {code for code, _ in self.options}


def parse_options(text: str) -> tuple[tuple[int, str], ...]:
    """'Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2' → ((0, 'Trực tuyến'), (1, ...), ...)."""
    text = clean(text)
    found: list[tuple[int, str]] = []
    pos = 0
    while pos < len(text):
        m = _OPTION.match(text, pos)
        if not m:
            break
        label = m.group(1).strip(" ;,")
        found.append((int(m.group(2)), label))
        pos = m.end()
    if pos < len(text.rstrip(" ;,.")):
        return ()
    return tuple(found)


@lru_cache(maxsize=4096)
def classify(unit: str) -> UnitInfo:
    """What a unit column says (cached: forms repeat a few units in every row)."""
    text = clean(unit)
    if not text:
        return UnitInfo("none", text)
    if "=" in text:
        options = parse_options(text)
        if len(options) >= 2:
            return UnitInfo("coded", text, options)
    folded = fold(text)
    if "%" in text or folded in {"ty le", "ty le %", "phan tram"}:
        return UnitInfo("percent", text)
    if re.search(r"\bdong\b", folded):
        return UnitInfo("money", text)
    return UnitInfo("count", text)


def same_unit(a: str, b: str) -> bool:
    """Loose equality of two written units ('TTHC' and 'Thủ tục' are the same)."""
    fa, fb = _unit_key(a), _unit_key(b)
    return fa == fb


_SYNONYMS = {
    "tthc": "thu tuc",
    "thu tuc hanh chinh": "thu tuc",
    "co quan": "co quan, don vi",
    "don vi": "co quan, don vi",
    "co quan/don vi": "co quan, don vi",
    "quy trinh": "quy trinh",
}


def _unit_key(unit: str) -> str:
    info = classify(unit)
    if info.kind == "coded":
        return "coded:" + ",".join(str(c) for c in sorted(info.option_codes))
    folded = fold(unit).strip(" .")
    return _SYNONYMS.get(folded, folded)
