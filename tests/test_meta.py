"""Metadata from the narrative: unit, level, province, number, date, period."""

from __future__ import annotations

from datetime import date

import pytest

from cchc.meta import extract_meta, parse_period
from cchc.model import Paragraph, Source
from cchc.readers.text import read_text


def _paras(*lines: str) -> list[Paragraph]:
    return [Paragraph(t, Source(line=n)) for n, t in enumerate(lines, start=1)]


def test_it_reads_the_header_of_a_district_report() -> None:
    meta = extract_meta(_paras(
        "Số: 228/BC-UBND", "Kế Sách, ngày 16 tháng 6 năm 2022", "BÁO CÁO",
        "Tình hình, kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2022",
        "Ủy ban nhân dân huyện Kế Sách báo cáo như sau:", "Sở Nội vụ tỉnh Sóc Trăng"))
    assert (meta.unit, meta.level, meta.province) == ("UBND huyện Kế Sách", "district",
                                                      "Sóc Trăng")
    assert (meta.number, meta.date) == ("228/BC-UBND", date(2022, 6, 16))
    assert (meta.period.kind, meta.period.year, meta.period.label) == (
        "half_year", 2022, "6 tháng đầu năm 2022")
    assert meta.sources["number"] == Source(line=1)
    assert meta.sources["date"] == Source(line=2)


def test_a_unit_named_only_in_a_capitalised_appendix_title_is_found() -> None:
    meta = extract_meta(_paras(
        "BÁO CÁO", "Công tác Cải cách hành chính năm 2021",
        "UBND thị xã báo cáo tình hình công tác CCHC năm 2021 như sau:",
        "kiểm tra công vụ đối với UBND xã Bình Tiến",
        "TẠI UBND THỊ XÃ HƯƠNG TRÀ TRONG NĂM 2021",
        "(Kèm theo Báo cáo số 4279/BC-UBND ngày 22 /11/2021 của UBND thị xã)"))
    assert (meta.unit, meta.level) == ("UBND thị xã Hương Trà", "district")
    assert (meta.number, meta.date) == ("4279/BC-UBND", date(2021, 11, 22))


def test_a_report_cited_in_the_text_is_not_taken_as_this_reports_number() -> None:
    meta = extract_meta(_paras(
        "BÁO CÁO", "Công tác cải cách hành chính 6 tháng đầu năm 2021",
        "Thực hiện Báo cáo số 800/BC-BQLKDL ngày 28/12/2020 của Ban quản lý",
        "(Ban hành kèm theo Báo cáo số /BC-BQLKDL ngày / / 2021)"))
    assert meta.number is None
    assert meta.date is None


def test_a_public_service_unit_is_recognised() -> None:
    meta = extract_meta(_paras(
        "Ban Quản lý Khu du lịch bán đảo Cam Ranh (viết tắt: Ban quản lý) báo cáo kết quả",
        "tỉnh Khánh Hoà"))
    assert (meta.unit, meta.level, meta.province) == (
        "Ban Quản lý Khu du lịch bán đảo Cam Ranh", "service_unit", "Khánh Hòa")


def test_an_explicit_data_window_gives_start_and_end() -> None:
    meta = extract_meta(_paras("BÁO CÁO", "Công tác cải cách hành chính năm 2021",
                               "Trong năm 2021, tính từ ngày 01/01 đến ngày 10/11, ..."))
    assert (meta.period.start, meta.period.end) == (date(2021, 1, 1), date(2021, 11, 10))


def test_nothing_is_invented_for_a_table_only_document() -> None:
    meta = extract_meta([])
    assert (meta.unit, meta.number, meta.date, meta.period.kind) == (None, None, None, None)


@pytest.mark.parametrize(("text", "kind", "year", "number", "label"), [
    ("Quý I/2022", "quarter", 2022, 1, "Quý I năm 2022"),
    ("báo cáo quý III năm 2023", "quarter", 2023, 3, "Quý III năm 2023"),
    ("6 tháng đầu năm 2022", "half_year", 2022, None, "6 tháng đầu năm 2022"),
    ("9 tháng năm 2021", "nine_months", 2021, None, "9 tháng năm 2021"),
    ("năm 2021", "year", 2021, None, "Năm 2021"),
    ("tháng 5/2024", "month", 2024, 5, "Tháng 5 năm 2024"),
    ("6 tháng đầu năm và phương hướng 6 tháng cuối năm 2022", "half_year", 2022, None,
     "6 tháng đầu năm 2022"),
])
def test_period_phrases(text: str, kind: str, year: int, number: int | None,
                        label: str) -> None:
    period = parse_period(text)
    assert period is not None
    assert (period.kind, period.year, period.number, period.label) == (kind, year, number,
                                                                       label)


def test_the_seed_reports_metadata() -> None:
    from pathlib import Path

    seeds = Path(__file__).parent / "data" / "seeds"
    doc = read_text((seeds / "000_1d532f9d1e3624b0.txt").read_text(encoding="utf-8"))
    meta = extract_meta(doc.paragraphs)
    assert (meta.unit, meta.level, meta.province, meta.period.label) == (
        "UBND xã Cẩm Hưng", "commune", "Hà Tĩnh", "6 tháng đầu năm 2022")
    assert meta.number is None and meta.date is None  # the seed states neither
