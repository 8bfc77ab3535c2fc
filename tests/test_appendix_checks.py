"""Relations inside the appendix (cchc.checks.appendix): each check with real-shaped rows,
the cases it must flag and the near misses it must leave alone.

The catalog is a small test catalog written to a temporary folder; reports are texts in the
row-per-line layout (STT, Chỉ tiêu, Đơn vị tính, Số liệu, Ghi chú), one clean base report
changed one cell at a time. The figures and notes are shaped on the seed reports (Mỹ Tú and
Kế Sách, Sóc Trăng 2022; Hương Trà, Thừa Thiên Huế 2021).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from cchc.api import check
from cchc.catalog import Catalog, check_catalog
from cchc.findings import KINDS
from cchc.findings_appendix import KINDS as APPENDIX_KINDS
from cchc.model import Finding, Report

CONCEPTS_YAML = """\
concepts:
  dossiers.resolved: {label: "Số hồ sơ TTHC đã giải quyết xong", kind: count}
  dossiers.on_time: {label: "Số hồ sơ TTHC giải quyết đúng hạn", kind: count}
  dossiers.on_time_rate:
    label: "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn"
    kind: rate
    unit: "%"
    numerator: dossiers.on_time
    denominator: dossiers.resolved
  communes.connected:
    label: "Số UBND cấp xã đã kết nối liên thông"
    kind: count
    counts_units: commune
  communes.checked:
    label: "Số UBND cấp xã đã kiểm tra"
    kind: count
    counts_units: commune
"""

FORM_YAML = """\
id: appendix-test
title: Thống kê số liệu cải cách hành chính (biểu thử nghiệm các quan hệ)
issuer: Sở Nội vụ tỉnh Sóc Trăng
province: Sóc Trăng
levels: [district, commune]
keywords: ["biểu thử nghiệm các quan hệ"]
items:
  - {code: "1", label: "Thực hiện nhiệm vụ UBND tỉnh giao", type: section}
  - code: "1.1"
    label: "Tổng số nhiệm vụ được giao"
    unit: "Nhiệm vụ"
    exclusive: ["1.2", "1.3", "1.4"]
    accounted_by: ["1.2", "1.3", "1.4"]
  - {code: "1.2", label: "Số nhiệm vụ đã hoàn thành đúng hạn", unit: "Nhiệm vụ"}
  - {code: "1.3", label: "Số nhiệm vụ đã hoàn thành nhưng quá hạn", unit: "Nhiệm vụ"}
  - {code: "1.4", label: "Số nhiệm vụ quá hạn nhưng chưa hoàn thành", unit: "Nhiệm vụ"}
  - {code: "2", label: "Cải cách thủ tục hành chính", type: section}
  - {code: "2.1", label: "Tổng số TTHC đang có hiệu lực", unit: "Thủ tục"}
  - {code: "2.2", label: "Số TTHC đang cung cấp trực tuyến mức độ 3", unit: "Thủ tục"}
  - {code: "2.3", label: "Số TTHC đang cung cấp trực tuyến mức độ 4", unit: "Thủ tục"}
  - code: "2.4"
    label: "Số TTHC đã tích hợp, công khai trên Cổng Dịch vụ công quốc gia"
    unit: "Thủ tục"
    part_of: ["2.1"]
    subset_of: ["2.2", "2.3"]
  - code: "2.5"
    label: "Số hồ sơ TTHC đã giải quyết xong"
    unit: "Hồ sơ"
    concept: dossiers.resolved
  - code: "2.6"
    label: "Số hồ sơ TTHC giải quyết đúng hạn"
    unit: "Hồ sơ"
    concept: dossiers.on_time
    part_of: ["2.5"]
  - {code: "2.7", label: "Số hồ sơ TTHC giải quyết trễ hạn", unit: "Hồ sơ", part_of: ["2.5"]}
  - code: "2.8"
    label: "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn"
    unit: "%"
    concept: dossiers.on_time_rate
    rate: ["2.6", "2.5"]
  - code: "2.9"
    label: "Số hồ sơ TTHC giải quyết theo quy trình nội bộ ISO"
    unit: "Hồ sơ"
    concept: dossiers.resolved
  - {code: "3", label: "Xây dựng chính quyền điện tử", type: section}
  - code: "3.1"
    label: "Tổng số văn bản đi"
    unit: "Văn bản"
    shares: ["3.1.1", "3.1.2"]
  - {code: "3.1.1", label: "Tỷ lệ văn bản được gửi hoàn toàn dưới dạng điện tử", unit: "%"}
  - code: "3.1.2"
    label: "Tỷ lệ văn bản được gửi dưới dạng điện tử và song song với văn bản giấy"
    unit: "%"
  - code: "3.2"
    label: "Số UBND cấp xã đã kết nối liên thông"
    unit: "Cơ quan, đơn vị"
    concept: communes.connected
  - code: "3.3"
    label: "Số UBND cấp xã đã kiểm tra"
    unit: "Cơ quan, đơn vị"
    concept: communes.checked
  - {code: "4", label: "Cải cách tổ chức bộ máy, tài chính công", type: section}
  - code: "4.1"
    label: "Số đơn vị sự nghiệp công lập thuộc UBND cấp huyện"
    unit: "Cơ quan, đơn vị"
  - code: "4.2"
    label: "Số đơn vị sự nghiệp công lập thực hiện cơ chế tự chủ"
    unit: "Cơ quan, đơn vị"
    same_as: "4.1"
  - code: "4.3"
    label: "Số tổ chức hành chính thực hiện cơ chế tự chủ"
    unit: "Cơ quan, đơn vị"
  - code: "4.4"
    label: "Số người làm việc tại các đơn vị SNCL bị kỷ luật"
    unit: "Người"
  - {code: "4.5", label: "Tổ chức đối thoại với người dân", unit: "Có = 1; Không = 0"}
  - {code: "5", label: "Tiếp nhận, xử lý phản ánh, kiến nghị", type: section}
  - code: "5.1"
    label: "Tổng số PAKN đã tiếp nhận"
    unit: "PAKN"
    accounted_by: ["5.2", "5.3"]
  - {code: "5.2", label: "Số PAKN đã giải quyết xong", unit: "PAKN"}
  - {code: "5.3", label: "Số PAKN đang giải quyết", unit: "PAKN"}
  - {code: "6", label: "Kết quả giải quyết TTHC cấp xã", type: section}
  - {code: "6.1", label: "Số hồ sơ TTHC do UBND cấp xã tiếp nhận", unit: "Hồ sơ"}
  - code: "6.2"
    label: "Số hồ sơ TTHC do UBND cấp xã giải quyết và trả kết quả"
    unit: "Hồ sơ"
    part_of: ["6.1"]
  - code: "6.3"
    label: "Số hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn"
    unit: "Hồ sơ"
    part_of: ["6.2"]
  - code: "7"
    label: "Số liệu về lãnh đạo"
    type: section
    total_of: ["7.1", "7.2", "7.3"]
  - {code: "7.1", label: "Số lượng lãnh đạo UBND cấp huyện", unit: "Người"}
  - {code: "7.2", label: "Số lượng lãnh đạo cấp phòng và tương đương", unit: "Người"}
  - {code: "7.3", label: "Số lượng lãnh đạo UBND cấp xã", unit: "Người"}
