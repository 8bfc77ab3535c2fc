"""A report read from any file, rewritten as a `ReportDocument` in the standard layout.

Everything comes from the report: the letterhead from its metadata, the narrative from its
paragraphs (the outline I … V of `cchc.outline`), "Nơi nhận" and the signer from the lines
after "Nơi nhận", the appendix from its rows with every value as written. What the report
does not say is left blank to be filled in (number, date, the signer's name) or drafted
from the rules of Nghị định 30 (the recipients "- Lưu: VT."), and each drafted piece is
named in `ReportDocument.generated`. No number is ever made up.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from cchc.catalog import Catalog, Form, Item
from cchc.model import Meta, Paragraph, Period, Report, Row
from cchc.outline import split_sections
from cchc.periods import bounds
from cchc.render.document import (
    Appendix,
    Letterhead,
    Line,
    ReportDocument,
    Section,
    Signature,
    appendix_reference,
    issuer_words,
    letterhead,
    signature,
)
from cchc.vietnamese import fold, starts_lower

SUBJECT = "Tình hình, kết quả thực hiện công tác cải cách hành chính"
APPENDIX_TITLE = "THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH"
NOTE, RESPONSIBLE = "Ghi chú", "Đơn vị thực hiện"
FILING = "- Lưu: VT."  # the copy kept by the issuer's clerical office (văn thư)
UNKNOWN_ISSUER = "……………………"
# Province-level cities: "UBND thành phố Hà Nội", not "UBND tỉnh Hà Nội".
CITIES = {"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"}
# From 1 July 2025 communes report to the province (domain.md §7).
REFORM = dt.date(2025, 7, 1)
KINDS = {"count": "count", "decimal": "decimal", "rate": "percent", "coded": "coded",
         "text": "text"}

_RECIPIENTS = re.compile(r"^\W*n[oơ]i nh[aậ]n\b", re.IGNORECASE)
_APPENDIX = re.compile(r"^\W*ph[uụ] l[uụ]c\b", re.IGNORECASE)
_BULLET = re.compile(r"^\s*[-–—+•]\s*")
_HEADING_NUMBER = re.compile(r"^\s*[IVX]+\s*[.:/\-–)]\s*")
_TITLE_WORD = re.compile(r"^(TM|KT|TL|TUQ|Q)\.\s", re.IGNORECASE)
_ROMAN_CODE = re.compile(r"^[IVXLC]+\.?$")
_SECTIONS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def document_from_report(report: Report, catalog: Catalog) -> ReportDocument:
    meta = report.meta
    notes: list[str] = []
    unit = meta.unit or ""
    if not unit:
        notes.append("Không rõ đơn vị ban hành: phần tên cơ quan để trống để điền.")
    head = _letterhead(meta)
    if not meta.number:
        notes.append("Báo cáo gốc không ghi số văn bản: để trống để điền.")
    if meta.date is None:
        notes.append("Báo cáo gốc không ghi ngày ban hành: để trống để điền.")
    period = meta.period.label or ""
    if not period:
        notes.append("Không rõ kỳ báo cáo: trích yếu không ghi kỳ.")
    recipients, signer = closing(report.paragraphs)
    if not recipients:
        recipients = default_recipients(meta)
        notes.append("Báo cáo gốc không có “Nơi nhận”: ghi nơi nhận mặc định.")
    default_signer = signature(unit, meta.level) if unit else Signature("", "", "")
    signed = _signer(signer, default_signer)
    if not signed.name:
        notes.append("Chưa có tên người ký: để trống chỗ ký.")
    form = catalog.form(report.form_id) if report.form_id else None
    return ReportDocument(
        letterhead=head, subject=subject(meta.period), sections=sections(report.paragraphs),
        recipients=tuple(recipients), signature=signed,
        appendix=appendix(report, form, head), unit=unit, period_label=period,
        generated=tuple(notes), intro=intro(report.paragraphs))


# ------------------------------------------------------------------ letterhead and subject


def province_words(province: str | None) -> str | None:
    """'Sóc Trăng' → 'tỉnh Sóc Trăng'; 'Hà Nội' → 'thành phố Hà Nội'."""
    if not province:
        return None
    return f"{'thành phố' if province in CITIES else 'tỉnh'} {province}"


def _letterhead(meta: Meta) -> Letterhead:
    parent = province_words(meta.province)
    if not meta.unit:
        return Letterhead("", (UNKNOWN_ISSUER,), meta.number or "", "BC", "", meta.date)
    return letterhead(meta.unit, meta.level, parent, meta.number or "", meta.date)


def subject(period: Period) -> str:
    """'Tình hình, kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2022'."""
    label = period.label or ""
    if not label:
        return SUBJECT
    return f"{SUBJECT} {label[:1].lower()}{label[1:]}"


# ------------------------------------------------------------------ narrative


def _texts(paragraphs: Sequence[Paragraph]) -> list[str]:
    return [p.text.strip() for p in paragraphs if p.text.strip()]


def intro(paragraphs: Sequence[Paragraph]) -> tuple[str, ...]:
    """The paragraphs between the subject line and the first section heading."""
    texts = _texts(paragraphs)
    start = next((i for i, t in enumerate(texts[:30]) if fold(t).strip(" *") == "bao cao"),
                 None)
    if start is None:
        return ()
    first_heading = sections_start(texts)
    body = texts[start + 2:first_heading]
    if body and _continues_subject(body[0]):
        body = body[1:]
    return tuple(_joined(body))


def _continues_subject(text: str) -> bool:
    """A subject's second line ("6 tháng đầu năm 2022", "và phương hướng …"): it starts in
    lower case, or it is short and ends without the punctuation of a sentence."""
    return starts_lower(text) or (len(text) < 80 and not text.endswith((".", ":", ";")))


def sections_start(texts: Sequence[str]) -> int:
    """The position of the first section heading (as `split_sections` finds it)."""
    for i, text in enumerate(texts):
        if re.match(r"^\s*I\s*[.:/\-–)]\s*\S", text):
            return i
    return len(texts)


def sections(paragraphs: Sequence[Paragraph]) -> tuple[Section, ...]:
    """The outline's sections in the order written, numbered I, II … again (a report that
    has no part III goes on with III, not IV); headings in capitals without their number."""
    parts = split_sections(paragraphs)
    out: list[Section] = []
    for n, text in enumerate(parts.values()):
        lines = text.split("\n")
        heading = _HEADING_NUMBER.sub("", lines[0]).strip().rstrip(":.").strip()
        number = _SECTIONS[n] if n < len(_SECTIONS) else str(n + 1)
        out.append(Section(number, heading.upper(), tuple(_joined(lines[1:]))))
    return tuple(out)


def _joined(lines: Sequence[str]) -> list[str]:
    """Paragraphs, with a line that starts in lower case (a paragraph cut by a page break in
    the source) joined back to the one before."""
    out: list[str] = []
    for line in lines:
        if out and starts_lower(line) and not out[-1].endswith((":", ";")):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


# ------------------------------------------------------------------ recipients and signer


def closing(paragraphs: Sequence[Paragraph]) -> tuple[list[str], list[str]]:
    """The "- …;" lines after "Nơi nhận", and the lines of the signature block after them
    (up to the appendix): ([], []) when the report has no "Nơi nhận"."""
    texts = _texts(paragraphs)
    start = next((i for i, t in enumerate(texts) if _RECIPIENTS.match(t)), None)
    if start is None:
        return [], []
    recipients: list[str] = []
    i = start + 1
    while i < len(texts) and _BULLET.match(texts[i]):
        recipients.append("- " + _BULLET.sub("", texts[i]))
        i += 1
    block: list[str] = []
    while i < len(texts) and len(block) < 6 and not _APPENDIX.match(texts[i]):
        block.append(texts[i])
        i += 1
    return recipients, block


def _signer(block: Sequence[str], default: Signature) -> Signature:
    """Authority ("TM. ỦY BAN NHÂN DÂN"), title lines ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH") and
    the name from the block's lines; the default where the report has none."""
    authority = ""
    titles: list[str] = []
    name = ""
    for line in block:
        if line.isupper():
            if line.upper().startswith("TM.") and not authority and not titles:
                authority = line
            else:
                titles.append(line)
        elif titles and _looks_like_name(line):
            name = line
            break
        else:
            break
    if not titles:
        return default
    if not authority and default.authority and "CHỦ TỊCH" in titles[-1]:
        # A committee's chairman signs on its behalf (Nghị định 30): "TM. ỦY BAN NHÂN DÂN".
        authority = default.authority
    return Signature(authority, "\n".join(titles), name)


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 6 and all(w[:1].isupper() for w in words) and not any(
        ch.isdigit() for ch in text) and not _TITLE_WORD.match(text)


