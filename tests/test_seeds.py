"""The five reference reports: every row read as the golden files say (checked by eye, see
tests/data/SOURCES.md), and the findings each seed must produce."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cchc.api import check
from cchc.jsonout import document_json
from cchc.model import Report

DATA = Path(__file__).parent / "data" / "seeds"
GOLDEN = Path(__file__).parent / "golden"
SEEDS = sorted(p.stem for p in DATA.glob("*.txt"))


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    return {name: check(DATA / f"{name}.txt") for name in SEEDS}


@pytest.mark.parametrize("name", SEEDS)
def test_every_seed_reads_exactly_as_its_golden_file(reports: dict[str, Report],
                                                     name: str) -> None:
    expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    actual = document_json(reports[name], checked=True)
    actual["source"] = f"{name}.txt"
    actual = json.loads(json.dumps(actual, ensure_ascii=False))
    assert actual["meta"] == expected["meta"]
    assert actual["form"] == expected["form"]
    for got, want in zip(actual["rows"], expected["rows"], strict=True):
        assert got == want, f"row {want['index']} ({want['code']} {want['label'][:40]})"
    assert actual["narrative"] == expected["narrative"]
    assert actual["findings"] == expected["findings"]
    assert actual == expected


def _find(report: Report, finding_code: str, **where: object) -> list:  # type: ignore[type-arg]
    out = []
    for f in report.findings:
        if f.code != finding_code:
            continue
        row = report.rows[f.row] if f.row is not None else None
        if all((row is not None and getattr(row, k, None) == v) or getattr(f, k, None) == v
               for k, v in where.items()):
            out.append(f)
    return out


def test_000_rate_disagrees_with_its_own_parts(reports: dict[str, Report]) -> None:
    report = reports["000_1d532f9d1e3624b0"]
    [f] = _find(report, "rate-mismatch", code="3.3.3")
    assert (f.actual, f.expected, f.severity) == (97.74, 100.0, "error")
    assert [report.rows[i].code for i in f.related] == ["3.3.3.2", "3.3.3.1"]
    assert report.status() == "invalid"


def test_001_staff_present_exceed_staff_assigned(reports: dict[str, Report]) -> None:
    report = reports["001_c4ef7157335a1835"]
    [f] = _find(report, "part-exceeds-whole", code="4.3.2.")
    assert (f.actual, f.expected) == (1805, 1211)
    assert report.meta.unit == "UBND thị xã Hương Trà"


def test_002_reads_the_responsible_unit_column_and_the_fraction(
        reports: dict[str, Report]) -> None:
    report = reports["002_807bea0d791532b5"]
    assert report.form_id == "khanh-hoa-phu-luc-2-2021"
    responsible = [r for r in report.rows if r.responsible]
    assert len(responsible) > 30
    [row] = [r for r in report.rows if r.value.raw == "149/149"]
    assert (row.value.kind, row.value.numerator, row.value.denominator) == (
        "fraction", 149, 149)
    assert _find(report, "fraction-in-percent", index=row.index)


def test_003_a_rate_written_8_333_is_ambiguous(reports: dict[str, Report]) -> None:
    report = reports["003_ef872df5074eaa33"]
    [row] = [r for r in report.rows if r.value.raw == "8.333"]
    assert row.value.kind == "ambiguous" and row.value.value is None
    assert _find(report, "ambiguous-number", index=row.index)
    assert report.form_id == "soc-trang-bang-2-2022"


def test_004_narrative_disagrees_with_the_appendix(reports: dict[str, Report]) -> None:
    report = reports["004_e44040b7e1ce7d8e"]
    found = {(f.expected, f.actual) for f in _find(report, "narrative-disagrees")}
    assert (2546, 2104) in found
    assert report.meta.number == "228/BC-UBND"
    assert report.form_id == "soc-trang-bang-2-2022"


def test_no_seed_row_is_dropped(reports: dict[str, Report]) -> None:
    for name, report in reports.items():
        golden = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
        assert len(report.rows) == len(golden["rows"])
        assert all(r.label or r.value.raw or r.code for r in report.rows)