"""


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    folder = tmp_path_factory.mktemp("catalog")
    (folder / "forms").mkdir()
    (folder / "concepts.yaml").write_text(CONCEPTS_YAML, encoding="utf-8")
    (folder / "forms" / "appendix-test.yaml").write_text(FORM_YAML, encoding="utf-8")
    loaded, problems = check_catalog(folder)
    assert problems == []
    return loaded


Line = tuple[str, str, str, str, str]  # code, label, unit, value, note

BASE: list[Line] = [
    ("1", "Thực hiện nhiệm vụ UBND tỉnh giao", "", "", ""),
    ("1.1", "Tổng số nhiệm vụ được giao", "Nhiệm vụ", "30", ""),
    ("1.2", "Số nhiệm vụ đã hoàn thành đúng hạn", "Nhiệm vụ", "25", ""),
    ("1.3", "Số nhiệm vụ đã hoàn thành nhưng quá hạn", "Nhiệm vụ", "3", ""),
    ("1.4", "Số nhiệm vụ quá hạn nhưng chưa hoàn thành", "Nhiệm vụ", "2", ""),
    ("2", "Cải cách thủ tục hành chính", "", "", ""),
    ("2.1", "Tổng số TTHC đang có hiệu lực", "Thủ tục", "402", ""),
    ("2.2", "Số TTHC đang cung cấp trực tuyến mức độ 3", "Thủ tục", "83", ""),
    ("2.3", "Số TTHC đang cung cấp trực tuyến mức độ 4", "Thủ tục", "100", ""),
    ("2.4", "Số TTHC đã tích hợp, công khai trên Cổng Dịch vụ công quốc gia", "Thủ tục",
     "150", ""),
    ("2.5", "Số hồ sơ TTHC đã giải quyết xong", "Hồ sơ", "1.241", ""),
    ("2.6", "Số hồ sơ TTHC giải quyết đúng hạn", "Hồ sơ", "1.213", ""),
    ("2.7", "Số hồ sơ TTHC giải quyết trễ hạn", "Hồ sơ", "28", ""),
    ("2.8", "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn", "%", "97,74", ""),
    ("2.9", "Số hồ sơ TTHC giải quyết theo quy trình nội bộ ISO", "Hồ sơ", "1.241", ""),
    ("3", "Xây dựng chính quyền điện tử", "", "", ""),
    ("3.1", "Tổng số văn bản đi", "Văn bản", "2.382", ""),
    ("3.1.1", "Tỷ lệ văn bản được gửi hoàn toàn dưới dạng điện tử", "%", "35,26", ""),
    ("3.1.2", "Tỷ lệ văn bản được gửi dưới dạng điện tử và song song với văn bản giấy", "%",
     "64,74", ""),
    ("3.2", "Số UBND cấp xã đã kết nối liên thông", "Cơ quan, đơn vị", "9", ""),
    ("3.3", "Số UBND cấp xã đã kiểm tra", "Cơ quan, đơn vị", "6", ""),
    ("4", "Cải cách tổ chức bộ máy, tài chính công", "", "", ""),
    ("4.1", "Số đơn vị sự nghiệp công lập thuộc UBND cấp huyện", "Cơ quan, đơn vị", "40", ""),
    ("4.2", "Số đơn vị sự nghiệp công lập thực hiện cơ chế tự chủ", "Cơ quan, đơn vị", "40",
     ""),
    ("4.3", "Số tổ chức hành chính thực hiện cơ chế tự chủ", "Cơ quan, đơn vị", "28", ""),
    ("4.4", "Số người làm việc tại các đơn vị SNCL bị kỷ luật", "Người", "4", ""),
    ("4.5", "Tổ chức đối thoại với người dân", "Có = 1; Không = 0", "1", ""),
    ("5", "Tiếp nhận, xử lý phản ánh, kiến nghị", "", "", ""),
    ("5.1", "Tổng số PAKN đã tiếp nhận", "PAKN", "11", ""),
    ("5.2", "Số PAKN đã giải quyết xong", "PAKN", "9", ""),
    ("5.3", "Số PAKN đang giải quyết", "PAKN", "2", ""),
    ("6", "Kết quả giải quyết TTHC cấp xã", "", "", ""),
    ("6.1", "Số hồ sơ TTHC do UBND cấp xã tiếp nhận", "Hồ sơ", "12.653", ""),
    ("6.2", "Số hồ sơ TTHC do UBND cấp xã giải quyết và trả kết quả", "Hồ sơ", "12.641", ""),
    # 12 received, not resolved, late: the shape of Mỹ Tú's report (003), which is right
    ("6.3", "Số hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn", "Hồ sơ",
     "12.641", "Giải quyết đúng hạn 12,641/12,653 hồ sơ, 12 hồ sơ trễ hạn do lỗi phần mềm"),
    ("7", "Số liệu về lãnh đạo", "", "", ""),
    ("7.1", "Số lượng lãnh đạo UBND cấp huyện", "Người", "3", ""),
    ("7.2", "Số lượng lãnh đạo cấp phòng và tương đương", "Người", "28", ""),
    ("7.3", "Số lượng lãnh đạo UBND cấp xã", "Người", "27", ""),
]

HEAD = [
    "ỦY BAN NHÂN DÂN", "HUYỆN MỸ TÚ", "Số: 245/BC-UBND", "Mỹ Tú, ngày 15 tháng 12 năm 2022",
    "BÁO CÁO", "Kết quả thực hiện công tác cải cách hành chính năm 2022",
    "Ủy ban nhân dân huyện Mỹ Tú báo cáo kết quả công tác cải cách hành chính như sau:",
    "Phụ lục",
    "THỐNG KÊ SỐ LIỆU CẢI CÁCH HÀNH CHÍNH NĂM 2022 (biểu thử nghiệm các quan hệ)",
    "STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\tGhi chú",
]


def report_text(*, values: dict[str, str] | None = None, notes: dict[str, str] | None = None,
                units: dict[str, str] | None = None, after: dict[str, list[Line]] | None = None,
                rows: list[Line] | None = None) -> str:
    """The base report with some cells changed (by the row's code in the base report)."""
    values, notes, units, after = values or {}, notes or {}, units or {}, after or {}
    lines = list(HEAD)
    for code, label, unit, value, note in rows if rows is not None else BASE:
        lines.append("\t".join((code, label, units.get(code, unit), values.get(code, value),
                                notes.get(code, note))))
        lines += ["\t".join(extra) for extra in after.get(code, [])]
    lines.append("Nơi nhận:")
    return "\n".join(lines) + "\n"


def run(tmp_path: Path, catalog: Catalog, text: str | None = None, **changes: Any) -> Report:
    path = tmp_path / "bao-cao.txt"
    path.write_text(text if text is not None else report_text(**changes), encoding="utf-8")
    return check(path, catalog)


MINE = {k.code for k in APPENDIX_KINDS}


def found(report: Report, code: str) -> list[Finding]:
    return [f for f in report.findings if f.code == code]


def mine(report: Report) -> list[tuple[str, str]]:
    """The findings of the appendix checks, as (code, printed row code)."""
    return [(f.code, report.rows[f.row].code if f.row is not None else "")
            for f in report.findings if f.code in MINE]


def only(report: Report, code: str) -> Finding:
    hits = found(report, code)
    assert len(hits) == 1, [(f.code, f.message) for f in report.findings]
    return hits[0]


def row(report: Report, code: str) -> int:
    [index] = [r.index for r in report.rows if r.code == code]
    return index


# ---------------------------------------------------------------- the clean base report


def test_the_base_report_matches_the_test_form_and_is_clean(tmp_path: Path,
                                                            catalog: Catalog) -> None:
    report = run(tmp_path, catalog)
    assert report.form_id == "appendix-test"
    assert [r.item for r in report.rows] == [line[0] for line in BASE]
    assert report.meta.level == "district"
    assert report.findings == []


def test_every_appendix_kind_is_in_the_catalog_of_findings() -> None:
    assert set(KINDS) >= MINE
    assert {KINDS[c].family for c in MINE} <= {"relation", "value"}


# ---------------------------------------------------------------- a heading printed as a total


def test_it_flags_a_heading_figure_that_is_not_the_sum_of_its_rows(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"7": "74"})
    finding = only(report, "section-total-mismatch")
    assert finding.severity == "warning"
    assert finding.row == row(report, "7")
    assert finding.related == [row(report, c) for c in ("7.1", "7.2", "7.3")]
    assert (finding.actual, finding.expected) == (74, 58)
    assert finding.message == ("Số liệu về lãnh đạo ghi 74 nhưng dòng 7.1, 7.2, 7.3 cộng lại "
                               "3 + 28 + 27 = 58.")


