"""What may be stored, checked before the database sees it.

Every text an officer sends (a value, an explanation, a note, a narrative section, the
document number and date) is checked here for its length, its characters and, for values
and dates, what it reads as. PostgreSQL refuses NUL characters and over-long strings with
an error that would lose the whole save; SQLite would store them silently. Either way the
officer must be told which field is wrong, in Vietnamese, and the valid fields of the same
save must still be kept.

Limits are sized to real reports: a document number such as
"228/BC-UBND-VP-NV-TP-TC-KH-TT-VH-YT-GD-LĐTBXH-TNMT-NN-CT-KT-QLĐT-BCH-QS-CA-HĐND" is 74
characters; a value cell holds a number, a fraction or a document reference; a narrative
section of a district report runs to a few dozen pages.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from cchc.catalog import Form
from cchc.entry import read_entry
from cchc.numbers import format_number
from cchc_web.models import SECTIONS

# characters per field (the database columns are at least this wide)
LIMITS = {"value": 2000, "comment": 4000, "note": 4000, "narrative": 200_000, "number": 255,
          "date": 40}
# A count or rate beyond this is a typing slip (a province has a few million dossiers).
MAX_NUMBER = 1e15
# A report's date: the reporting regime began well after 1990.
FIRST_YEAR, LAST_YEAR = 1990, 2100
# C0 controls but tab, newline and carriage return; also DEL. NUL is the one PostgreSQL
# refuses outright; the others have no place in a report either.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SECTION_KEYS = {key for key, _ in SECTIONS}
FIELD_WORDS = {"number": "Số hiệu văn bản", "date": "Ngày ban hành"}


class BadDate(ValueError):
    pass


@dataclass(frozen=True)
class Invalid:
    """A posted field that is not stored, and why (a Vietnamese sentence naming it)."""

    kind: str
    key: str
    message: str


def field_name(kind: str, key: str, form: Form | None) -> str:
    """How the officer knows the field: "dòng 1.2.1 (Số nhiệm vụ …)", "mục II", …"""
    if kind in FIELD_WORDS:
        return FIELD_WORDS[kind]
    if kind == "narrative":
        return f"Phần thuyết minh mục {key}"
    item = form.item(key) if form is not None else None
    what = {"value": "Số liệu", "comment": "Giải trình", "note": "Ghi chú"}.get(kind, kind)
    if item is None:
        return f"{what} “{key[:40]}”"
    label = item.label if len(item.label) <= 60 else item.label[:57] + "…"
    return f"{what} dòng {item.code or item.id} ({label})"


def problem(kind: str, key: str, text: str, form: Form | None) -> str | None:
    """Why `text` cannot be stored in the field (`kind`, `key`), or None when it can."""
    known = _known(kind, key, form)
    if known is not None:
        return known
    name = field_name(kind, key, form)
    limit = LIMITS.get(kind, 255)
    if len(text) > limit:
        return (f"{name}: dài {format_number(len(text), 0)} ký tự, quá giới hạn "
                f"{format_number(limit, 0)} ký tự; chưa được lưu.")
    bad = _CONTROL.search(text)
    if bad:
        return (f"{name}: có ký tự điều khiển không hợp lệ (mã {ord(bad.group()):#04x}), "
                "thường do sao chép từ tệp lỗi; hãy gõ lại. Chưa được lưu.")
    if kind == "value" and form is not None and text.strip():
        item = form.item(key)
        assert item is not None
        value = read_entry(item, text.strip())
        number = value.value
        if number is not None and (not math.isfinite(number) or abs(number) > MAX_NUMBER):
            return (f"{name}: số “{text.strip()[:30]}…” quá lớn, không phải một số liệu "
                    "thật; chưa được lưu.")
    if kind == "date":
        try:
            parse_date(text)
        except BadDate:
            return (f"{name} “{text[:40]}” không đúng dạng ngày/tháng/năm (ví dụ 16/6/2022) "
                    f"hoặc nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}; chưa được lưu.")
    return None


def _known(kind: str, key: str, form: Form | None) -> str | None:
    """A field the page never posts (a made-up item or section) is refused, not stored."""
    if kind in ("value", "comment", "note"):
        item = form.item(key) if form is not None else None
        if item is None or item.type == "section":
            return f"Biểu mẫu không có chỉ tiêu “{key[:40]}”; nội dung gửi kèm bị bỏ qua."
    if kind == "narrative" and key not in _SECTION_KEYS:
        return f"Phần thuyết minh không có mục “{key[:10]}”; nội dung gửi kèm bị bỏ qua."
    return None


def parse_date(text: str) -> dt.date | None:
    """'16/6/2022' → 2022-06-16; empty → None; anything else, or a year outside
    1990–2100, → BadDate."""
    text = text.strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if FIRST_YEAR <= day.year <= LAST_YEAR:
            return day
        break
    raise BadDate(text)


def clean_name(name: str, limit: int = 200) -> str:
    """An uploaded file's name, fit to be stored and shown: no folders, no control
    characters, at most `limit` characters with its extension kept."""
    name = _CONTROL.sub("", name.replace("\\", "/").rsplit("/", 1)[-1]).strip() or "tep"
    if len(name) <= limit:
        return name
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 10:
        return name[:limit]
    return stem[: limit - len(suffix) - 2] + "…." + suffix
