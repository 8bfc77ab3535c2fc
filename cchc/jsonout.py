"""The JSON contract of `cchc read --json` and `cchc check --json` (docs/json.md).

One object `{"documents": [...]}`, one entry per input file, in input order. Keys and
codes are stable; new keys may be added, none removed or renamed.
"""

from __future__ import annotations

import math
from typing import Any

from cchc.model import Finding, Report, Row

SCHEMA_VERSION = 1


def _num(value: float | None) -> float | int | None:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    if float(value).is_integer():
        return int(value)
    return round(value, 10)


def row_json(row: Row) -> dict[str, Any]:
    out: dict[str, Any] = {
        "index": row.index, "code": row.code, "label": row.label, "unit": row.unit,
        "raw": row.value.raw, "value": _num(row.value.value), "kind": row.value.kind,
        "note": row.note, "item": row.item, "concept": row.concept,
        "source": row.source.to_json(),
    }
    if row.responsible:
        out["responsible"] = row.responsible
    if row.value.kind == "fraction":
        out["numerator"] = _num(row.value.numerator)
        out["denominator"] = _num(row.value.denominator)
    if row.value.kind == "ambiguous":
        out["candidates"] = [_num(c) for c in row.value.candidates]
    return out


def finding_json(finding: Finding) -> dict[str, Any]:
    def plain(v: Any) -> Any:
        return _num(v) if isinstance(v, float | int) and not isinstance(v, bool) else v

    return {"code": finding.code, "severity": finding.severity, "row": finding.row,
            "item_code": finding.item_code, "label": finding.label,
            "message": finding.message, "expected": plain(finding.expected),
            "actual": plain(finding.actual), "related": finding.related}


def document_json(report: Report, checked: bool) -> dict[str, Any]:
    meta = report.meta
    period = meta.period
    doc: dict[str, Any] = {
        "source": report.source,
        "format": report.format,
        "meta": {
            "unit": meta.unit, "level": meta.level, "province": meta.province,
            "number": meta.number, "date": meta.date.isoformat() if meta.date else None,
            "period": {"kind": period.kind, "year": period.year, "label": period.label,
                       "start": period.start.isoformat() if period.start else None,
                       "end": period.end.isoformat() if period.end else None},
        },
        "form": {"id": report.form_id, "score": report.form_score} if report.form_id else None,
        "rows": [row_json(r) for r in report.rows],
        "narrative": [{"concept": f.concept, "value": _num(f.value), "text": f.text,
                       "source": f.source.to_json()} for f in report.narrative],
    }
    if report.concept_suggestions:
        doc["concept_suggestions"] = {str(k): v for k, v in
                                      sorted(report.concept_suggestions.items())}
    if checked:
        doc["status"] = report.status()
        doc["findings"] = [finding_json(f) for f in report.findings]
    return doc


def error_json(source: str, code: str, message: str) -> dict[str, Any]:
    """An input that could not be read at all: `status` "unreadable" with the reason."""
    return {"source": source, "status": "unreadable", "error": {"code": code,
                                                                 "message": message}}