def test_rows_written_below_a_heading_already_above_its_figure_are_flagged(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"7": "20", "7.3": ""})
    finding = only(report, "section-total-mismatch")
    assert "3 + 28 = 31 (các dòng để trống không được tính)" in finding.message


@pytest.mark.parametrize("changes", [
    {"7": "58"},              # the sum
    {"7": ""},                # a heading normally holds no figure
    {"7": "50", "7.3": ""},   # a blank row may hold the rest
    {"7": "58", "7.1": "", "7.2": "", "7.3": ""},
])
def test_a_heading_that_adds_up_or_cannot_be_judged_is_fine(
        tmp_path: Path, catalog: Catalog, changes: dict[str, str]) -> None:
    report = run(tmp_path, catalog, values=changes)
    assert mine(report) == []


# ---------------------------------------------------------------- shares of one whole


def test_it_flags_exclusive_shares_adding_up_to_more_than_100_percent(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"3.1.1": "100%", "3.1.2": "100%"})
    finding = only(report, "shares-exceed-100")
    assert finding.severity == "error"
    assert finding.row == row(report, "3.1.1")
    assert finding.related == [row(report, "3.1.2"), row(report, "3.1")]
    assert (finding.actual, finding.expected) == (200, 100)
    assert "100% (dòng 3.1.1) + 100% (dòng 3.1.2) = 200%, lớn hơn 100%" in finding.message
    assert "Dòng 3.1.1 ghi 100%, tức là cả tổng" in finding.message
    assert "\"Tổng số văn bản đi\"" in finding.message


