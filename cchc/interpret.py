"""From a `RawDocument` to a `Report`: appendix rows matched to a catalog form, values read
with their unit, metadata and narrative facts. Checking is a separate step (`cchc.checks`)."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from cchc.catalog import Catalog, Form, Item
from cchc.matching import label_info, recognise
from cchc.meta import extract_meta
from cchc.model import Paragraph, RawDocument, Report, Row, Value
from cchc.narrative import extract_facts
from cchc.numbers import parse_value
from cchc.table import Appendix, LogicalRow, find_appendix
from cchc.units import classify
from cchc.vietnamese import clean, fold, key


def interpret(raw: RawDocument, catalog: Catalog) -> Report:
    appendix = find_appendix(raw)
    rows: list[Row] = []
    form: Form | None = None
    score = 0.0
    if appendix is not None:
        labels = [clean(r.get("label")) for r in appendix.rows]
        codes = [clean(r.get("code")) for r in appendix.rows]
        context = "\n".join([*appendix.header_text, *(p.text for p in raw.paragraphs)])
        form, score, alignment = recognise(labels, codes, catalog.forms, context,
                                           set(appendix.columns.values()))
        pairs = alignment.pairs if alignment else {}
        for i, logical in enumerate(appendix.rows):
            item: Item | None = None
            match = 0.0
            if form is not None and i in pairs:
                item = form.items[pairs[i][0]]
                match = pairs[i][1]
            rows.append(_row(i, logical, item, match))
    notes = [(r.note, r.cell_sources.get("note", r.source)) for r in rows if r.note]
    meta = extract_meta([*letterhead_lines(raw), *raw.paragraphs], notes)
    report = Report(source=raw.path, format=raw.format, meta=meta, rows=rows,
                    narrative=extract_facts(_narrative_part(raw, appendix), meta.level),
                    form_id=form.id if form else None, form_score=score,
                    paragraphs=raw.paragraphs, has_table=appendix is not None)
    if appendix is not None and form is None:
        report.form_score = score
        report.concept_suggestions = suggest_concepts(rows, catalog)
    return report


def letterhead_lines(raw: RawDocument) -> list[Paragraph]:
    """The lines of the header block when a Word document sets it as a table (Nghị định
    30's two columns: issuer and "Số: …" left, Quốc hiệu and the place and date right), so
    that the number and date in it are found; each line keeps its cell as source. The
    table is the first one that holds the Quốc hiệu, among the first three."""
    for table in raw.tables[:3]:
        cells = [c for row in table.rows[:4] for c in row.cells]
        if not any("cong hoa xa hoi chu nghia viet nam" in fold(c.text) for c in cells):
            continue
        return [Paragraph(line, c.source) for c in cells for line in c.text.split("\n")
                if line.strip()]
    return []


def _narrative_part(raw: RawDocument, appendix: Appendix | None) -> list[Paragraph]:
    """Paragraphs before the appendix title; the whole text when there is no appendix."""
    paras = raw.paragraphs
    for i, p in enumerate(paras):
        if re.match(r"^\W*ph[uụ] l[uụ]c\b", p.text, re.IGNORECASE) and i > 5:
            return paras[:i]
    return paras


def _row(index: int, logical: LogicalRow, item: Item | None, match: float) -> Row:
    unit_text = clean(logical.get("unit"))
    context_unit = unit_text or (item.unit if item else "")
    info = classify(context_unit)
    if info.kind == "none" and item is not None:
        info = classify(item.unit)
    raw_value = logical.get("value")
    typed = logical.numbers.get("value")
    if typed is not None:
        number, is_percent = typed
        decimals = len(raw_value.rpartition(",")[2].rstrip("%")) if "," in raw_value else 0
        kind = "coded" if info.kind == "coded" else (
            "percent" if is_percent or info.kind == "percent" else "number")
        value = Value(raw=raw_value, kind=kind, value=number, decimals=decimals,
                      has_percent_sign=is_percent)
    else:
        value = parse_value(raw_value, info)
    code = clean(logical.get("code"))
    if re.fullmatch(r"[\dIVXLC.\s]+", code):
        code = re.sub(r"\s+", "", code)  # "3.3.\n1": a code wrapped inside its cell
    return Row(
        index=index, code=code, label=clean(logical.get("label")),
        unit=unit_text, value=value, note=clean(logical.get("note")),
        responsible=clean(logical.get("responsible")),
        item=item.id if item else None, concept=item.concept if item else None,
        match_score=round(match, 3), source=logical.source, cell_sources=logical.sources)


def suggest_concepts(rows: list[Row], catalog: Catalog) -> dict[int, str]:
    """For a document in an unknown form: the concept each row most likely measures."""
    keys = list(catalog.concepts)
    choices = [key(catalog.concepts[k].label) for k in keys]
    infos = [label_info(catalog.concepts[k].label) for k in keys]
    out: dict[int, str] = {}
    seen: dict[str, str | None] = {}  # label key → suggestion, for labels that repeat
    for row in rows:
        if not row.label or row.value.kind == "empty":
            continue
        info = label_info(row.label)
        if info.key not in seen:
            seen[info.key] = None
            for _, _score, c in process.extract(info.key, choices, score_cutoff=80, limit=3,
                                               scorer=fuzz.token_set_ratio):
                other = infos[c]
                if (info.head and other.head and info.head != other.head) or (
                        info.levels and other.levels and info.levels != other.levels) or (
                        info.numbers != other.numbers):
                    continue
                seen[info.key] = keys[c]
                break
        suggestion = seen[info.key]
        if suggestion is not None:
            out[row.index] = suggestion
    return out
