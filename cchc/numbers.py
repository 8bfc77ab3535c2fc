"""Numbers the Vietnamese way, read with the row's unit as context.

"." groups thousands and "," marks decimals ("1.241" = 1241, "97,74" = 97.74), but real
documents also write "86.1%" (dot as decimal) and "12,641" (comma as thousands). A cell that
can honestly be read two ways ("8.333" on a % row) is returned as *ambiguous* with both
candidates: a number is never guessed silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cchc.model import Value
from cchc.units import UnitInfo
from cchc.vietnamese import clean, fold

_NUM = re.compile(r"[+-]?\d[\d.,]*")
_FRACTION = re.compile(r"^\s*(\d[\d.,]*)\s*/\s*(\d[\d.,]*)\s*$")
_EMPTY = {"", "-", "–", "—", "…", "..."}


@dataclass(frozen=True)
class Reading:
    """The readings of a numeric token: one when clear, two when ambiguous."""

    candidates: tuple[float, ...]
    decimals: int  # decimals of the first (preferred) candidate

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


def _groups_ok(parts: list[str]) -> bool:
    return 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])


def read_number(token: str, percent: bool = False) -> Reading | None:
    """Read one numeric token such as '1.241', '97,74', '1.500.050,30', '86.1', '8.333'."""
    s = token.replace(" ", "").replace("\u00a0", "")
    sign = -1.0 if s.startswith("-") else 1.0
    s = s.lstrip("+-")
    if not s or not s[0].isdigit() or not re.fullmatch(r"[\d.,]+", s) or s[-1] in ".,":
        return None
    dots, commas = s.count("."), s.count(",")
    if dots == 0 and commas == 0:
        return Reading((sign * float(s),), 0)
    if dots and commas:
        last_dot, last_comma = s.rfind("."), s.rfind(",")
        dec_sep, grp_sep = (",", ".") if last_comma > last_dot else (".", ",")
        whole, _, frac = s.rpartition(dec_sep)
        if grp_sep in frac or s.count(dec_sep) != 1:
            return None
        if not _groups_ok(whole.split(grp_sep)):
            return None
        return Reading((sign * float(whole.replace(grp_sep, "") + "." + frac),), len(frac))
    sep = "." if dots else ","
    parts = s.split(sep)
    if len(parts) > 2:
        if not _groups_ok(parts):
            return None
        return Reading((sign * float("".join(parts)),), 0)
    whole, frac = parts
    as_decimal = sign * float(whole + "." + frac)
    if len(frac) != 3 or not _groups_ok(parts):
        return Reading((as_decimal,), len(frac))
    as_thousands = sign * float(whole + frac)
    if sep == ".":
        # Vietnamese thousands unless the row is a rate, where "8.333" may be 8,333 %.
        if percent:
            return Reading((as_thousands, as_decimal), 0)
        return Reading((as_thousands,), 0)
    # "12,641": Vietnamese decimal, or English thousands. On a rate the decimal reading is
    # the only sensible one; on a count (whole numbers) both are possible.
    if percent:
        return Reading((as_decimal,), 3)
    return Reading((as_thousands, as_decimal), 0)


def _single_token(text: str) -> str | None:
    tokens: list[str] = _NUM.findall(text)
    if len(tokens) != 1:
        return None
    rest = text.replace(tokens[0], "", 1)
    if re.search(r"\d", rest):
        return None
    return tokens[0]


def parse_value(raw: str, unit: UnitInfo) -> Value:
    """Read the value cell `raw` of a row whose unit is `unit`."""
    text = clean(raw)
    if text in _EMPTY:
        return Value(raw=raw, kind="empty")
    has_pct = "%" in text
    percent_row = unit.kind == "percent"
    m = _FRACTION.match(text.replace("%", ""))
    if m:
        num, den = read_number(m.group(1)), read_number(m.group(2))
        if num and den and not num.ambiguous and not den.ambiguous:
            n, d = num.candidates[0], den.candidates[0]
            value = 100.0 * n / d if d else None
            return Value(raw=raw, kind="fraction", value=value, numerator=n, denominator=d,
                         decimals=2, has_percent_sign=has_pct)
    if unit.kind == "coded":
        coded = _coded(raw, text, unit)
        if coded is not None:
            return coded
    token = _single_token(text.replace("%", ""))
    leftover = text.replace("%", "").replace(token, "", 1).strip() if token else text
    if token is None or (leftover and not _harmless_suffix(leftover, unit)):
        return Value(raw=raw, kind="text", has_percent_sign=has_pct)
    reading = read_number(token, percent=percent_row or has_pct)
    if reading is None:
        return Value(raw=raw, kind="text", has_percent_sign=has_pct)
    if reading.ambiguous:
        return Value(raw=raw, kind="ambiguous", candidates=list(reading.candidates),
                     has_percent_sign=has_pct)
    number = reading.candidates[0]
    if unit.kind == "coded":
        return Value(raw=raw, kind="coded", value=number, decimals=reading.decimals)
    kind = "percent" if (percent_row or has_pct) else "number"
    return Value(raw=raw, kind=kind, value=number, decimals=reading.decimals,
                 has_percent_sign=has_pct)


def _harmless_suffix(leftover: str, unit: UnitInfo) -> bool:
    """Words after a number that only repeat the unit ('12 hồ sơ' on a 'Hồ sơ' row)."""
    return bool(unit.text) and fold(leftover).strip(" .") == fold(unit.text).strip(" .")


def _coded(raw: str, text: str, unit: UnitInfo) -> Value | None:
    folded = fold(text)
    for code, label in unit.options:
        if folded == fold(label):
            return Value(raw=raw, kind="coded", value=float(code))
    return None


# ---------------------------------------------------------------- writing numbers


def format_number(value: float, decimals: int | None = None) -> str:
    """1241 → '1.241'; 97.74 → '97,74'; decimals=None drops trailing zeros."""
    from babel.numbers import format_decimal

    if decimals is None:
        text = f"{value:.6f}".rstrip("0").rstrip(".")
        decimals = len(text.partition(".")[2])
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return str(format_decimal(round(value, decimals), format=pattern, locale="vi"))


def format_percent(value: float, decimals: int | None = None) -> str:
    """97.74 → '97,74%' (the percent sign follows the number without a space)."""
    return format_number(value, decimals) + "%"