def test_shares_over_100_percent_without_a_repeated_whole_say_only_the_sum(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"3.1.1": "40", "3.1.2": "62"})
    finding = only(report, "shares-exceed-100")
    assert "40% (dòng 3.1.1) + 62% (dòng 3.1.2) = 102%" in finding.message
    assert "cả tổng" not in finding.message


@pytest.mark.parametrize("first, second", [
    ("35,26", "64,74"),  # exactly 100 %
    ("35", "65,4"),      # 100,4 %: within the rounding of "35" and "65,4"
    ("40", "61"),        # 101 %: 39,5 + 60,5 is possible
    ("100%", "0"),       # the whole sent electronically, none beside paper
    ("100%", ""),        # a blank share is missing, not zero
    ("", "64,74"),
])
def test_shares_within_100_percent_or_with_a_blank_are_fine(
        tmp_path: Path, catalog: Catalog, first: str, second: str) -> None:
    report = run(tmp_path, catalog, values={"3.1.1": first, "3.1.2": second})
    assert mine(report) == []


def test_a_single_share_over_100_percent_is_reported_once_as_rate_over_100(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"3.1.1": "120%", "3.1.2": "10"})
    assert len(found(report, "rate-over-100")) == 1
    assert found(report, "shares-exceed-100") == []


# ---------------------------------------------------------------- a subset of a union


def test_it_flags_procedures_integrated_nationally_outnumbering_those_offered_online(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"2.4": "228"})
    finding = only(report, "subset-exceeds-set")
    assert finding.severity == "error"
    assert finding.row == row(report, "2.4")
    assert finding.related == [row(report, "2.2"), row(report, "2.3")]
    assert (finding.actual, finding.expected) == (228, 183)
    assert "ghi 228" in finding.message and "83 + 100 = 183" in finding.message
    assert "dòng 2.2 (83), dòng 2.3 (100)" in finding.message


@pytest.mark.parametrize("changes", [
    {"2.4": "183"},              # equal to the union at most
    {"2.4": "120", "2.2": "120", "2.3": "0"},
    {"2.4": "228", "2.3": ""},   # the level-4 count is missing: the union is unknown
    {"2.4": ""},
])
def test_a_subset_within_its_union_or_with_a_blank_row_is_fine(
        tmp_path: Path, catalog: Catalog, changes: dict[str, str]) -> None:
    report = run(tmp_path, catalog, values=changes)
    assert found(report, "subset-exceeds-set") == []


def test_a_subset_larger_than_its_own_whole_is_reported_once_as_part_exceeds_whole(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"2.4": "500"})  # > 402 procedures in force
    assert len(found(report, "part-exceeds-whole")) == 1
    assert found(report, "subset-exceeds-set") == []


# ---------------------------------------------------------------- outcomes of a total


def test_it_notes_tasks_that_no_outcome_accounts_for(tmp_path: Path,
                                                     catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"1.4": "1"})
    finding = only(report, "outcomes-leave-unaccounted")
    assert finding.severity == "info"
    assert finding.row == row(report, "1.1")
    assert (finding.actual, finding.expected) == (30, 29)
    assert "25 + 3 + 1 = 29: còn 1 chưa thuộc kết quả nào" in finding.message
    assert report.status() == "valid"


def test_outcomes_exceeding_their_total_are_an_error(tmp_path: Path,
                                                     catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"5.3": "4"})
    finding = only(report, "outcomes-exceed-total")
    assert finding.severity == "error"
    assert finding.row == row(report, "5.1")
    assert "9 + 4 = 13, nhiều hơn 2" in finding.message


def test_outcomes_that_are_also_exclusive_parts_are_reported_once(tmp_path: Path,
                                                                  catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"1.4": "5"})  # 25 + 3 + 5 = 33 > 30
    assert len(found(report, "exclusive-exceeds-total")) == 1
    assert mine(report) == []


@pytest.mark.parametrize("changes", [{}, {"1.4": ""}, {"1.3": "", "1.4": ""}, {"5.3": ""}])
def test_outcomes_that_add_up_or_have_a_blank_row_are_fine(
        tmp_path: Path, catalog: Catalog, changes: dict[str, str]) -> None:
    report = run(tmp_path, catalog, values=changes)
    assert mine(report) == []


# ---------------------------------------------------------------- one quantity, two rows


def test_it_flags_a_row_that_restates_another_with_a_different_figure(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"4.2": "41"})
    finding = only(report, "same-quantity-differs")
    assert finding.severity == "warning"
    assert finding.row == row(report, "4.2")
    assert finding.related == [row(report, "4.1")]
    assert (finding.actual, finding.expected) == (41, 40)
    assert "ghi 41 nhưng dòng 4.1" in finding.message and "ghi 40" in finding.message


def test_it_flags_two_rows_of_one_concept_with_different_figures(tmp_path: Path,
                                                                 catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"2.9": "1.240"})
    finding = only(report, "same-quantity-differs")
    assert finding.row == row(report, "2.9")
    assert finding.related == [row(report, "2.5")]
    assert "cùng chỉ tiêu" in finding.message


