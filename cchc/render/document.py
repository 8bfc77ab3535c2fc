"""The document to write: an official report in the layout of Nghị định 30/2020/NĐ-CP with
its appendix (Phụ lục). It is built from a report read from a file, from a stored
submission or from an aggregate, and the writers (.docx, .xlsx, .pdf) take it as it is:
every text here is final Vietnamese, every number is given both as written and as a
number, so that a writer never formats or guesses.

The helpers at the end name the issuing body the way Nghị định 30 prints it ("ỦY BAN NHÂN
DÂN" over "HUYỆN KẾ SÁCH"; "UBND TỈNH SÓC TRĂNG" over "SỞ NỘI VỤ") and date lines
("Kế Sách, ngày 16 tháng 6 năm 2022").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from cchc.vietnamese import fold

SECTION_WORDS = {  # the outline of a CCHC report (domain.md §1)
    "I": "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
    "II": "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
    "III": "ĐÁNH GIÁ CHUNG",
    "IV": "PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI",
    "V": "KIẾN NGHỊ, ĐỀ XUẤT",
}


@dataclass(frozen=True)
class Letterhead:
    """The header block: the governing body (may be "") over the issuing body on the left,
    the number under them; the place and date on the right under the Quốc hiệu."""

    governing: str  # "UBND TỈNH SÓC TRĂNG", or "" when the issuer has none printed
    issuer: tuple[str, ...]  # its lines, capitals: ("ỦY BAN NHÂN DÂN", "HUYỆN KẾ SÁCH")
    number: str  # "228/BC-UBND"; "" prints "Số:      /BC-…" with `suffix`
    suffix: str  # "BC-UBND": what follows the number
    place: str  # "Kế Sách"
    date: dt.date | None

    @property
    def number_line(self) -> str:
        return f"Số: {self.number}" if self.number else f"Số:       /{self.suffix}"

    @property
    def date_line(self) -> str:
        return date_line(self.place, self.date)


@dataclass(frozen=True)
class Section:
    """One part of the narrative outline (I … V): its heading and paragraphs."""

    number: str  # "I"
    heading: str  # "KẾT QUẢ THỰC HIỆN …" (without the number)
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Line:
    """One row of the appendix, in the form's order."""

    item: str | None  # the form item's id, None for a row no form item matched
    code: str  # "1.2", "II", "" — as the form prints it
    label: str
    unit: str  # "Số lượng", "%", "Có = 1; Không = 0" …
    kind: str  # section | count | decimal | percent | coded | text | empty
    value: str  # as written in Vietnamese ("1.241", "97,74", "1", "") — never reformatted
    number: float | None  # the same value as a number (None for text or empty)
    note: str = ""  # the last column: Ghi chú, or Đơn vị thực hiện (see Appendix.last_column)
    coverage: str = ""  # for an aggregated value: "8/9" (units reporting / expected)
    depth: int = 0  # 0 for a section (I, II), 1 for its items, 2 for sub-items …


@dataclass(frozen=True)
class UnitColumn:
    """For an aggregate's spreadsheet: one unit below with its own figures by item id."""

    code: str
    name: str
    values: Mapping[str, float | str]
    status: str = ""  # its report's status words ("Đã phê duyệt"), "" when it has none


@dataclass(frozen=True)
class Appendix:
    title: str  # the form's title, as printed for this unit ("BIỂU SỐ LIỆU …")
    reference: str  # "(Kèm theo Báo cáo số 228/BC-UBND ngày 16 tháng 6 năm 2022 của …)"
    form_id: str | None
    last_column: str  # "Ghi chú" or "Đơn vị thực hiện"
    lines: tuple[Line, ...]
    units: tuple[UnitColumn, ...] = ()  # an aggregate's units, for units-across sheets
    aggregated: bool = False  # values are totals of the units below (coverage shown)


@dataclass(frozen=True)
class Signature:
    authority: str  # "TM. ỦY BAN NHÂN DÂN", "" for a head who signs in person
    title: str  # "CHỦ TỊCH", "GIÁM ĐỐC"
    name: str  # "" when unknown: the space is left for the signer


@dataclass(frozen=True)
class Chart:
    """A chart the document carries: its title, the picture (PNG bytes), a caption saying
    how its figures were made ("" for none). The .docx writer puts the charts at the start
    of the appendix, the .xlsx writer on a sheet of their own."""

    title: str
    png: bytes
    caption: str = ""


@dataclass(frozen=True)
class ReportDocument:
    letterhead: Letterhead
    subject: str  # trích yếu: "Tình hình, kết quả thực hiện công tác CCHC 6 tháng đầu …"
    sections: tuple[Section, ...]
    recipients: tuple[str, ...]  # "- Như trên;" … "- Lưu: VT."
    signature: Signature
    appendix: Appendix | None
    unit: str  # the issuing unit's name as the system knows it ("Huyện Kế Sách")
    period_label: str  # "6 tháng đầu năm 2022"
    generated: tuple[str, ...] = field(default_factory=tuple)  # notes on what was drafted
    # paragraphs between the subject and section I ("Thực hiện Công văn số … báo cáo như sau:")
    intro: tuple[str, ...] = field(default_factory=tuple)
    charts: tuple[Chart, ...] = ()  # drawn from the figures (an aggregate's), in order


