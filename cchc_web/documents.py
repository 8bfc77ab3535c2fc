"""The documents the system writes from what is stored: a submission as its official
report, and a unit's aggregate as the report the unit sends up — built as the core's
`ReportDocument` and written by `cchc.render` (.docx, .xlsx, .pdf). The pages, the command
line and the API call these, with their own permission checks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from cchc import aggregate as core
from cchc.draft import coverage_of, draft_sections
from cchc.entry import report_from_entries
from cchc.orgtree import Tree
from cchc.render import chartdata
from cchc.render.document import SECTION_WORDS, ReportDocument, Section, UnitColumn
from cchc.render.document import place_name as bare_place
from cchc.render.files import render_document
from cchc.render.from_aggregate import document_from_aggregate
from cchc.render.from_report import document_from_report
from cchc.vietnamese import sort_key
from cchc_web import reporting
from cchc_web.catalog import catalog, form_for, title_for
from cchc_web.catalog import form as catalog_form
from cchc_web.checking import core_meta
from cchc_web.models import STATUSES, OrgUnit, Period, Submission

_HEADING = re.compile(r"^\s*(I|II|III|IV|V)\s*[.:/\-–)]\s*(\S.*)$")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
CHART_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


def province_of(unit: OrgUnit) -> OrgUnit:
    return unit.province()


def _parent_name(unit: OrgUnit) -> str | None:
    """The governing body an agency prints above its name: its province (or district)."""
    parent = unit.parent
    while parent is not None and parent.kind not in ("province", "district"):
        parent = parent.parent
    return parent.name if parent is not None else None


def submission_document(s: Submission) -> ReportDocument:
    """A stored report as its official document: its letterhead, its narrative sections,
    its appendix with every value as typed."""
    the_form = catalog_form(s.form_id)
    if the_form is None:
        raise LookupError(f"form {s.form_id!r} is not in the catalog")
    entries = dict(s.entries.values_list("item_id", "raw"))
    narrative = dict(s.narratives.values_list("section", "text"))
    meta = dataclasses.replace(core_meta(s), province=bare_place(province_of(s.unit).name))
    report = report_from_entries(the_form, entries, meta, narrative)
    notes = dict(s.entries.exclude(note="").values_list("item_id", "note"))
    for row in report.rows:
        row.note = notes.get(row.item or "", "")
    doc = document_from_report(report, catalog())
    head = dataclasses.replace(
        doc.letterhead, governing=doc.letterhead.governing or _governing(s.unit))
    appendix = doc.appendix
    if appendix is not None:
        appendix = dataclasses.replace(appendix, title=title_for(the_form, s.unit))
    return dataclasses.replace(doc, letterhead=head, sections=stored_sections(narrative),
                               appendix=appendix, unit=s.unit.name)


def _governing(unit: OrgUnit) -> str:
    """What an agency prints above its own name, from the tree ("UBND TỈNH SÓC TRĂNG")."""
    from cchc.render.document import is_peoples_committee, place_kind_name

    if is_peoples_committee(unit.name, unit.level):
        return ""
    parent = _parent_name(unit)
    return f"UBND {place_kind_name(parent).upper()}" if parent else ""


def stored_sections(narrative: dict[str, str]) -> tuple[Section, ...]:
    """The stored narrative as sections I … V, each under its own heading when its text
    starts with one ("II. KẾT QUẢ …"), else under the outline's words."""
    out = []
    for number in SECTION_WORDS:
        lines = [x.strip() for x in narrative.get(number, "").splitlines() if x.strip()]
        heading = SECTION_WORDS[number]
        m = _HEADING.match(lines[0]) if lines else None
        if m and m.group(1) == number:
            heading, lines = m.group(2).strip(), lines[1:]
        out.append(Section(number, heading, tuple(lines)))
    return tuple(out)


