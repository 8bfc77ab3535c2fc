"""Checks: relations inside the appendix that the form implies, and what a row's own note,
unit and label say about its figure.

Declared by the form (docs/how-to-add-a-form.md, *Relations*):
- `total_of`: a heading's figure, when a unit writes one, is the sum of the rows it heads;
- `shares`: rates (%) that are exclusive parts of one whole add up to at most 100 %;
- `subset_of`: a count that is part of the union of other rows is at most their sum;
- `accounted_by`: the outcomes of a total (done on time, done late, not done) add up to it;
- `same_as`: a row that restates another holds the same figure (as do two rows of one
  concept).

Needing no declaration (they work on rows no form item matched):
- a note's breakdown ("Trong đó: cấp huyện 12, cấp xã 30", "40 đơn vị (gồm: …)") against
  the row's figure and against the total the note states;
- a note's own figure (a fraction beside a rate, a restated total) against the row;
- a note counting late dossiers beside a row that says none was late;
- a label that counts one thing (hồ sơ) beside the unit of another (TTHC);
- a yes/no row ("Có/Không") answered with a count;
- a count of communes (districts) above the number the report itself gives.

Missing is never zero: a relation with an empty row is not checked (or, for sums that can
only grow, checked on the rows present). A defect that an older check already reports
(`part-exceeds-whole`, `sum-mismatch`, `exclusive-exceeds-total`, `rate-over-100`,
`coded-value-invalid`, `count-on-rate`, `percent-on-count`) is not reported again here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from cchc.catalog import Item
from cchc.checks.context import Context
from cchc.codes import is_code_like
from cchc.findings import make
from cchc.model import Finding, Row
from cchc.numbers import format_number, read_number
from cchc.units import classify
from cchc.vietnamese import clean, fold

# ---------------------------------------------------------------- small helpers

_EPS = 1e-9


def _fmt(value: float) -> str:
    return format_number(value, None if value % 1 else 0)


def _count(row: Row | None) -> float | None:
    """The figure of a row holding a plain number (a count or an amount)."""
    if row is None or row.value.kind != "number" or row.value.value is None:
        return None
    return row.value.value


def _half_unit(row: Row) -> float:
    """Half of the last written digit: the rounding a written figure may hide."""
    return 10.0 ** -row.value.decimals / 2


def _short(text: str, limit: int = 70) -> str:
    text = clean(text).lstrip("-–+• ").strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:(") + "…"


def _name(row: Row) -> str:
    """How a message names a row: its printed number, else its (shortened) label."""
    if row.code and is_code_like(row.code):
        return f"dòng {row.code.rstrip('.')}"
    return f"dòng \"{_short(row.label, 60)}\""


def _quote(text: str, limit: int = 140) -> str:
    text = clean(text)
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _rows_of(ctx: Context, ids: Iterable[str]) -> list[Row | None]:
    return [ctx.by_item.get(i) for i in ids]


def _form_items(ctx: Context) -> tuple[Item, ...]:
    return ctx.form.items if ctx.form is not None else ()


# ---------------------------------------------------------------- heading totals


def section_totals(ctx: Context) -> Iterator[Finding]:
    """A heading printed as a total holds, when it holds a figure, the sum of its rows."""
    for item in _form_items(ctx):
        if not item.total_of or set(item.total_of) == set(item.sum_of):
            continue  # sum_of over the same rows: sum-mismatch reports it
        row = ctx.by_item.get(item.id)
        total = _count(row)
        if row is None or total is None:
            continue
        parts = _rows_of(ctx, item.total_of)
        present = [r for r in parts if r is not None and _count(r) is not None]
        if not present:
            continue
        added = sum(_count(r) or 0.0 for r in present)
        tolerance = _half_unit(row) + _EPS
        complete = len(present) == len(parts)
        if added <= total + tolerance and (not complete or added >= total - tolerance):
            continue
        arithmetic = " + ".join(_fmt(_count(r) or 0.0) for r in present)
        missing = "" if complete else " (các dòng để trống không được tính)"
        yield make("section-total-mismatch", row=row.index, item_code=item.id,
                   label=row.label, actual=total, expected=added,
                   related=[r.index for r in present], arithmetic=arithmetic,
                   rows=_rows_text(present), missing=missing)


def _rows_text(rows: list[Row]) -> str:
    """Rows named in a message: their printed numbers, or how many they are."""
    if all(r.code and is_code_like(r.code) for r in rows):
        return "dòng " + ", ".join(r.code.rstrip(".") for r in rows)
    return f"{len(rows)} dòng bên dưới"


# ---------------------------------------------------------------- shares (%)


def shares(ctx: Context) -> Iterator[Finding]:
    """Rates that exclude each other within one whole add up to at most 100 %."""
    for item in _form_items(ctx):
        if not item.shares:
            continue
        present = [r for r in _rows_of(ctx, item.shares) if r is not None
                   and r.value.kind in ("percent", "number", "fraction")
                   and r.value.value is not None]
        if len(present) < 2:
            continue
        values = [r.value.value or 0.0 for r in present]
        if any(v > 100.0 + _EPS for v in values):
            continue  # a single rate above 100 % is rate-over-100
        total = sum(values)
        tolerance = sum(10.0 ** -r.value.decimals / 2 for r in present) + _EPS
        if total <= 100.0 + tolerance:
            continue
        whole_row = ctx.by_item.get(item.id)
        whole = f"\"{_short(whole_row.label if whole_row else item.label)}\""
        repeats = [r for r, v in zip(present, values, strict=True) if v >= 100.0 - _EPS]
        repeat = ""
        if repeats:
            named = _name(repeats[0])
            repeat = (f" {named[0].upper()}{named[1:]} ghi 100%, tức là cả tổng, nên các "
                      "dòng còn lại phải là 0%.")
        arithmetic = " + ".join(f"{_fmt(v)}% ({_name(r)})" for r, v in
                                zip(present, values, strict=True))
        related = [r.index for r in present[1:]] + ([whole_row.index] if whole_row else [])
        yield make("shares-exceed-100", row=present[0].index, item_code=present[0].item,
                   label=present[0].label, actual=total, expected=100.0, related=related,
                   arithmetic=arithmetic, whole=whole, repeat=repeat)


# ---------------------------------------------------------------- subsets of a union


def _exceeds_a_whole(ctx: Context, item: Item, value: float) -> bool:
    """True when part-exceeds-whole already reports this row as too large."""
    wholes = [_count(r) for r in _rows_of(ctx, item.part_of)]
    return any(w is not None and value > w + _EPS for w in wholes)


def subsets(ctx: Context) -> Iterator[Finding]:
    """A count that is part of the union of other rows is at most their sum."""
    for item in _form_items(ctx):
        if not item.subset_of:
            continue
        row = ctx.by_item.get(item.id)
        value = _count(row)
        if row is None or value is None:
            continue
        sets = _rows_of(ctx, item.subset_of)
        numbers = [_count(r) for r in sets]
        if any(n is None for n in numbers):
            continue  # an empty row: the union is unknown
        present = [r for r in sets if r is not None]
        added = sum(n or 0.0 for n in numbers)
        if value <= added + _half_unit(row) + _EPS or _exceeds_a_whole(ctx, item, value):
            continue
        arithmetic = " + ".join(_fmt(n or 0.0) for n in numbers)
        set_text = "tổng của " + ", ".join(f"{_name(r)} ({_fmt(_count(r) or 0.0)})"
                                             for r in present)
        yield make("subset-exceeds-set", row=row.index, item_code=item.id, label=row.label,
                   actual=value, expected=added, related=[r.index for r in present],
                   arithmetic=arithmetic, set_text=set_text)


# ---------------------------------------------------------------- outcomes of a total


def outcomes(ctx: Context) -> Iterator[Finding]:
    """The outcomes of a total (done on time, done late, not done) add up to it."""
    for item in _form_items(ctx):
        if not item.accounted_by:
            continue
        row = ctx.by_item.get(item.id)
        total = _count(row)
        if row is None or total is None:
            continue
        parts = _rows_of(ctx, item.accounted_by)
        numbers = [_count(r) for r in parts]
        present = [r for r in parts if r is not None and _count(r) is not None]
        added = sum(n for n in numbers if n is not None)
        arithmetic = " + ".join(_fmt(n) for n in numbers if n is not None)
        tolerance = _half_unit(row) + _EPS
        base: dict[str, Any] = {"row": row.index, "item_code": item.id, "label": row.label,
                                "actual": total, "expected": added,
                                "related": [r.index for r in present],
                                "arithmetic": arithmetic}
        covered = set(item.accounted_by) <= set(item.exclusive) | set(item.sum_of)
        if added > total + tolerance and present and not covered:
            yield make("outcomes-exceed-total", **base, excess=_fmt(added - total))
        elif added < total - tolerance and len(present) == len(parts) and not item.sum_of:
            yield make("outcomes-leave-unaccounted", **base, missing=_fmt(total - added))


# ---------------------------------------------------------------- one quantity, two rows


def _differ(a: Row, b: Row) -> bool:
    va, vb = a.value.value, b.value.value
    if va is None or vb is None:
        return False
    return abs(va - vb) > max(_half_unit(a), _half_unit(b)) + _EPS


def _comparable(row: Row) -> bool:
    return row.value.kind in ("number", "percent") and row.value.value is not None


def same_quantity(ctx: Context) -> Iterator[Finding]:
    """Two rows of one concept, or a row and the row it restates, hold one figure."""
    pairs: list[tuple[Row, Row, str]] = []
    for rows in ctx.by_concept.values():
        rows = [r for r in rows if _comparable(r)]
        pairs += [(rows[0], r, "cùng chỉ tiêu") for r in rows[1:]]
    for item in _form_items(ctx):
        if item.same_as is None:
            continue
        row, other = ctx.by_item.get(item.id), ctx.by_item.get(item.same_as)
        if row is not None and other is not None and _comparable(row) and _comparable(other):
            first, second = sorted((row, other), key=lambda r: r.index)
            pairs.append((first, second, "biểu mẫu cho biết hai dòng là cùng một số liệu"))
    seen: set[tuple[int, int]] = set()
    for first, second, why in pairs:
        if (first.index, second.index) in seen or not _differ(first, second):
            continue
        seen.add((first.index, second.index))
        yield make("same-quantity-differs", row=second.index, item_code=second.item,
                   label=second.label, actual=second.value.value,
                   expected=first.value.value, related=[first.index],
                   other=f"{_name(first)}", why=why)


# ---------------------------------------------------------------- what a label counts

# The thing a count label counts ("Số hồ sơ …", "Tổng số TTHC …"), read from its first
# words, and the thing a unit counts; both folded. Only well-known nouns are placed.
_THINGS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("dossier", "hồ sơ", ("ho so",)),
    ("procedure", "thủ tục hành chính", ("tthc", "thu tuc", "dich vu cong", "dvc")),
    ("person", "người", ("nguoi", "can bo", "cong chuc", "vien chuc", "lanh dao", "bien che",
                         "giao vien", "cbccvc", "ccvc")),
    ("agency", "cơ quan, đơn vị", ("co quan", "don vi", "dvsn", "to chuc", "phong", "ubnd",
                                   "uy ban nhan dan", "xa", "truong")),
    ("document", "văn bản", ("van ban", "vbqppl", "quyet dinh")),
    ("task", "nhiệm vụ", ("nhiem vu",)),
    ("issue", "vấn đề, ý kiến", ("van de", "y kien", "pakn", "phan anh", "kien nghi")),
    ("process", "quy trình", ("quy trinh",)),
)
_THING_WORDS = {fam: words for fam, _, words in _THINGS}
# words that begin like a thing but name something else
_NOT_THINGS = re.compile(r"^(?:truong hop|phong trao|xa hoi|to chuc (?:hoi|thuc hien|ky)|"
                         r"don vi tinh)\b")
_THING_NAMES = {fam: name for fam, name, _ in _THINGS}
_UNIT_OF = {"dossier": "Hồ sơ", "procedure": "TTHC", "person": "Người",
            "agency": "Cơ quan, đơn vị", "document": "Văn bản", "task": "Nhiệm vụ",
            "issue": "Vấn đề", "process": "Quy trình"}
_COUNT_HEAD = re.compile(r"^(?:trong do:?\s*)?(?:tong so|so)\s+(?:luong\s+)?(?:cac\s+)?")
_RATE_HEAD = re.compile(r"^(?:trong do:?\s*)?(?:ty le|ti le)\b")
_LEAD = re.compile(r"^[\s\-+•*–]+")


def _family(text: str) -> str | None:
    """The family of the thing named at the start of `text` (folded); None when nothing
    known is named there, or two things of different families ("đơn vị, cá nhân")."""
    if _NOT_THINGS.match(text):
        return None  # "trường hợp" (cases), "phong trào", "xã hội"
    for fam, words in _THING_WORDS.items():
        for word in sorted(words, key=len, reverse=True):
            if not re.match(rf"{re.escape(word)}(?![a-z])", text):
                continue
            joined = re.match(r"\s*(?:,|/|\bva\b|\bhoac\b)\s*(\w+(?: \w+)?)",
                              text[len(word):])
            if joined and not any(joined.group(1).startswith(w) for w in words):
                return None
            return fam
    return None


def _unit_family(unit: str) -> str | None:
    folded = fold(unit).strip(" .")
    if not folded or classify(unit).kind != "count":
        return None
    fam = _family(folded)
    if fam is None:
        return None
    # the whole unit must be that thing ("Hồ sơ", "Cơ quan, đơn vị"), not a phrase
    rest = folded
    for word in sorted(_THING_WORDS[fam], key=len, reverse=True):
        rest = rest.replace(word, "")
    return fam if not re.search(r"[a-z]", rest.replace("hanh chinh", "")) else None


def counted_family(label: str) -> str | None:
    """What a count label counts: "Tổng số hồ sơ TTHC đã tiếp nhận" → "dossier"."""
    folded = _LEAD.sub("", fold(label))
    head = _COUNT_HEAD.match(folded)
    return _family(folded[head.end():]) if head else None


def unit_words(ctx: Context) -> Iterator[Finding]:
    """A label that counts one thing beside the unit of another; on rows no form matched,
    also a rate written with a count unit and a count written with "%"."""
    for row in ctx.report.rows:
        value = row.value.value
        if not row.unit or value is None or row.value.kind not in ("number", "percent"):
            continue
        if value == 0:
            continue  # "0 TTHC" and "0 hồ sơ" say the same
        folded = _LEAD.sub("", fold(row.label))
        written = classify(row.unit)
        base: dict[str, Any] = {"row": row.index, "item_code": row.item,
                                "label": _short(row.label, 90),
                "actual": value, "written_unit": row.unit}
        counted = counted_family(row.label)
        unit_fam = _unit_family(row.unit)
        if counted and unit_fam and counted != unit_fam:
            yield make("unit-contradicts-label", **base, counted=_THING_NAMES[counted],
                       unit_means="đơn vị đếm " + _THING_NAMES[unit_fam],
                       expected_unit=_UNIT_OF[counted])
        elif row.item is None and _RATE_HEAD.match(folded) and written.kind == "count":
            yield make("unit-contradicts-label", **base, counted="phần trăm",
                       unit_means="một đơn vị đếm", expected_unit="%")
        elif row.item is None and counted and (written.kind == "percent"
                                               or row.value.has_percent_sign):
            yield make("unit-contradicts-label", **base, counted=_THING_NAMES[counted],
                       unit_means="tỷ lệ phần trăm", expected_unit=_UNIT_OF[counted])


# ---------------------------------------------------------------- yes/no rows

_YES_NO_WORD = r"(?:co|khong|chua|da|dat|khong dat|chua dat|chua co|da thuc hien|" \
               r"chua thuc hien)"
_YES_NO_UNIT = re.compile(rf"^{_YES_NO_WORD}(?:\s*(?:/|,|;|-|hoac|hay)\s*{_YES_NO_WORD})+$")
_YES_NO_LABEL = re.compile(r"\(\s*co\s*/\s*khong\s*\)|\bco hay khong\b|\bkhong\s*\?\s*$")
_COUNT_ANSWER = re.compile(r"^\s*(\d+)\s+([a-z].*)$")


def yes_no_counts(ctx: Context) -> Iterator[Finding]:
    """A row asking yes or no, without coded options, answered with a count."""
    for row in ctx.report.rows:
        item = ctx.item_of(row)
        if (item is not None and item.type == "coded") or classify(row.unit).kind == "coded":
            continue  # coded options: coded-value-invalid judges the answer
        unit = fold(row.unit).strip(" .")
        asks = bool(_YES_NO_UNIT.match(unit)) or (
            not unit and bool(_YES_NO_LABEL.search(fold(row.label))))
        if not asks or row.value.kind in ("empty", "ambiguous"):
            continue
        if _COUNT_HEAD.match(_LEAD.sub("", fold(row.label))):
            continue  # "Số cuộc …" printed with a Có/Không unit: the template's slip
        raw = clean(row.value.raw)
        number: float | None = None
        if row.value.kind == "number" and row.value.value is not None:
            number = row.value.value if row.value.value not in (0.0, 1.0) else None
        else:
            m = _COUNT_ANSWER.match(fold(raw))
            if m and not re.match(rf"^{_YES_NO_WORD}\b", m.group(2)):
                number = float(m.group(1))
        if number is None:
            continue
        yield make("yes-no-answered-with-count", row=row.index, item_code=row.item,
                   label=row.label, actual=number, raw=raw,
                   question=row.unit or "Có/Không")


# ---------------------------------------------------------------- notes

_MASKS = [re.compile(p) for p in (
    r"https?://\S+|\S+@\S+",
    r"\b\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}\b",  # 27/01/2022
    r"\bngay\s+\d{1,2}(?:\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{2,4})?)?"
    r"(?:\s+thang\s+\d{1,2})?(?:\s+nam\s+\d{4})?",  # ngày 5/12, ngày 5 tháng 12 năm 2022
    r"\b(?:tu|den|toi|truoc|sau|het)\s+(?:ngay\s+)?\d{1,2}\s*/\s*\d{1,2}\b",  # đến 15/6
    r"\bthang\s+\d{1,2}(?:\s*[/.-]\s*\d{4})?",
    r"\b(?:nam|nhiem ky|giai doan|quy\s+[ivx]+)\s*/?\s*\d{4}(?:\s*-\s*\d{4})?",
    r"\b\d{4}\s*-\s*\d{4}\b",
    r"\b\d{1,2}/\d{4}\b",  # 01/2022
    r"\b\d+(?:[/-]\d+)*[/-](?=[a-z])[\w.\-/]*",  # 12/KH-UBND, 01/2022/QĐ-UBND, 10-NQ/TU
    r"\b(?:nghi dinh|nghi quyet|quyet dinh|ke hoach|chi thi|thong tu|cong van|bao cao|luat|"
    r"to trinh|huong dan|thong bao|chuong trinh|de an|van ban|qd|kh|cv|tb|bc|nq|nd|tt|ct|"
    r"hd|ma so)(?:\s+so)?\s+\d+",
    r"(?<!tong )\bso\s+\d+(?=\s*(?:ngay\b|[,;)]|$))",  # "…, số 16 ngày …": a number
    r"\b(?:iso|tcvn)\s*\d+(?::\d+)?",
    r"\b\d+:\d+\b",
    r"\b(?:muc do|(?<!chuyen )muc|dieu|khoan|diem|chuong|phu luc|bieu|mau|cap do|lan thu|"
    r"dot)\s+\d+(?:\.\d+)*",
    r"\b(?:19[89]\d|20[0-3]\d)\b(?!\s*[a-z])",  # a year standing alone ("Nhâm Dần 2022;")
    r"\b\d+\s*h\s*\d*\b",  # 8h30
    r"\b0\d{9,10}\b",  # a phone number
)]
_PERCENT = re.compile(r"\d[\d.,]*\s*%")
_FRACTION = re.compile(r"(?<![\w/])(\d[\d.,]*\d|\d)\s*/\s*(\d[\d.,]*\d|\d)(?![\w/])(?!\s?\d)")
_SLASHED = re.compile(r"\d\s*/\s*\d")
_FIGURE = re.compile(r"(?<![\w])(\d[\d.,]*\d|\d)(?![\w])")
_MARKER = re.compile(r"\b(trong do|bao gom|gom co|gom|cu the|chia ra|chi tiet)\s*:?\s*")
_EXHAUSTIVE = {"bao gom", "gom co", "gom", "cu the", "chia ra", "chi tiet"}
_NEGATED = re.compile(r"\b(?:chua|khong|tre han|qua han|vi pham)\b")
# units that measure something else than a count of things (money, time, events)
_MEASURES = re.compile(r"^(?:dong|trieu|ty|nghin|ngan|ngay|thang|nam|gio|phut|tuan|lan|luot|"
                       r"cuoc|buoi|dot|ky|phien|km|m2|ha|kg|tan|tiet|trang)\b")
_OVERLAP = re.compile(r"\b(?:nu|nam gioi|dan toc|dang vien|tre tuoi|tuoi|trinh do|thac si|"
                      r"tien si|dai hoc|cao dang|trung cap|ly luan|tai che)\b")
_LEVEL_WORD = re.compile(r"\b(cap tinh|cap huyen|cap xa|tinh|huyen|thi xa|thanh pho|xa|"
                         r"phuong|thi tran)\b")
_LEVEL_OF = {"cap tinh": "province", "tinh": "province", "cap huyen": "district",
             "huyen": "district", "thi xa": "district", "thanh pho": "district",
             "cap xa": "commune", "xa": "commune", "phuong": "commune",
             "thi tran": "commune"}
_SPLIT = re.compile(r"(?<!\d),|,(?!\d)|[;+]|\bva\b|\s-\s|\n")  # not "1,5" nor "12,641"
_OUTCOME_WORD = re.compile(r"\b(truoc han|dung han|tre han|qua han)\b")
_TOTAL_LEAD = re.compile(r"^(?:tong so|tong cong|tong|co|gom|gom co|bao gom|dat)?\s*:?\s*$")


def _mask(folded: str) -> str:
    """Dates, document numbers, codes and links blanked out (same length, so positions in
    the folded text are positions in the clean text)."""
    out = folded
    for pattern in _MASKS:
        out = pattern.sub(lambda m: " " * len(m.group(0)), out)
    return out


def _read(token: str) -> float | None:
    """A figure in a note: a count unless it says otherwise ("12,641" is 12.641)."""
    reading = read_number(token.strip(".,"))
    if reading is None:
        return None
    if not reading.ambiguous:
        return reading.candidates[0]
    whole = [c for c in reading.candidates if float(c).is_integer()]
    return whole[0] if len(whole) == 1 else None


@dataclass
class _Figure:
    value: float
    start: int
    end: int
    unit: str  # the words after the figure, folded, up to a separator
    unit_text: str  # the same words as written


@dataclass
class _Part:
    value: float
    text: str  # folded, masked


@dataclass
class _Note:
    text: str  # clean
    masked: str  # folded and masked
    figures: list[_Figure]
    fractions: list[tuple[float, float]]
    clear: bool  # False when a figure could not be read


def _read_note(note: str) -> _Note:
    text = clean(note)
    masked = _mask(fold(text))
    fractions: list[tuple[float, float]] = []
    clear = True

    def fraction(m: re.Match[str]) -> str:
        nonlocal clear
        a, b = _read(m.group(1)), _read(m.group(2))
        if a is None or b is None:
            clear = False
        else:
            fractions.append((a, b))
        return " " * len(m.group(0))

    masked = _FRACTION.sub(fraction, masked)
    masked = _PERCENT.sub(lambda m: " " * len(m.group(0)), masked)
    if _SLASHED.search(masked):
        clear = False  # a fraction broken across the cell ("11391/1 1391")
    figures: list[_Figure] = []
    for m in _FIGURE.finditer(masked):
        value = _read(m.group(1))
        if value is None:
            clear = False
            continue
        after = re.match(r"\s*([a-z][a-z ]{0,30}?)(?=\s*(?:[,;:()+\-.]|\bva\b|\d|$))",
                         masked[m.end():])
        unit, unit_text = "", ""
        if after:
            unit = after.group(1)
            unit_text = text[m.end() + after.start(1):m.end() + after.end(1)]
        figures.append(_Figure(value, m.start(), m.end(), unit, unit_text))
    return _Note(text, masked, figures, fractions, clear)


def _pieces(text: str) -> list[_Part] | None:
    """A list of figures with their labels ("cấp huyện 12, cấp xã 30"), or None when the text
    is not such a list (a piece with two figures, fewer than two figures)."""
    pieces: list[str] = []
    pending = ""
    for piece in _SPLIT.split(text):
        if not piece.strip():
            continue
        if not _FIGURE.search(piece):
            pending += " " + piece
            continue
        pieces.append(pending + " " + piece)
        pending = ""
    if pending.strip() and pieces:
        pieces[-1] += " " + pending
    parts: list[_Part] = []
    for piece in pieces:
        found = _FIGURE.findall(piece)
        if len(found) != 1:
            return None
        value = _read(found[0])
        if value is None:
            return None
        parts.append(_Part(value, " ".join(piece.split())))
    return parts if len(parts) >= 2 else None


def _unit_kind(words: str) -> str | None:
    """What the words after a figure measure: a family of things, a measure word (đồng,
    ngày, cuộc…), or None when they say nothing known."""
    words = words.strip()
    measure = _MEASURES.match(words)
    if measure:
        return "measure:" + measure.group(0)
    return _family(words) if words else None


def _families(parts: list[_Part]) -> set[str]:
    out = set()
    for part in parts:
        m = _FIGURE.search(part.text)
        kind = _unit_kind(part.text[m.end():]) if m else None
        if kind:
            out.add(kind)
    return out


def _by_level(parts: list[_Part]) -> bool:
    """Every part names a different level (cấp tỉnh / huyện / xã): a breakdown by level."""
    levels = []
    for part in parts:
        found = {_LEVEL_OF[w] for w in _LEVEL_WORD.findall(part.text)}
        if len(found) != 1:
            return False
        levels.append(found.pop())
    return len(set(levels)) == len(levels)


def _exhaustive_kind(parts: list[_Part]) -> bool:
    """Parts that by their words cover the whole: levels, or outcomes."""
    return _by_level(parts) or _by_outcome(parts)


def _by_outcome(parts: list[_Part]) -> bool:
    """Every part is a different outcome (trước hạn / đúng hạn / trễ hạn): they share out
    the dossiers resolved."""
    outcomes = []
    for part in parts:
        found = set(_OUTCOME_WORD.findall(part.text))
        if len(found) != 1:
            return False
        outcomes.append(found.pop())
    return len(set(outcomes)) == len(outcomes)


def _fits_row(parts: list[_Part], row: Row) -> bool:
    """The parts count what the row counts (no other unit among them)."""
    fams = _families(parts)
    if len(fams) > 1:
        return False
    if any(f.startswith("measure:") for f in fams):
        return fams == {"measure:" + w for w in fold(row.unit).split()[:1]}
    row_fam = _unit_family(row.unit) or counted_family(row.label)
    return not fams or row_fam is None or fams == {row_fam}


def _parts_of(total: _Figure, parts: list[_Part]) -> bool:
    """The parts count what the total counts ("09 đơn vị (cấp huyện 3 đơn vị, …)"), not
    something else ("02 đợt (đợt 1: 3 xã, …)")."""
    kind = _unit_kind(total.unit)
    fams = _families(parts)
    return kind is None or not fams or fams == {kind}


@dataclass
class _Breakdown:
    parts: list[_Part]
    total: _Figure | None  # the total the note itself states before the list
    exhaustive: bool  # the parts should add up to the whole, not only stay below it
    at_start: bool  # the note begins with it: it is about the row's own figure


def _breakdowns(note: _Note) -> list[_Breakdown]:
    masked = note.masked
    out: list[_Breakdown] = []
    used: list[tuple[int, int]] = []
    # "24 đơn vị (Phòng chuyên môn 12, UBND cấp xã 9, …)": a total, then its parts
    for fig in note.figures:
        rest = masked[fig.end:]
        m = re.match(r"\s*[a-z ]{0,40}?\(", rest)
        if not m:
            continue
        start = fig.end + m.end()
        close = masked.find(")", start)
        end = close if close >= 0 else len(masked)
        inner = masked[start:end].strip()
        marker = _MARKER.match(inner)
        body = inner[marker.end():] if marker else inner
        parts = _pieces(body)
        used.append((fig.start, end))
        if parts is None or not _parts_of(fig, parts):
            continue
        # "(a, b, c)" or "(gồm: a, b, c)" lists them all; "(trong đó a, b)" only some
        exhaustive = marker is None or marker.group(1) in _EXHAUSTIVE or _exhaustive_kind(parts)
        lead = masked[:fig.start].strip()
        out.append(_Breakdown(parts, fig, exhaustive, bool(_TOTAL_LEAD.match(lead))))
    # "Trong đó: cấp huyện 12, cấp xã 30" / "gồm 3 phòng, 2 trường"
    for m in _MARKER.finditer(masked):
        if any(a <= m.start() < b for a, b in used):
            continue
        body = masked[m.end():]
        stop = re.search(r"[.()]\s", body)
        body = body[:stop.start()] if stop else body
        parts = _pieces(body)
        if parts is None:
            continue
        before = [f for f in note.figures if f.end <= m.start()]
        lead = masked[:m.start()].strip(" ,:;")
        total = before[-1] if len(before) == 1 else None
        if len(before) > 1 or (total is not None and not _parts_of(total, parts)):
            continue
        at_start = not lead or (total is not None and bool(_TOTAL_LEAD.match(
            masked[:total.start].strip())))
        exhaustive = m.group(1) in _EXHAUSTIVE or _exhaustive_kind(parts)
        out.append(_Breakdown(parts, total, exhaustive, at_start))
        used.append((m.start(), len(masked)))
    # "Phòng chuyên môn 12, UBND cấp xã 13, khối đảng đoàn thể 7": the whole note a list
    if not out and not used:
        parts = _pieces(masked)
        if parts is not None:
            out.append(_Breakdown(parts, None, _exhaustive_kind(parts), True))
    return out


def _arith(parts: list[_Part]) -> str:
    return " + ".join(_fmt(p.value) for p in parts)


def _note_breakdown(row: Row, note: _Note) -> Iterator[Finding]:
    value = _count(row)
    counts_row = classify(row.unit).kind in ("count", "money", "none") and \
        row.value.kind in ("number", "empty", "text")
    if not counts_row:
        return
    for b in _breakdowns(note):
        if any(_OVERLAP.search(p.text) for p in b.parts):
            continue  # "nữ 5, đảng viên 7": categories that may overlap
        added = sum(p.value for p in b.parts)
        arithmetic = _arith(b.parts)
        quote = _quote(note.text)
        base: dict[str, Any] = {"row": row.index, "item_code": row.item, "label": row.label,
                                "quote": quote}
        same_unit = _fits_row(b.parts, row)
        if b.total is not None:
            stated = b.total.value
            total_fits = same_unit and _total_fits_row(b.total, row)
            if value is not None and b.at_start and total_fits and abs(stated - value) > _EPS:
                detail = (f"; các phần ghi chú kể ra cộng lại {arithmetic} = {_fmt(added)}"
                          + (", đúng bằng số liệu của dòng" if abs(added - value) < _EPS
                             else ""))
                yield make("note-figure-differs", **base, actual=value, expected=stated,
                           expected_text=f"{_fmt(stated)} {b.total.unit_text}".strip(),
                           percent="", detail=detail)
            elif abs(added - stated) > _EPS and (b.exhaustive or added > stated):
                yield make("note-sum-mismatch", **base, actual=stated, expected=added,
                           arithmetic=arithmetic,
                           against=f"tổng {_fmt(stated)} {b.total.unit_text}".strip()
                           + " mà chính ghi chú nêu")
            continue
        if value is None or not b.at_start or not same_unit:
            continue
        if added > value + _half_unit(row) or (b.exhaustive and
                                               added < value - _half_unit(row)):
            yield make("note-sum-mismatch", **base, actual=value, expected=added,
                       arithmetic=arithmetic, against=f"số liệu của dòng ({_fmt(value)})")


def _total_fits_row(total: _Figure, row: Row) -> bool:
    fam = _family(total.unit) if total.unit else None
    row_fam = _unit_family(row.unit) or counted_family(row.label)
    if fam is None or row_fam is None:
        return True
    return fam == row_fam or fold(total.unit) in fold(row.unit)


def _is_rate_row(ctx: Context, row: Row) -> bool:
    item = ctx.item_of(row)
    if item is not None:
        return item.type == "rate"
    return classify(row.unit).kind == "percent" or row.value.has_percent_sign


def _note_fraction(ctx: Context, row: Row, note: _Note) -> Iterator[Finding]:
    """A rate beside a note that gives its own fraction ("736/750 phiếu")."""
    from cchc.checks.relations import rate_consistent

    if not _is_rate_row(ctx, row) or row.value.kind not in ("percent", "number"):
        return
    value = row.value.value
    if value is None or len(note.fractions) != 1 or not note.clear:
        return
    if _NEGATED.search(note.masked):
        return  # "2/3 tiêu chí chưa đạt": the share of what is missing
    num, den = note.fractions[0]
    if den <= 0 or num > den:
        return
    computed = 100.0 * num / den
    if rate_consistent(value, row.value.decimals, computed):
        return
    yield make("note-figure-differs", row=row.index, item_code=row.item, label=row.label,
               actual=value, expected=round(computed, 2),
               expected_text=f"{_fmt(num)}/{_fmt(den)} = "
                             f"{format_number(round(computed, 2), None)}%",
               percent="%", detail="", quote=_quote(note.text))


_LATE = re.compile(r"(\d[\d.,]*)\s+((?:[a-z]+\s+){0,5}?)(tre han|qua han|cham muon|cham)\b")
_LATE_AFTER = re.compile(r"\b(tre han|qua han)\s*(?:la|:)?\s*(\d[\d.,]*)\s+(ho so|nhiem vu)")
_NOUNS = {"ho so": "hồ sơ", "nhiem vu": "nhiệm vụ", "van ban": "văn bản"}
_LATE_WORDS = {"tre han": "trễ hạn", "qua han": "quá hạn", "cham": "chậm", "cham muon":
               "chậm muộn"}


def _late_count(note: _Note) -> tuple[float, str, str, bool] | None:
    """The late items a note counts ("12 hồ sơ trễ hạn do lỗi phần mềm"): (count, noun,
    word, whether the note says they were resolved: "giải quyết trễ hạn"); None when it
    counts none, or only items still being handled."""
    masked = note.masked
    found: list[tuple[float, str, str, bool]] = []
    for m in _LATE.finditer(masked):
        between = m.group(2)
        if re.search(r"\b(dang|chua|con)\b", between + masked[m.end():m.end() + 12]):
            continue  # "12 hồ sơ đang giải quyết quá hạn", "… quá hạn chưa giải quyết"
        value = _read(m.group(1))
        noun = next((n for n in _NOUNS if between.strip().startswith(n)), "")
        resolved = bool(re.search(r"\b(giai quyet|hoan thanh|tra ket qua|xu ly)\b", between))
        if value is not None:
            found.append((value, _NOUNS.get(noun, "hồ sơ"), _LATE_WORDS[m.group(3)],
                          resolved))
    for m in _LATE_AFTER.finditer(masked):
        value = _read(m.group(2))
        if value is not None:
            found.append((value, _NOUNS[m.group(3)], _LATE_WORDS[m.group(1)], False))
    positive = [f for f in found if f[0] > 0]
    return positive[0] if len(positive) == 1 else None


def _wholes(ctx: Context, row: Row) -> list[Row]:
    """The rows this row is a part of: its `part_of`, and the totals that list it."""
    item = ctx.item_of(row)
    if item is None:
        return []
    ids = list(item.part_of) + [i.id for i in _form_items(ctx)
                                if item.id in (*i.exclusive, *i.sum_of, *i.accounted_by)]
    return [r for r in _rows_of(ctx, ids) if r is not None]


def _note_late(ctx: Context, row: Row, note: _Note) -> Iterator[Finding]:
    """A row saying nothing was late beside a note counting late items."""
    value = _count(row)
    if value is None:
        return
    late = _late_count(note)
    if late is None:
        return
    count, noun, word, resolved = late
    label = _LEAD.sub("", fold(row.label))
    late_row = re.search(r"\b(tre han|qua han|cham)\b", label)
    claim = None
    related: list[int] = []
    if late_row and value == 0 and (resolved or not re.search(
            r"\b(giai quyet|hoan thanh|tra ket qua|xu ly)\b", label)):
        claim = f"{_short(row.label)} ghi 0"
    elif not late_row and re.search(r"\bdung han\b", label):
        for whole in _wholes(ctx, row):
            total = _count(whole)
            if total is None or total <= 0 or abs(total - value) > _EPS:
                continue
            # the late ones may be among those not resolved yet ("12 hồ sơ trễ hạn" beside
            # 12.641 on time of 12.641 resolved, of 12.653 received): only a row above
            # with nothing left over, or a note saying they were resolved, contradicts
            above = [_count(r) for r in _wholes(ctx, whole)]
            nothing_left = bool(above) and all(a is not None and abs(a - total) < _EPS
                                               for a in above)
            if not (nothing_left or resolved):
                continue
            claim = (f"{_short(row.label)} ({_fmt(value)}) bằng {_short(whole.label)} "
                     f"({_fmt(total)})" + (f" và bằng {_short(_wholes(ctx, whole)[0].label)}"
                                            if nothing_left else "")
                     + f", tức là không có {noun} nào {word}")
            related = [whole.index] + ([_wholes(ctx, whole)[0].index] if nothing_left else [])
            break
    if claim is None:
        return
    yield make("note-contradicts-row", row=row.index, item_code=row.item, label=row.label,
               actual=value, related=related, claim=claim, late=_fmt(count), noun=noun,
               late_word=word, quote=_quote(note.text))


def notes(ctx: Context) -> Iterator[Finding]:
    """What a row's note says against the row's own figure."""
    for row in ctx.report.rows:
        if not row.note or not re.search(r"\d", row.note):
            continue
        note = _read_note(row.note)
        yield from _note_fraction(ctx, row, note)
        late = list(_note_late(ctx, row, note))
        yield from late
        if note.clear and not late:
            yield from _note_breakdown(row, note)


# ---------------------------------------------------------------- units of a level

_LEVELS: dict[str, tuple[str, str, str]] = {
    # level: (words a note uses for all units of the level, the word in messages,
    #         the words of a label counting them)
    "commune": (r"(?:don vi hanh chinh cap xa|dvhc cap xa|don vi cap xa|ubnd cap xa|"
                r"xa, phuong, thi tran|xa, thi tran|xa, phuong|xa)",
                "xã", r"(?:ubnd |uy ban nhan dan |don vi )?(?:cap xa|xa, phuong, thi tran|"
                      r"xa, thi tran|xa)"),
    "district": (r"(?:don vi hanh chinh cap huyen|dvhc cap huyen|don vi cap huyen|"
                 r"ubnd cap huyen|huyen, thi xa, thanh pho|huyen, thanh pho|huyen)",
                 "huyện", r"(?:ubnd |uy ban nhan dan |don vi )?(?:cap huyen|huyen, thi xa, "
                          r"thanh pho|huyen)"),
}
_OTHER_KIND = {"commune": r"(?:thi tran|phuong|xa)", "district": r"(?:thi xa|thanh pho|quan)"}


def _stated_units(text: str, level: str) -> list[tuple[float, str]]:
    """How many units of `level` a text says there are, with the arithmetic:
    "Trên địa bàn huyện có 8 xã, 01 thị trấn đều …" → (9, "8 + 1"); "Huyện có 13 xã." → 13.
    A fraction ("5/13 xã") is not used: its whole may be the units checked, not all."""
    words, _, _ = _LEVELS[level]
    other = _OTHER_KIND[level]
    folded = _mask(fold(text))
    out: list[tuple[float, str]] = []
    listing = rf"(\d+)\s+{words}(?:\s*(?:,|va)\s*(\d+)\s+{other})?"
    # only sentences that say what exists: "có 5 xã đã kết nối" counts those connected
    patterns = (
        rf"\btren dia ban\b[^.;]{{0,30}}?\b(?:co|gom)\s+{listing}"
        rf"(?=\s*(?:[.;)]|$|\b(?:deu|dieu)\b))",
        rf"\b(?:huyen|thi xa|thanh pho|quan|tinh)\s+(?:co|gom)\s+{listing}(?=\s*(?:[.;)]|$))",
    )
    for pattern in patterns:
        for m in re.finditer(pattern, folded):
            first = float(m.group(1))
            second = float(m.group(2)) if m.group(2) else None
            if second is None:
                out.append((first, _fmt(first)))
            else:
                out.append((first + second, f"{_fmt(first)} + {_fmt(second)}"))
    return out


def _counts_level(ctx: Context, row: Row) -> str | None:
    if row.concept is not None:
        concept = ctx.catalog.concepts.get(row.concept)
        if concept is not None and concept.counts_units in _LEVELS:
            return concept.counts_units
    if row.item is None:
        folded = _LEAD.sub("", fold(row.label))
        for level, (_, _, counted) in _LEVELS.items():
            if re.match(rf"^(?:tong so|so)\s+(?:luong\s+)?{counted}\b", folded):
                return level
    return None


def _is_number_of_units(row: Row, level: str) -> bool:
    """A row that gives the number of units itself ("Số xã, phường, thị trấn")."""
    folded = _LEAD.sub("", fold(row.label)).strip(" .:")
    _, _, counted = _LEVELS[level]
    return bool(re.fullmatch(rf"(?:tong so|so)\s+(?:luong\s+)?{counted}"
                             r"(?:\s+(?:tren dia ban|truc thuoc|thuoc)[\w ]*)?", folded))


def units_in_report(ctx: Context) -> Iterator[Finding]:
    """A count of communes (districts) above the number the report itself gives."""
    for level, (_, word, _) in _LEVELS.items():
        counting = [r for r in ctx.report.rows if _counts_level(ctx, r) == level
                    and _count(r) is not None]
        if not counting:
            continue
        stated: list[tuple[float, str, Row]] = []
        for row in ctx.report.rows:
            value = _count(row)
            if value is not None and _is_number_of_units(row, level):
                stated.append((value, f"{_name(row)}: {_fmt(value)}", row))
            elif row.note:
                for n, arithmetic in _stated_units(row.note, level):
                    shown = f" → {arithmetic} = {_fmt(n)}" if "+" in arithmetic else ""
                    stated.append((n, f"ghi chú {_name(row)}: \"{_quote(row.note, 90)}\""
                                      f"{shown}", row))
        if not stated or len({n for n, _, _ in stated}) != 1:
            continue  # none, or two sources that disagree: no bound to trust
        bound, evidence, source = stated[0]
        for row in counting:
            value = _count(row) or 0.0
            if row is source or value <= bound + _EPS:
                continue
            yield make("exceeds-units-in-report", row=row.index, item_code=row.item,
                       label=row.label, actual=value, expected=bound,
                       related=[source.index], words=word, evidence=evidence)


CHECKS: tuple[Callable[[Context], Iterable[Finding]], ...] = (
    section_totals, shares, subsets, outcomes, same_quantity, unit_words, yes_no_counts, notes,
    units_in_report)