@pytest.mark.parametrize("changes", [{"4.2": ""}, {"4.1": ""}, {"2.9": ""}])
def test_a_restated_row_left_blank_is_not_a_difference(
        tmp_path: Path, catalog: Catalog, changes: dict[str, str]) -> None:
    report = run(tmp_path, catalog, values=changes)
    assert found(report, "same-quantity-differs") == []


# ---------------------------------------------------------------- unit against label


def test_it_flags_dossiers_counted_in_the_unit_of_procedures(tmp_path: Path,
                                                             catalog: Catalog) -> None:
    report = run(tmp_path, catalog, units={"2.5": "TTHC"})
    finding = only(report, "unit-contradicts-label")
    assert finding.severity == "warning"
    assert finding.row == row(report, "2.5")
    assert "là số hồ sơ nhưng đơn vị tính ghi \"TTHC\"" in finding.message
    assert "1.241 hồ sơ thì đơn vị tính là \"Hồ sơ\"" in finding.message


def test_it_flags_procedures_counted_in_the_unit_of_dossiers(tmp_path: Path,
                                                             catalog: Catalog) -> None:
    report = run(tmp_path, catalog, units={"2.1": "Hồ sơ"})
    assert "là số thủ tục hành chính" in only(report, "unit-contradicts-label").message


def test_it_flags_people_counted_in_the_unit_of_agencies(tmp_path: Path,
                                                         catalog: Catalog) -> None:
    report = run(tmp_path, catalog, units={"4.4": "Cơ quan, đơn vị"})
    assert only(report, "unit-contradicts-label").row == row(report, "4.4")


@pytest.mark.parametrize("code, unit, value", [
    ("2.1", "TTHC", "402"),          # TTHC and Thủ tục are one unit
    ("2.1", "Thủ tục hành chính", "402"),
    ("2.5", "hồ sơ", "1.241"),
    ("2.5", "TTHC", "0"),            # 0 dossiers and 0 procedures say the same
    ("3.2", "Đơn vị", "9"),
    ("4.4", "người", "4"),
    ("2.5", "Bộ", "1.241"),          # a unit the check does not know says nothing
])
def test_a_unit_that_fits_its_label_is_fine(tmp_path: Path, catalog: Catalog, code: str,
                                            unit: str, value: str) -> None:
    report = run(tmp_path, catalog, units={code: unit}, values={code: value})
    assert found(report, "unit-contradicts-label") == []


def test_a_label_that_counts_two_kinds_of_thing_is_not_judged(tmp_path: Path,
                                                              catalog: Catalog) -> None:
    extra = ("4.6", "Số đơn vị, cá nhân được khen thưởng về CCHC", "Người", "12", "")
    report = run(tmp_path, catalog, after={"4.5": [extra]})
    assert found(report, "unit-contradicts-label") == []


UNKNOWN: list[Line] = [
    ("1", "Công tác tuyên truyền, phổ biến giáo dục pháp luật", "", "", ""),
    ("1.1", "Số buổi tuyên truyền pháp luật lưu động tại thôn, ấp", "Buổi", "14", ""),
    ("1.2", "Tỷ lệ hồ sơ hòa giải thành tại cơ sở", "Hồ sơ", "87", ""),
    ("1.3", "Số hồ sơ hòa giải ở cơ sở đã tiếp nhận", "%", "23", ""),
    ("1.4", "Thành lập câu lạc bộ pháp luật ở các ấp", "Có/Không", "3", ""),
    ("1.5", "Ban hành quy chế hoạt động của tổ hòa giải", "Có/Không", "1", ""),
    ("1.6", "Tổ chức ngày Pháp luật Việt Nam", "Có/Không", "2 buổi", ""),
    ("1.7", "Số cuộc thi tìm hiểu pháp luật", "Có/Không", "3", ""),
    ("1.8", "Có xây dựng tủ sách pháp luật tại các ấp", "Có = 1; Không = 0", "4", ""),
]


def test_unit_and_answer_checks_work_on_rows_no_form_matched(tmp_path: Path,
                                                             catalog: Catalog) -> None:
    report = run(tmp_path, catalog, rows=UNKNOWN)
    assert report.form_id is None
    assert sorted(mine(report)) == [("unit-contradicts-label", "1.2"),
                                    ("unit-contradicts-label", "1.3"),
                                    ("yes-no-answered-with-count", "1.4"),
                                    ("yes-no-answered-with-count", "1.6")]
    rate = found(report, "unit-contradicts-label")[0]
    assert "là số phần trăm" in rate.message and "\"%\"" in rate.message
    answer = next(f for f in found(report, "yes-no-answered-with-count")
                  if f.row == row(report, "1.6"))
    assert answer.severity == "warning"
    assert "ô số liệu ghi \"2 buổi\", là một số lượng" in answer.message
    # a coded unit: the older check says the answer is not a code, and nothing more
    assert [f.row for f in found(report, "coded-value-invalid")] == [row(report, "1.8")]


def test_a_rate_written_with_a_count_unit_on_a_matched_row_is_count_on_rate_only(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, units={"2.8": "Hồ sơ"})
    assert len(found(report, "count-on-rate")) == 1
    assert found(report, "unit-contradicts-label") == []


# ---------------------------------------------------------------- notes: breakdowns


def test_it_flags_a_breakdown_by_level_that_does_not_add_up(tmp_path: Path,
                                                            catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"2.2": "45"},
                 notes={"2.2": "Trong đó: cấp huyện 12, cấp xã 30"})
    finding = only(report, "note-sum-mismatch")
    assert finding.severity == "warning"
    assert finding.row == row(report, "2.2")
    assert (finding.actual, finding.expected) == (45, 42)
    assert "Ghi chú kể 12 + 30 = 42, khác số liệu của dòng (45)" in finding.message
    assert "\"Trong đó: cấp huyện 12, cấp xã 30\"" in finding.message