def aggregate_document(unit: OrgUnit, period: Period, rule: str,
                       today: dt.date | None = None) -> ReportDocument:
    """The unit's report drafted from its aggregate: letterhead, narrative drafted from the
    figures, the appendix of its form with coverage, and a column per unit below."""
    from django.utils import timezone

    the_tree = reporting.tree()
    result = reporting.aggregate(unit, period, rule, the_tree, detail=False)
    today = today or timezone.localdate()
    states = reporting.reporters([u.code for u in result.expected], period, today)
    late = [c for c, r in states.items() if r.state == "late"]
    sections = draft_sections(result, catalog(), coverage_of(result, late))
    own = form_for(unit, period)
    columns = unit_columns(unit, period, rule, result, the_tree)
    doc = document_from_aggregate(
        result, catalog(), sections, province=bare_place(province_of(unit).name),
        parent=_parent_name(unit), columns=columns,
        title=title_for(own, unit) if own is not None else None)
    data = charts_data(unit, period, rule, result, the_tree,
                       {c: r.state for c, r in states.items()})
    return dataclasses.replace(doc, charts=chartdata.document_charts(data))


def charts_data(unit: OrgUnit, period: Period, rule: str, result: core.Aggregate,
                the_tree: Tree, states: dict[str, str]) -> chartdata.ChartsData:
    """The data of the aggregate's charts: `result` (detailed or not) for the levels and
    the coverage; the units' on-time rates from a detailed aggregate of the on-time-rate
    concepts only (a few values per unit, whatever the subtree's size)."""
    rates = result if result.detailed else reporting.aggregate(
        unit, period, rule, the_tree, detail=True, only=set(chartdata.ON_TIME_CONCEPTS))
    return chartdata.charts_data(result, states, rates=rates)


def aggregate_chart(unit: OrgUnit, period: Period, rule: str, name: str, fmt: str,
                    today: dt.date | None = None) -> bytes:
    """One chart of the aggregate (`chartdata.NAMES`) as PNG or SVG bytes: the same figures
    as the document's."""
    from django.utils import timezone

    the_tree = reporting.tree()
    result = reporting.aggregate(unit, period, rule, the_tree, detail=False)
    today = today or timezone.localdate()
    states = reporting.reporters([u.code for u in result.expected], period, today)
    data = charts_data(unit, period, rule, result, the_tree,
                       {c: r.state for c, r in states.items()})
    return chartdata.draw(data, name, fmt)


def unit_columns(unit: OrgUnit, period: Period, rule: str, result: core.Aggregate,
                 the_tree: Tree) -> list[UnitColumn]:
    """Each unit directly below (or, for a post-reform unit, each predecessor) with its
    figures laid out in the unit's form: its own aggregate where it has units below, its
    own report otherwise."""
    the_form = catalog_form(result.form_id or "")
    if the_form is None:
        return []
    item_of = {}
    for item in the_form.items:
        if item.concept and item.type != "section":
            item_of.setdefault(item.concept, item.id)
    on = period.end
    below = the_tree.children(unit.code, on) or [
        the_tree.get(c) for c in result.lineage]
    words = dict(STATUSES)
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=[b.code for b in below])}
    states = reporting.reporters(list(units), period, on)
    out = []
    for child in sorted(below, key=lambda u: sort_key(u.name)):
        stored = units.get(child.code)
        if stored is None:
            continue
        theirs = reporting.aggregate(stored, period, rule, the_tree, detail=False)
        values: dict[str, float | str] = {}
        for key, total in theirs.concepts.items():
            if key in item_of and total.value is not None:
                values[item_of[key]] = total.value
        state = states.get(child.code)
        out.append(UnitColumn(child.code, child.name, values,
                              words.get(state.status, "") if state else ""))
    return out


def render(doc: ReportDocument, fmt: str) -> bytes:
    return render_document(doc, fmt)


def filename(unit: OrgUnit, period: Period, fmt: str, aggregated: bool = False) -> str:
    """'bao-cao-cchc-huyen-ke-sach-6-thang-dau-nam-2022.docx' (ASCII, for every browser)."""
    from cchc.vietnamese import fold

    words = fold(f"{'tong hop ' if aggregated else ''}bao cao cchc {unit.name} {period.label}")
    slug = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")
    return f"{slug}.{fmt}"


def chart_filename(unit: OrgUnit, period: Period, name: str, fmt: str) -> str:
    """'bieu-do-ty-le-dung-han-huyen-cam-xuyen-6-thang-dau-nam-2022.png'."""
    return "bieu-do-" + name + "-" + filename(unit, period, fmt)[len("bao-cao-cchc-"):]