def default_recipients(meta: Meta) -> list[str]:
    """The level above where it is known, and the filing copy."""
    lines = [f"- {name};" for name in level_above(meta)]
    return [*lines, FILING]


def level_above(meta: Meta) -> list[str]:
    """Who receives the report of this unit: for a district, a department or a service
    unit (and, from July 2025, a commune), its province's People's Committee and Sở Nội
    vụ; a province reports to Bộ Nội vụ. A commune's district is not known here."""
    if meta.level == "province":
        return ["Bộ Nội vụ"]
    province = province_words(meta.province)
    if province is None:
        return []
    reports_to_province = meta.level in ("district", "department", "service_unit") or (
        meta.level == "commune" and _after_reform(meta))
    if not reports_to_province:
        return []
    out = [f"UBND {province}"]
    if fold(meta.unit or "") != fold("Sở Nội vụ"):
        out.append(f"Sở Nội vụ {province}")
    return out


def _after_reform(meta: Meta) -> bool:
    day = meta.date
    period = meta.period
    if day is None and period.kind and period.year:
        day = bounds(period.kind, period.year, period.number)[1]
    return day is not None and day >= REFORM


# ------------------------------------------------------------------ appendix


def appendix(report: Report, form: Form | None, head: Letterhead) -> Appendix | None:
    if not report.has_table or not report.rows:
        return None
    meta = report.meta
    responsible = ("responsible" in form.columns) if form is not None else any(
        r.responsible for r in report.rows)
    issuer = issuer_words(meta.unit, meta.level) if meta.unit else UNKNOWN_ISSUER
    title = (printed_title(report.paragraphs) or _form_title(form, meta)
             or _generic_title(meta, issuer))
    reference = appendix_reference(meta.number or "", head.suffix, meta.date, issuer)
    lines: list[Line] = []
    for row in report.rows:
        lines.append(line(row, form, responsible, lines[-1] if lines else None))
    return Appendix(title=title, reference=reference, form_id=report.form_id,
                    last_column=RESPONSIBLE if responsible else NOTE, lines=tuple(lines))