def test_it_flags_a_note_whose_total_differs_from_the_row(tmp_path: Path,
                                                          catalog: Catalog) -> None:
    note = "24 đơn vị (Phòng chuyên môn 12, UBND cấp xã, thị trấn là 9, khối đảng đoàn thể 7)"
    report = run(tmp_path, catalog, notes={"4.3": note})
    finding = only(report, "note-figure-differs")
    assert finding.row == row(report, "4.3")
    assert (finding.actual, finding.expected) == (28, 24)
    assert finding.message.startswith("Ghi chú ghi 24 đơn vị nhưng số liệu của dòng là 28")
    assert "12 + 9 + 7 = 28, đúng bằng số liệu của dòng" in finding.message
    assert found(report, "note-sum-mismatch") == []


def test_it_flags_a_note_whose_parts_miss_its_own_total(tmp_path: Path,
                                                        catalog: Catalog) -> None:
    note = "28 đơn vị (gồm: Phòng chuyên môn 12, UBND cấp xã 9, khối đảng đoàn thể 6)"
    report = run(tmp_path, catalog, notes={"4.3": note})
    finding = only(report, "note-sum-mismatch")
    assert (finding.actual, finding.expected) == (28, 27)
    assert "12 + 9 + 6 = 27, khác tổng 28 đơn vị mà chính ghi chú nêu" in finding.message


def test_a_note_on_a_heading_is_checked_against_its_own_total(tmp_path: Path,
                                                              catalog: Catalog) -> None:
    note = ("Huyện tổ chức kiểm tra công vụ 02 cuộc, tổng số 09 đơn vị (cấp huyện 3 đơn vị, "
            "cấp xã 5 đơn vị)")
    report = run(tmp_path, catalog, notes={"1": note})
    finding = only(report, "note-sum-mismatch")
    assert finding.row == row(report, "1")
    assert "3 + 5 = 8, khác tổng 9 đơn vị mà chính ghi chú nêu: \"Huyện" in finding.message


@pytest.mark.parametrize("code, note", [
    ("2.1", "Trong đó: cấp huyện 274, cấp xã 128"),
    ("4.1", "40 đơn vị (gồm: 02 ĐVSN trực thuộc UBND huyện, 01 sự nghiệp ĐBXH trực thuộc "
            "Phòng Lao động và 37 trường học)"),
    ("4.4", "2 Giáo viên buộc thôi việc và 2 viên chức Đội QLĐT"),
    ("4.3", "Phòng chuyên môn 12, UBND cấp xã 9, khối đảng đoàn thể 7"),
    ("3.2", "Trên địa bàn huyện có 8 xã, 01 thị trấn đều kết nối"),
    ("2.2", "71 TTHC cấp huyện, 12 TTHC cấp xã"),
    ("1", "Huyện tổ chức kiểm tra công vụ 02 cuộc, tổng số 09 đơn vị (cấp huyện 3 đơn vị, "
          "cấp xã 6 đơn vị)"),
    # parts that need not cover the whole
    ("2.5", "Trong đó: 12 hồ sơ trực tuyến, 3 hồ sơ qua dịch vụ bưu chính công ích"),
    ("4.3", "Phòng chuyên môn 12, khối đảng đoàn thể 7"),
    ("4.4", "4 người (trong đó 2 viên chức, 1 giáo viên)"),
    # categories that may overlap
    ("4.4", "Trong đó: nữ 3, đảng viên 2"),
    # other figures, not a breakdown of the row
    ("2.5", "595 Hồ sơ đang xử lý"),
    ("2.2", "48 kỳ chuyên mục 120 tin bài (thông qua đài truyền thanh huyện"),
    ("4.1", "ghép 02 trường và 01 trung tâm"),
    ("3.3", "Đợt xuất (Quyết định số 55/QĐ-UBND ngày 29/3/2022)"),
    ("4.1", "Kế hoạch số 12/KH-UBND ngày 27/01/2022; Quyết định số 01/2022/QĐ-UBND ngày "
            "21/02/2022; Nghị định 68"),
    ("3.1", "Văn bản đến: 11391/1 1391 Văn bản"),
    ("2.1", "Trong đó: 5 thủ tục cấp tỉnh, 6 hồ sơ"),
])
def test_a_note_that_adds_up_or_is_not_a_breakdown_is_fine(
        tmp_path: Path, catalog: Catalog, code: str, note: str) -> None:
    report = run(tmp_path, catalog, notes={code: note})
    assert mine(report) == []


def test_unlisted_parts_that_already_exceed_the_row_are_flagged(tmp_path: Path,
                                                                catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"4.4": "3"},
                 notes={"4.4": "2 Giáo viên buộc thôi việc và 2 viên chức Đội QLĐT"})
    assert only(report, "note-sum-mismatch").expected == 4


def test_a_partial_breakdown_above_the_row_is_flagged(tmp_path: Path,
                                                      catalog: Catalog) -> None:
    report = run(tmp_path, catalog, notes={
        "2.5": "Trong đó: 1.000 hồ sơ trực tuyến, 300 hồ sơ qua dịch vụ bưu chính công ích"})
    finding = only(report, "note-sum-mismatch")
    assert "1.000 + 300 = 1.300, khác số liệu của dòng (1.241)" in finding.message


# ---------------------------------------------------------------- notes: figures, late items


def test_it_flags_a_fraction_in_the_note_that_disagrees_with_the_rate(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, notes={"2.8": "1.200/1.241 hồ sơ"})
    finding = only(report, "note-figure-differs")
    assert finding.row == row(report, "2.8")
    assert finding.expected == pytest.approx(96.7, abs=0.01)
    assert "Ghi chú ghi 1.200/1.241 = 96,7%" in finding.message
    assert "số liệu của dòng là 97,74%" in finding.message


