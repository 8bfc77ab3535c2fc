"""An aggregate (cchc.aggregate) written as the unit's own report: the letterhead of the
unit, the narrative drafted from the figures (cchc.draft), and the appendix in the unit's
form with each aggregated value beside its coverage ("8/9").

Values are written as the page writes them: counts with Vietnamese grouping ("12.653"),
rates with a decimal comma ("97,74"); coded answers as counts of units per answer in
words ("Có: 7; Không: 2"), which is not a value of the row and is stored as text; a
concept nobody reported is left empty, never 0. Text rows are listed per unit in the
units' own reports, so the appendix leaves them empty with a note saying so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from cchc.aggregate import Aggregate, ConceptTotal
from cchc.catalog import Catalog, Form, Item
from cchc.console import SOURCE_WORDS
from cchc.model import Meta
from cchc.model import Period as ReportPeriod
from cchc.numbers import format_number
from cchc.render.document import (
    Appendix,
    Line,
    ReportDocument,
    Section,
    UnitColumn,
    appendix_reference,
    issuer_words,
    letterhead,
    signature,
)
from cchc.render.from_report import APPENDIX_TITLE, KINDS, NOTE, default_recipients, subject

DRAFTED = ("Phần thuyết minh được soạn tự động từ số liệu tổng hợp của các đơn vị cấp dưới; "
           "cần rà soát, bổ sung đánh giá trước khi ký ban hành.")
TEXT_NOTE = "Nội dung do từng đơn vị báo cáo"


def document_from_aggregate(result: Aggregate, catalog: Catalog, sections: Sequence[Section],
                            *, province: str | None, parent: str | None,
                            columns: Sequence[UnitColumn] = (), title: str | None = None,
                            number: str = "", day: dt.date | None = None,
                            signer: str = "") -> ReportDocument:
    """The report of `result.unit` for `result.period` from its aggregate. `province`: the
    province's name ("Hà Tĩnh"), for the recipients; `parent`: the unit above it as the
    letterhead names a governing body ("Tỉnh Hà Tĩnh"); `columns`: each unit below with its
    figures, for the units-across sheet; `title`: the appendix title as printed for the
    unit (default: the form's)."""
    unit = result.unit
    head = letterhead(unit.name, unit.kind, parent, number, day)
    period = ReportPeriod(kind=result.period.kind, year=result.period.year,
                          number=result.period.number, label=result.period.label,
                          start=result.period.start, end=result.period.end)
    meta = Meta(unit=unit.name, level=unit.kind, province=province, number=number or None,
                date=day, period=period)
    form = catalog.form(result.form_id) if result.form_id else None
    appendix = None
    if form is not None:
        appendix = Appendix(
            title=title or form.title or APPENDIX_TITLE,
            reference=appendix_reference(number, head.suffix, day,
                                         issuer_words(unit.name, unit.kind)),
            form_id=form.id, last_column=NOTE, lines=tuple(lines(form, result)),
            units=tuple(columns), aggregated=True)
    notes = [DRAFTED]
    if not number:
        notes.append("Chưa có số văn bản: để trống để điền.")
    return ReportDocument(
        letterhead=head, subject=subject(period), sections=tuple(sections),
        recipients=tuple(default_recipients(meta)),
        signature=signature(unit.name, unit.kind, signer), appendix=appendix,
        unit=unit.name, period_label=result.period.label, generated=tuple(notes))


def lines(form: Form, result: Aggregate) -> list[Line]:
    """Every item of the form in order: sections as headings, the others with their
    aggregated value and coverage."""
    out = []
    for item in form.items:
        depth = form.depth(item)
        if item.type == "section":
            out.append(Line(item.id, item.code, item.label, item.unit, "section", "", None,
                            depth=depth))
            continue
        total = result.concepts.get(item.concept or "")
        value, number, note = written(item, total)
        coverage = (f"{total.reported}/{total.expected}"
                    if total is not None and total.expected else "")
        source = SOURCE_WORDS.get(total.source, "") if total is not None else ""
        if total is not None and total.source in ("children+copy", "lineage"):
            note = "; ".join(x for x in (note, source) if x)
        out.append(Line(item.id, item.code, item.label, item.unit,
                        KINDS.get(item.type, "text"), value, number, note, coverage, depth))
    return out


def written(item: Item, total: ConceptTotal | None) -> tuple[str, float | None, str]:
    """(value as written, as a number, note) of one row's aggregate."""
    if total is None:
        return "", None, ""
    if total.rollup == "count_codes":
        if not total.counts:
            return "", None, ""
        words = dict(item.options)
        return ("; ".join(f"{words.get(code, f'mã {code}')}: {n}"
                          for code, n in sorted(total.counts.items(), reverse=True)),
                None, "Số đơn vị theo từng câu trả lời")
    if total.rollup in ("none", "list") or item.type == "text":
        return "", None, TEXT_NOTE if total.reported else ""
    if total.value is None:
        return "", None, ""
    return format_number(total.value, None), total.value, ""