def printed_title(paragraphs: Sequence[Paragraph]) -> str:
    """The appendix title the report prints: the lines in capitals after "Phụ lục …"."""
    texts = _texts(paragraphs)
    for i, text in enumerate(texts):
        if i > 5 and _APPENDIX.match(text):
            caps: list[str] = []
            for following in texts[i + 1:i + 6]:
                if not following.isupper() or following.startswith("("):
                    break
                caps.append(following)
            if caps:
                return " ".join(caps)
    return ""


def _form_title(form: Form | None, meta: Meta) -> str:
    """The form's title where it names its area (`Form.title_area`), with the unit's own."""
    if form is None or not form.title_area:
        return ""
    area: str | None = None
    if meta.level == "district" and meta.unit:
        area = re.sub(r"^\s*(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+", "", meta.unit,
                      flags=re.IGNORECASE)
    elif meta.province:
        area = province_words(meta.province)
    return form.title_for(area)


def _generic_title(meta: Meta, issuer: str) -> str:
    period = f" {meta.period.label.upper()}" if meta.period.label else ""
    return f"{APPENDIX_TITLE}{period} CỦA {issuer.upper()}"


def line(row: Row, form: Form | None, responsible: bool, previous: Line | None) -> Line:
    item = form.item(row.item) if form is not None and row.item else None
    value = row.value.raw.strip()
    return Line(
        item=row.item, code=row.code, label=row.label, unit=row.unit,
        kind=line_kind(row, item), value=value,
        number=row.value.value if value else None,
        note=row.responsible if responsible else row.note,
        depth=depth(row, item, form, previous))


def line_kind(row: Row, item: Item | None) -> str:
    if item is not None and item.type == "section":
        return "section"
    if not row.value.raw.strip():
        return "section" if item is None and not row.unit else "empty"
    if item is not None:
        return KINDS[item.type]
    number = row.value.value
    return {"percent": "percent", "coded": "coded"}.get(row.value.kind) or (
        ("count" if float(number).is_integer() else "decimal")
        if row.value.kind == "number" and number is not None else "text")


def depth(row: Row, item: Item | None, form: Form | None, previous: Line | None) -> int:
    """0 for a top section, 1 for its items, …: the form's nesting, else the code's."""
    if item is not None and form is not None:
        level = 0
        parent = item.parent
        while parent is not None and level < 20:
            level += 1
            found = form.item(parent)
            parent = found.parent if found else None
        return level
    code = row.code.strip()
    if _ROMAN_CODE.match(code):
        return 0
    if code:
        return code.rstrip(".").count(".")
    return (previous.depth + 1) if previous is not None and previous.code else (
        previous.depth if previous is not None else 0)