@pytest.mark.parametrize("note", ["1.213/1.241 hồ sơ", "736/750 PHIẾU đúng hạn",
                                  "Có 28/1.241 hồ sơ chưa đúng hạn",
                                  "đi 6553/65 53"])
def test_a_fraction_in_the_note_that_fits_or_counts_something_else_is_fine(
        tmp_path: Path, catalog: Catalog, note: str) -> None:
    values = {"2.8": "98,13"} if note.startswith("736") else {}
    report = run(tmp_path, catalog, values=values, notes={"2.8": note})
    assert found(report, "note-figure-differs") == []


def test_it_flags_late_dossiers_in_the_note_when_every_dossier_was_resolved_on_time(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"6.1": "12.641"})  # nothing left unresolved
    finding = only(report, "note-contradicts-row")
    assert finding.severity == "warning"
    assert finding.row == row(report, "6.3")
    assert finding.related == [row(report, "6.2"), row(report, "6.1")]
    assert "(12.641) bằng Số hồ sơ TTHC do UBND cấp xã giải quyết và trả kết quả (12.641) " \
        "và bằng Số hồ sơ TTHC do UBND cấp xã tiếp nhận" in finding.message
    assert "không có hồ sơ nào trễ hạn, nhưng ghi chú nêu 12 hồ sơ trễ hạn: " \
        "\"Giải quyết đúng hạn 12,641/12,653 hồ sơ" in finding.message


def test_it_flags_dossiers_the_note_says_were_resolved_late_beside_all_on_time(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, notes={"2.6": "05 hồ sơ giải quyết trễ hạn"},
                 values={"2.5": "1.213", "2.7": "0", "2.8": "100", "2.9": "1.213"})
    finding = only(report, "note-contradicts-row")
    assert finding.row == row(report, "2.6")
    assert "(1.213) bằng Số hồ sơ TTHC đã giải quyết xong (1.213), tức là" in finding.message


def test_it_flags_late_items_in_the_note_of_a_late_row_written_zero(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"1.3": "0", "1.2": "28"},
                 notes={"1.3": "02 nhiệm vụ hoàn thành quá hạn do chờ ý kiến của Sở"})
    finding = only(report, "note-contradicts-row")
    assert "ghi 0, nhưng ghi chú nêu 2 nhiệm vụ quá hạn" in finding.message


def test_late_items_beside_a_zero_that_counts_only_those_done_may_be_undone_ones(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"1.3": "0", "1.2": "28"},
                 notes={"1.3": "02 nhiệm vụ quá hạn do chờ ý kiến của Sở"})
    assert found(report, "note-contradicts-row") == []


@pytest.mark.parametrize("changes, note", [
    ({}, "28 hồ sơ trễ hạn"),  # 1.213 on time of 1.241: the 28 late ones
    # all resolved on time, but no row says how many were received: the late ones may be
    # among those not resolved
    ({"2.5": "1.213", "2.7": "0", "2.8": "100", "2.9": "1.213"},
     "Giải quyết đúng hạn 1.213/1.225 hồ sơ, 12 hồ sơ trễ hạn do lỗi phần mềm"),
    ({"2.5": "1.213", "2.7": "0", "2.8": "100", "2.9": "1.213"},
     "12 hồ sơ đang giải quyết quá hạn"),  # not resolved yet
    ({"2.5": "1.213", "2.7": "0", "2.8": "100", "2.9": "1.213"},
     "Không có hồ sơ trễ hạn"),
    ({"2.5": "1.213", "2.7": "0", "2.8": "100", "2.9": "1.213"},
     "0 hồ sơ trễ hạn"),
])
def test_late_items_that_fit_the_row_are_fine(tmp_path: Path, catalog: Catalog,
                                              changes: dict[str, str], note: str) -> None:
    report = run(tmp_path, catalog, values=changes, notes={"2.6": note})
    assert mine(report) == []


# ---------------------------------------------------------------- units of a level


def test_it_flags_more_communes_checked_than_the_report_says_there_are(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"3.3": "13"},
                 notes={"3.2": "Trên địa bàn huyện có 8 xã, 01 thị trấn đều đã kết nối"})
    finding = only(report, "exceeds-units-in-report")
    assert finding.severity == "warning"
    assert finding.row == row(report, "3.3")
    assert finding.related == [row(report, "3.2")]
    assert (finding.actual, finding.expected) == (13, 9)
    assert "Ghi 13 xã (Số UBND cấp xã đã kiểm tra) nhưng chính báo cáo cho biết chỉ có 9 xã" \
        in finding.message
    assert "8 + 1 = 9" in finding.message


def test_a_row_giving_the_number_of_communes_bounds_the_others(tmp_path: Path,
                                                               catalog: Catalog) -> None:
    extra = ("3.4", "Số xã, thị trấn trên địa bàn", "Xã", "9", "")
    report = run(tmp_path, catalog, values={"3.3": "13"}, after={"3.3": [extra]})
    finding = only(report, "exceeds-units-in-report")
    assert finding.row == row(report, "3.3")
    assert "dòng 3.4: 9" in finding.message