class RenderError(Exception):
    """A document could not be written (template unusable, converter missing or failing).

    `code` is stable ("template-missing", "pdf-timeout" …); the message is a Vietnamese
    sentence for the person who asked for the document."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# ------------------------------------------------------------------ naming the issuer

_UBND = re.compile(r"^\s*(?:ubnd|uỷ ban nhân dân|ủy ban nhân dân)\s+", re.IGNORECASE)
_PLACE_KINDS = ("thành phố", "thị xã", "thị trấn", "phường", "huyện", "tỉnh", "quận", "xã")
_PEOPLES_LEVELS = ("province", "district", "commune")


def _strip_ubnd(name: str) -> tuple[str, bool]:
    m = _UBND.match(name)
    return (name[m.end():].strip(), True) if m else (name.strip(), False)


def place_name(name: str) -> str:
    """'Huyện Kế Sách' → 'Kế Sách'; 'UBND thị xã Kỳ Anh' → 'Kỳ Anh'; 'Sở Nội vụ' unchanged."""
    rest, _ = _strip_ubnd(name)
    low = rest.lower()
    for kind in _PLACE_KINDS:
        if low.startswith(kind + " "):
            return rest[len(kind):].strip()
    return rest


def is_peoples_committee(name: str, level: str | None) -> bool:
    """Whether the unit is a People's Committee (UBND) rather than an agency under one."""
    rest, had = _strip_ubnd(name)
    return had or (level in _PEOPLES_LEVELS and
                   any(rest.lower().startswith(k + " ") for k in _PLACE_KINDS))


def letterhead(name: str, level: str | None, parent: str | None, number: str = "",
               date: dt.date | None = None) -> Letterhead:
    """The header of a report issued by unit `name` (under `parent`, e.g. the province of a
    department): a UBND prints "ỦY BAN NHÂN DÂN" over its area; an agency prints its
    governing UBND over its own name."""
    rest, _ = _strip_ubnd(name)
    if is_peoples_committee(name, level):
        issuer: tuple[str, ...] = ("ỦY BAN NHÂN DÂN", rest.upper())
        governing = ""
        suffix = "BC-UBND"
        place = place_name(rest)
    else:
        issuer = (rest.upper(),)
        governing = f"UBND {place_kind_name(parent).upper()}" if parent else ""
        suffix = "BC-" + initials(rest)
        place = place_name(parent) if parent else ""
    return Letterhead(governing, issuer, number, suffix, place, date)


def place_kind_name(name: str | None) -> str:
    """'UBND tỉnh Sóc Trăng' → 'tỉnh Sóc Trăng'; 'Tỉnh Sóc Trăng' → 'tỉnh Sóc Trăng'."""
    rest, _ = _strip_ubnd(name or "")
    return rest[:1].lower() + rest[1:] if rest[:1].isupper() and any(
        rest.lower().startswith(k + " ") for k in _PLACE_KINDS) else rest


def initials(name: str) -> str:
    """'Sở Nội vụ' → 'SNV'; 'Ban Quản lý Khu du lịch' → 'BQLKDL' (a number's suffix)."""
    letters = [w[0] for w in fold(name).split() if w[:1].isalpha()]
    return "".join(letters).upper()[:8]


def signature(name: str, level: str | None, signer: str = "") -> Signature:
    """Who signs: a UBND's chairman on behalf of the committee; a head of an agency."""
    rest, _ = _strip_ubnd(name)
    if is_peoples_committee(name, level):
        return Signature("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", signer)
    head = fold(rest).split()[:1]
    title = {"so": "GIÁM ĐỐC", "ban": "TRƯỞNG BAN", "trung": "GIÁM ĐỐC",
             "van": "CHÁNH VĂN PHÒNG", "thanh": "CHÁNH THANH TRA"}.get(
        head[0] if head else "", "THỦ TRƯỞNG ĐƠN VỊ")
    return Signature("", title, signer)


def date_words(day: dt.date) -> str:
    """'ngày 16 tháng 6 năm 2022'; a leading zero for days 1–9 and months 1–2 (domain.md §5):
    'ngày 05 tháng 01 năm 2022'."""
    d = f"{day.day:02d}" if day.day < 10 else str(day.day)
    m = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {d} tháng {m} năm {day.year}"


def date_line(place: str, day: dt.date | None) -> str:
    """'Kế Sách, ngày 16 tháng 6 năm 2022'; without a date: 'Kế Sách, ngày    tháng    năm'."""
    words = date_words(day) if day else "ngày     tháng     năm       "
    return f"{place}, {words}" if place else words[:1].upper() + words[1:]


def appendix_reference(number: str, suffix: str, day: dt.date | None, issuer: str) -> str:
    """'(Kèm theo Báo cáo số 228/BC-UBND ngày 16 tháng 6 năm 2022 của Ủy ban nhân dân
    huyện Kế Sách)'."""
    num = number or f"     /{suffix}"
    when = f" {date_words(day)}" if day else ""
    return f"(Kèm theo Báo cáo số {num}{when} của {issuer})"


def issuer_words(name: str, level: str | None) -> str:
    """The issuer in running text: 'Ủy ban nhân dân huyện Kế Sách', 'Sở Nội vụ'."""
    rest, _ = _strip_ubnd(name)
    if is_peoples_committee(name, level):
        return f"Ủy ban nhân dân {place_kind_name(rest)}"
    return rest