@pytest.mark.parametrize("changes, notes", [
    ({"3.3": "9"}, {"3.2": "Trên địa bàn huyện có 8 xã, 01 thị trấn đều đã kết nối"}),
    ({"3.3": "6"}, {"3.2": "Có 5 xã đã kết nối trong quý"}),  # those connected, not all
    ({"3.3": "13"}, {"3.2": "5/5 xã được kiểm tra đều đạt"}),  # a fraction of those checked
    ({"3.3": "13"}, {"3.2": "Huyện có 9 xã.", "3.3": "Huyện có 13 xã, thị trấn."}),
])
def test_communes_within_the_stated_number_or_without_a_trusted_one_are_fine(
        tmp_path: Path, catalog: Catalog, changes: dict[str, str],
        notes: dict[str, str]) -> None:
    report = run(tmp_path, catalog, values=changes, notes=notes)
    assert found(report, "exceeds-units-in-report") == []


# ---------------------------------------------------------------- the seeds

SEEDS = Path(__file__).parent / "data" / "seeds"


@pytest.fixture(scope="module")
def seeds() -> dict[str, Report]:
    return {p.stem[:3]: check(p) for p in sorted(SEEDS.glob("*.txt"))}


def _at(report: Report, finding: Finding) -> str:
    return report.rows[finding.row].item or "" if finding.row is not None else ""


def test_the_seeds_get_the_appendix_findings_they_deserve(seeds: dict[str, Report]) -> None:
    got = {name: sorted((f.code, _at(r, f)) for f in r.findings if f.code in MINE)
           for name, r in seeds.items()}
    assert got == {
        "000": [],
        "001": [("shares-exceed-100", "7.6.2.a")],
        "002": [],
        "003": [("exceeds-units-in-report", "IV.6.a"), ("note-figure-differs", "VI.2"),
                ("same-quantity-differs", "VI.3"), ("section-total-mismatch", "IV.5"),
                ("section-total-mismatch", "V.2"), ("section-total-mismatch", "VII.6"),
                ("subset-exceeds-set", "VII.6.c"), ("unit-contradicts-label", "VII.6.d"),
                ("unit-contradicts-label", "VII.6.e")],
        "004": [],
    }


def test_mỹ_tú_counts_more_procedures_integrated_than_offered_online(
        seeds: dict[str, Report]) -> None:
    report = seeds["003"]
    [finding] = found(report, "subset-exceeds-set")
    assert (finding.actual, finding.expected) == (228, 183)
    assert "83 + 100 = 183" in finding.message


def test_mỹ_tú_sends_part_of_its_documents_twice_over(seeds: dict[str, Report]) -> None:
    """840 wholly electronic + 2.382 electronic beside paper, of 2.382 documents: the second
    part repeats the total (exclusive, declared in the form, reported by the older check)."""
    report = seeds["003"]
    hits = [(_at(report, f), f.actual, f.expected)
            for f in found(report, "exclusive-exceeds-total")]
    assert ("VII.4.b", 2382, 3222) in hits and ("VII.4.c", 358, 473) in hits


def test_relations_declared_in_the_forms_catch_the_seeds_defects(
        seeds: dict[str, Report]) -> None:
    """Relations the printed forms imply, reported by the older checks once declared."""
    def hits(name: str, code: str) -> set[tuple[str, float, float]]:
        report = seeds[name]
        return {(_at(report, f), f.actual, f.expected) for f in found(report, code)}

    # a procedure is offered at one level: 55 at level 3 and 55 at level 4 are not 55
    assert ("7.4.3.1", 55, 110) in hits("000", "sum-mismatch")
    # more dossiers by post than dossiers at all; more certified leaders than leaders
    assert {("VII.7.a.4", 24174, 7971), ("VII.7.a.5", 24174, 7376),
            ("VII.6.m", 33, 28)} <= hits("003", "part-exceeds-whole")


def test_mỹ_tú_commune_dossiers_late_and_unresolved_are_not_a_contradiction(
        seeds: dict[str, Report]) -> None:
    """12.641 on time of 12.641 resolved, of 12.653 received: the note's 12 late dossiers
    are the 12 not resolved (tests/data/defects.yaml, clean: commune-dossiers)."""
    assert found(seeds["003"], "note-contradicts-row") == []


def test_mỹ_tú_headings_that_hold_another_figure_than_their_rows_sum(
        seeds: dict[str, Report]) -> None:
    report = seeds["003"]
    got = {_at(report, f): (f.actual, f.expected) for f in found(report,
                                                                 "section-total-mismatch")}
    assert got == {"IV.5": (74, 132), "V.2": (2, 46), "VII.6": (141, 183)}
    # the headings that hold their rows' sum, or the row they restate, are left alone
    flagged = {f.row for f in report.findings}
    for item in ("I.2", "I.3", "I.4", "III.2", "VII.7"):
        assert report.rows[[r.item for r in report.rows].index(item)].index not in flagged


def test_hương_trà_sends_every_document_both_ways(seeds: dict[str, Report]) -> None:
    [finding] = found(seeds["001"], "shares-exceed-100")
    assert finding.actual == 200
    assert "tức là cả tổng" in finding.message


def test_every_appendix_message_is_vietnamese_with_its_figures(
        seeds: dict[str, Report]) -> None:
    letters = re.compile(r"[ăâđêôơưàáảãạềếểễệìíỉĩịòóỏõọùúủũụ]", re.IGNORECASE)
    for report in seeds.values():
        for finding in report.findings:
            if finding.code not in MINE:
                continue
            assert letters.search(finding.message), finding.message
            assert "{" not in finding.message and "None" not in finding.message
            assert re.search(r"\d", finding.message), finding.message


def test_every_appendix_kind_is_produced_by_a_test_of_this_file() -> None:
    """tests/test_checks.py covers the kinds of the first checks; the kinds of the appendix
    checks are produced here, each by a test that asserts its finding."""
    text = Path(__file__).read_text(encoding="utf-8")
    for code in sorted(MINE):
        assert re.search(rf"(only|found)\(report, \"{code}\"\)", text), code
