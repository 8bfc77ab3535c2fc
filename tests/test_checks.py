"""Every finding a check can produce: one report that produces it, one near miss that must not.

The catalog is a small test catalog written to a temporary folder (never the shipped one);
reports are small texts in the row-per-line layout, one clean base report changed one cell
or one line at a time.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from cchc import findings_appendix, findings_narrative
from cchc.api import check
from cchc.catalog import Catalog, check_catalog
from cchc.findings import KINDS
from cchc.model import Finding, Report

# ---------------------------------------------------------------- the test catalog

CONCEPTS_YAML = """\
concepts:
  plan.tasks.planned: {label: "Số nhiệm vụ đề ra trong kế hoạch CCHC", kind: count}
  plan.tasks.done: {label: "Số nhiệm vụ CCHC đã hoàn thành", kind: count}
  plan.tasks.rate:
    label: "Tỷ lệ hoàn thành kế hoạch CCHC"
    kind: rate
    unit: "%"
    numerator: plan.tasks.done
    denominator: plan.tasks.planned
  dossiers.commune.received: {label: "Số hồ sơ TTHC cấp xã đã tiếp nhận", kind: count}
  dossiers.commune.resolved: {label: "Số hồ sơ TTHC cấp xã đã giải quyết xong", kind: count}
  dossiers.commune.on_time: {label: "Số hồ sơ TTHC cấp xã giải quyết đúng hạn", kind: count}
  dossiers.commune.late: {label: "Số hồ sơ TTHC cấp xã giải quyết trễ hạn", kind: count}
"""

FORM_YAML = """\
id: test-form
title: Phụ lục thống kê số liệu cải cách hành chính (biểu thử nghiệm)
issuer: UBND huyện Cẩm Xuyên
province: Hà Tĩnh
levels: [district, commune]
keywords: ["thống kê số liệu kết quả thực hiện công tác cải cách hành chính"]
items:
  - {code: "1", label: "Công tác chỉ đạo điều hành", type: section}
  - code: "1.1"
    label: "Số nhiệm vụ đề ra trong kế hoạch"
    unit: "Nhiệm vụ"
    concept: plan.tasks.planned
  - {code: "1.2", label: "Số nhiệm vụ đã hoàn thành", unit: "Nhiệm vụ", concept: plan.tasks.done}
  - code: "1.3"
    label: "Tỷ lệ hoàn thành Kế hoạch CCHC năm"
    unit: "%"
    concept: plan.tasks.rate
  - {code: "1.4", label: "Có ban hành quy chế làm việc của UBND", unit: "Có = 1; Không = 0"}
  - {code: "2", label: "Cải cách thủ tục hành chính", type: section}
  - code: "2.1"
    label: "Tổng số hồ sơ TTHC đã tiếp nhận"
    unit: "Hồ sơ"
    concept: dossiers.commune.received
    sum_of: ["2.1.1", "2.1.2"]
  - {code: "2.1.1", label: "Số hồ sơ TTHC tiếp nhận trực tuyến", unit: "Hồ sơ"}
  - {code: "2.1.2", label: "Số hồ sơ TTHC tiếp nhận trực tiếp", unit: "Hồ sơ"}
  - code: "2.2"
    label: "Tổng số hồ sơ TTHC đã giải quyết xong"
    unit: "Hồ sơ"
    concept: dossiers.commune.resolved
    exclusive: ["2.2.1", "2.2.2"]
  - code: "2.2.1"
    label: "Số hồ sơ TTHC giải quyết đúng hạn"
    unit: "Hồ sơ"
    concept: dossiers.commune.on_time
    part_of: ["2.2"]
  - code: "2.2.2"
    label: "Số hồ sơ TTHC giải quyết trễ hạn"
    unit: "Hồ sơ"
    concept: dossiers.commune.late
  - code: "2.3"
    label: "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn"
    unit: "%"
    rate: ["2.2.1", "2.2"]
  - {code: "2.4", label: "Số TTHC cấp huyện được công bố", unit: "Thủ tục", levels: [district]}
  - {code: "3", label: "Công tác kiểm tra, đối thoại", type: section}
  - {code: "3.1", label: "Số cuộc kiểm tra theo kế hoạch", unit: "Cuộc"}
  - {code: "3.2", label: "Số cuộc kiểm tra đã thực hiện", unit: "Cuộc", plan: "3.1"}
  - {code: "3.3", label: "Số cuộc đối thoại với người dân, doanh nghiệp", unit: "Cuộc"}
rules:
  - id: kiem-tra-toi-thieu
    expr: "#{3.2} >= 1"
    message: "Phải thực hiện ít nhất một cuộc kiểm tra công tác cải cách hành chính trong kỳ."
  - id: doi-thoai-toi-da
    expr: "#{3.3} <= 12"
    finding: doi-thoai-qua-nhieu
    severity: error
    message: "Số cuộc đối thoại trong kỳ không được quá 12 cuộc."
"""

RULE_MESSAGE = "Phải thực hiện ít nhất một cuộc kiểm tra công tác cải cách hành chính trong kỳ."


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    folder = tmp_path_factory.mktemp("catalog")
    (folder / "forms").mkdir()
    (folder / "concepts.yaml").write_text(CONCEPTS_YAML, encoding="utf-8")
    (folder / "forms" / "test-form.yaml").write_text(FORM_YAML, encoding="utf-8")
    loaded, problems = check_catalog(folder)
    assert problems == []
    return loaded


# ---------------------------------------------------------------- the base report

BASE_ROWS: list[tuple[str, str, str, str]] = [
    ("1", "Công tác chỉ đạo điều hành", "", ""),
    ("1.1", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "25"),
    ("1.2", "Số nhiệm vụ đã hoàn thành", "Nhiệm vụ", "24"),
    ("1.3", "Tỷ lệ hoàn thành Kế hoạch CCHC năm", "%", "96"),
    ("1.4", "Có ban hành quy chế làm việc của UBND", "Có = 1; Không = 0", "1"),
    ("2", "Cải cách thủ tục hành chính", "", ""),
    ("2.1", "Tổng số hồ sơ TTHC đã tiếp nhận", "Hồ sơ", "1.241"),
    ("2.1.1", "Số hồ sơ TTHC tiếp nhận trực tuyến", "Hồ sơ", "241"),
    ("2.1.2", "Số hồ sơ TTHC tiếp nhận trực tiếp", "Hồ sơ", "1.000"),
    ("2.2", "Tổng số hồ sơ TTHC đã giải quyết xong", "Hồ sơ", "1.241"),
    ("2.2.1", "Số hồ sơ TTHC giải quyết đúng hạn", "Hồ sơ", "1.213"),
    ("2.2.2", "Số hồ sơ TTHC giải quyết trễ hạn", "Hồ sơ", "28"),
    ("2.3", "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn", "%",
     "97,74"),
    ("2.4", "Số TTHC cấp huyện được công bố", "Thủ tục", ""),
    ("3", "Công tác kiểm tra, đối thoại", "", ""),
    ("3.1", "Số cuộc kiểm tra theo kế hoạch", "Cuộc", "4"),
    ("3.2", "Số cuộc kiểm tra đã thực hiện", "Cuộc", "4"),
    ("3.3", "Số cuộc đối thoại với người dân, doanh nghiệp", "Cuộc", "2"),
]

NUMBER = "Số: 12/BC-UBND"
DATE = "Cẩm Hưng, ngày 16 tháng 6 năm 2022"
SUBJECT = "Tình hình, kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2022"
UNIT = ("Ủy ban nhân dân xã Cẩm Hưng báo cáo kết quả thực hiện công tác cải cách hành chính "
        "như sau:")
NARRATIVE = "Trong kỳ, Bộ phận một cửa xã tiếp nhận tổng số 1.241 hồ sơ."
TITLE = "THỐNG KÊ SỐ LIỆU KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH 6 THÁNG ĐẦU NĂM 2022"
HEADER = "STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\tGhi chú"

Row = tuple[str, str, str, str]


def report_text(*, values: dict[str, str] | None = None, units: dict[str, str] | None = None,
                codes: dict[str, str] | None = None, drop: tuple[str, ...] = (),
                after: dict[str, list[Row]] | None = None, rows: list[Row] | None = None,
                number: str | None = NUMBER, date: str | None = DATE,
                subject: str | None = SUBJECT, unit: str | None = UNIT,
                narrative: str | None = NARRATIVE, title: str | None = TITLE) -> str:
    """The base report with some cells changed (by the row's code in the base report)."""
    values, units, codes, after = values or {}, units or {}, codes or {}, after or {}
    table: list[Row] = []
    for code, label, row_unit, value in rows if rows is not None else BASE_ROWS:
        if code not in drop:
            table.append((codes.get(code, code), label, units.get(code, row_unit),
                          values.get(code, value)))
        table.extend(after.get(code, []))
    head = ["ỦY BAN NHÂN DÂN", "XÃ CẨM HƯNG", number, date, "BÁO CÁO", subject, unit,
            narrative, "Phụ lục", title]
    lines = [line for line in head if line is not None]
    lines.append(HEADER)
    lines += [f"{c}\t{label}\t{u}\t{v}\t" for c, label, u, v in table]
    lines.append("Nơi nhận:")
    return "\n".join(lines) + "\n"


def run(tmp_path: Path, catalog: Catalog, text: str | None = None, **changes: Any) -> Report:
    path = tmp_path / "bao-cao.txt"
    path.write_text(text if text is not None else report_text(**changes), encoding="utf-8")
    return check(path, catalog)


def found(report: Report, code: str) -> list[Finding]:
    return [f for f in report.findings if f.code == code]


def codes_of(report: Report) -> set[str]:
    return {f.code for f in report.findings}


def row(report: Report, code: str) -> int:
    """The index of the report row printed with `code`."""
    matches = [r.index for r in report.rows if r.code == code]
    assert len(matches) == 1, f"{code!r} printed {len(matches)} times"
    return matches[0]


def only(report: Report, code: str) -> Finding:
    hits = found(report, code)
    assert len(hits) == 1, [(f.code, f.message) for f in report.findings]
    return hits[0]


# ---------------------------------------------------------------- the clean base report


def test_the_base_report_is_read_into_the_test_form_and_is_clean(tmp_path: Path,
                                                                 catalog: Catalog) -> None:
    report = run(tmp_path, catalog)
    assert report.form_id == "test-form"
    assert [r.item for r in report.rows] == [r[0] for r in BASE_ROWS]
    assert report.meta.level == "commune"
    assert report.findings == []
    assert report.status() == "valid"


# ---------------------------------------------------------------- rates


def test_it_accepts_a_rate_that_agrees_with_its_own_parts(tmp_path: Path,
                                                          catalog: Catalog) -> None:
    report = run(tmp_path, catalog)  # 1.213 / 1.241 = 97,74 %
    assert found(report, "rate-mismatch") == []


def test_it_flags_a_rate_that_disagrees_with_its_own_parts(tmp_path: Path,
                                                           catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"2.2": "1.213", "2.2.2": "0"})
    finding = only(report, "rate-mismatch")
    assert finding.severity == "error"
    assert finding.row == row(report, "2.3")
    assert finding.item_code == "2.3"
    assert finding.expected == 100
    assert finding.actual == pytest.approx(97.74)
    assert finding.related == [row(report, "2.2.1"), row(report, "2.2")]
    assert "97,74%" in finding.message
    assert "1.213/1.213 = 100%" in finding.message
    assert report.status() == "invalid"


@pytest.mark.parametrize("written", ["97,74", "97,74%", "97,7", "98", "97"])
def test_a_rate_rounded_or_truncated_to_the_written_precision_is_accepted(
        tmp_path: Path, catalog: Catalog, written: str) -> None:
    report = run(tmp_path, catalog, values={"2.3": written})
    assert found(report, "rate-mismatch") == []


@pytest.mark.parametrize("written", ["97,8", "97,6", "96", "99"])
def test_a_rate_off_by_more_than_its_written_precision_is_flagged(
        tmp_path: Path, catalog: Catalog, written: str) -> None:
    report = run(tmp_path, catalog, values={"2.3": written})
    assert only(report, "rate-mismatch").expected == pytest.approx(97.74)


def test_a_rate_is_checked_through_its_concepts_numerator_and_denominator(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"1.3": "60"})  # 24 / 25 = 96 %
    finding = only(report, "rate-mismatch")
    assert finding.row == row(report, "1.3")
    assert finding.expected == 96
    assert finding.actual == 60
    assert finding.related == [row(report, "1.2"), row(report, "1.1")]


def test_it_flags_zero_percent_written_for_zero_over_zero(tmp_path: Path,
                                                          catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"2.2": "0", "2.2.1": "0", "2.2.2": "0", "2.3": "0"})
    finding = only(report, "rate-zero-over-zero")
    assert finding.severity == "warning"
    assert finding.row == row(report, "2.3")
    assert finding.related == [row(report, "2.2.1"), row(report, "2.2")]
    assert found(report, "rate-mismatch") == []


def test_an_empty_rate_over_zero_dossiers_is_not_flagged(tmp_path: Path,
                                                         catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"2.2": "0", "2.2.1": "0", "2.2.2": "0", "2.3": ""})
    assert codes_of(report) == set()


def test_zero_percent_over_a_real_denominator_is_not_zero_over_zero(tmp_path: Path,
                                                                    catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"2.2": "28", "2.2.1": "0", "2.2.2": "28", "2.3": "0"})
    assert codes_of(report) == set()


def test_it_flags_a_fraction_written_in_a_percent_cell(tmp_path: Path,
                                                       catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"2.3": "149/149"})
    finding = only(report, "fraction-in-percent")
    assert finding.severity == "warning"
    assert finding.row == row(report, "2.3")
    assert finding.expected == 100
    assert '"149/149"' in finding.message
    assert report.rows[row(report, "2.3")].value.kind == "fraction"


def test_a_share_of_nothing_in_a_percent_cell_is_not_a_number(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"2.3": "5/0"})
    finding = only(report, "value-not-number")
    assert '"5/0"' in finding.message and "None" not in finding.message
    assert not codes_of(report) & {"fraction-in-percent"}


def test_zero_over_zero_in_a_percent_cell_is_left_alone(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"2.3": "0/0"})
    assert not codes_of(report) & {"fraction-in-percent", "value-not-number"}


def test_a_fraction_in_a_count_cell_is_not_a_fraction_in_percent(tmp_path: Path,
                                                                  catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"3.3": "2/2"})
    assert found(report, "fraction-in-percent") == []


def test_it_flags_a_rate_over_100_percent(tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"2.3": "105%"})
    finding = only(report, "rate-over-100")
    assert finding.severity == "error"
    assert finding.row == row(report, "2.3")
    assert finding.actual == 105
    assert "105%" in finding.message


def test_exactly_100_percent_is_not_over_100(tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"2.2.1": "1.241", "2.2.2": "0", "2.3": "100%"})
    assert codes_of(report) == set()


# ---------------------------------------------------------------- units and single values


def test_it_flags_a_percent_unit_on_a_count_item(tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, units={"2.1.1": "%"})
    finding = only(report, "percent-on-count")
    assert finding.severity == "warning"
    assert finding.row == row(report, "2.1.1")
    assert "Hồ sơ" in finding.message


def test_it_flags_a_percent_sign_in_the_value_of_a_count_item(tmp_path: Path,
                                                              catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"3.3": "2%"})
    assert only(report, "percent-on-count").row == row(report, "3.3")


def test_a_count_unit_on_a_count_item_is_fine(tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, units={"2.1.1": "hồ sơ"})
    assert found(report, "percent-on-count") == []


def test_it_flags_a_count_unit_on_a_rate_item(tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, units={"2.3": "Hồ sơ"})
    finding = only(report, "count-on-rate")
    assert finding.row == row(report, "2.3")
    assert '"Hồ sơ"' in finding.message


def test_tỷ_lệ_as_the_unit_of_a_rate_item_is_fine(tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, units={"2.3": "Tỷ lệ"})
    assert found(report, "count-on-rate") == []


def test_it_flags_a_coded_answer_that_is_not_one_of_the_codes(tmp_path: Path,
                                                              catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"1.4": "3"})
    finding = only(report, "coded-value-invalid")
    assert finding.severity == "error"
    assert finding.row == row(report, "1.4")
    assert finding.actual == 3
    assert "Có = 1; Không = 0" in finding.message


@pytest.mark.parametrize("written", ["0", "1", "Có", "không"])
def test_a_coded_answer_given_as_a_code_or_its_label_is_accepted(
        tmp_path: Path, catalog: Catalog, written: str) -> None:
    report = run(tmp_path, catalog, values={"1.4": written})
    assert found(report, "coded-value-invalid") == []


def test_it_flags_a_number_that_can_be_read_two_ways_on_a_percent_row(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"2.3": "8.333"})
    finding = only(report, "ambiguous-number")
    assert finding.severity == "warning"
    assert finding.row == row(report, "2.3")
    assert "8.333 hoặc 8,333" in finding.message
    assert report.rows[row(report, "2.3")].value.candidates == [8333, 8.333]


def test_thousands_on_a_count_row_and_a_comma_decimal_on_a_rate_are_not_ambiguous(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"2.3": "8,333"})
    assert found(report, "ambiguous-number") == []
    assert report.rows[row(report, "2.3")].value.value == pytest.approx(8.333)
    assert report.rows[row(report, "2.1")].value.value == 1241


def test_it_flags_words_in_the_value_cell_of_a_count_item(tmp_path: Path,
                                                          catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"3.3": "chưa tổ chức"})
    finding = only(report, "value-not-number")
    assert finding.row == row(report, "3.3")
    assert '"chưa tổ chức"' in finding.message


@pytest.mark.parametrize("written", ["2 cuộc", "-", ""])
def test_a_number_followed_by_its_unit_or_a_dash_is_not_a_word_value(
        tmp_path: Path, catalog: Catalog, written: str) -> None:
    report = run(tmp_path, catalog, values={"3.3": written})
    assert found(report, "value-not-number") == []


# ---------------------------------------------------------------- relations between rows


def test_it_flags_on_time_dossiers_exceeding_resolved_dossiers(tmp_path: Path,
                                                               catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"2.2.1": "1.300", "2.2.2": "0"})
    finding = only(report, "part-exceeds-whole")
    assert finding.severity == "error"
    assert finding.row == row(report, "2.2.1")
    assert finding.actual == 1300
    assert finding.expected == 1241
    assert finding.related == [row(report, "2.2")]
    assert "(1.300)" in finding.message and "(1.241)" in finding.message


def test_a_part_equal_to_its_whole_is_fine(tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"2.2.1": "1.241", "2.2.2": "0", "2.3": "100"})
    assert codes_of(report) == set()


def test_it_flags_children_that_do_not_add_up_to_their_total(tmp_path: Path,
                                                             catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"2.1.1": "300"})
    finding = only(report, "sum-mismatch")
    assert finding.severity == "error"
    assert finding.row == row(report, "2.1")
    assert finding.expected == 1300
    assert finding.actual == 1241
    assert finding.related == [row(report, "2.1.1"), row(report, "2.1.2")]


def test_a_missing_child_does_not_make_the_total_wrong_while_the_rest_fits(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"2.1.2": ""})
    assert found(report, "sum-mismatch") == []


def test_present_children_already_exceeding_the_total_are_flagged(tmp_path: Path,
                                                                  catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"2.1.1": "1.300", "2.1.2": ""})
    assert only(report, "sum-mismatch").expected == 1300


def test_it_flags_exclusive_parts_adding_up_to_more_than_the_total(tmp_path: Path,
                                                                   catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"2.2.2": "100"})
    finding = only(report, "exclusive-exceeds-total")
    assert finding.severity == "error"
    assert finding.row == row(report, "2.2")
    assert finding.expected == 1313
    assert finding.actual == 1241
    assert finding.related == [row(report, "2.2.1"), row(report, "2.2.2")]


def test_exclusive_parts_below_the_total_are_fine(tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"2.2.2": "20"})
    assert found(report, "exclusive-exceeds-total") == []


def test_it_flags_an_actual_more_than_twice_its_plan(tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"3.2": "9"})
    finding = only(report, "actual-exceeds-plan")
    assert finding.severity == "warning"
    assert finding.row == row(report, "3.2")
    assert finding.expected == 4
    assert finding.related == [row(report, "3.1")]


@pytest.mark.parametrize("plan, actual", [("4", "8"), ("0", "9"), ("", "9")])
def test_an_actual_up_to_twice_its_plan_or_without_a_plan_is_fine(
        tmp_path: Path, catalog: Catalog, plan: str, actual: str) -> None:
    report = run(tmp_path, catalog, values={"3.1": plan, "3.2": actual})
    assert found(report, "actual-exceeds-plan") == []


def test_a_false_form_rule_gives_its_finding_with_the_rules_message(tmp_path: Path,
                                                                    catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"3.2": "0"})
    finding = only(report, "rule-violated")
    assert finding.severity == "warning"
    assert finding.row == row(report, "3.2")
    assert finding.message == RULE_MESSAGE


def test_a_rule_with_an_unknown_finding_code_is_reported_as_rule_violated_with_its_severity(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"3.3": "15"})
    finding = only(report, "rule-violated")
    assert finding.severity == "error"
    assert finding.message == "Số cuộc đối thoại trong kỳ không được quá 12 cuộc."
    assert report.status() == "invalid"


@pytest.mark.parametrize("value", ["1", ""])
def test_a_true_or_not_applicable_rule_gives_no_finding(tmp_path: Path, catalog: Catalog,
                                                        value: str) -> None:
    report = run(tmp_path, catalog, values={"3.1": "", "3.2": value})
    assert found(report, "rule-violated") == []


# ---------------------------------------------------------------- narrative


def test_it_flags_a_narrative_figure_that_differs_from_the_appendix(tmp_path: Path,
                                                                    catalog: Catalog) -> None:
    report = run(tmp_path, catalog,
                 values={"2.1": "3.000", "2.1.1": "2.000", "2.1.2": "1.000"},
                 narrative="Trong kỳ, Bộ phận một cửa xã tiếp nhận tổng số 3.327 hồ sơ.")
    finding = only(report, "narrative-disagrees")
    assert finding.severity == "warning"
    assert finding.row == row(report, "2.1")
    assert finding.expected == 3327
    assert finding.actual == 3000
    assert "3.327" in finding.message and "3.000" in finding.message
    assert "tiếp nhận tổng số 3.327 hồ sơ" in finding.message


def test_a_narrative_figure_equal_to_the_appendix_is_fine(tmp_path: Path,
                                                          catalog: Catalog) -> None:
    report = run(tmp_path, catalog,
                 values={"2.1": "3.000", "2.1.1": "2.000", "2.1.2": "1.000"},
                 narrative="Trong kỳ, Bộ phận một cửa xã tiếp nhận tổng số 3.000 hồ sơ.")
    assert report.narrative[0].value == 3000
    assert codes_of(report) == set()


# ---------------------------------------------------------------- levels


def test_it_flags_a_commune_filling_a_district_only_row(tmp_path: Path,
                                                        catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"2.4": "5"})
    finding = only(report, "wrong-level")
    assert finding.severity == "warning"
    assert finding.row == row(report, "2.4")
    assert "cấp huyện" in finding.message and "cấp xã" in finding.message


def test_a_commune_writing_zero_in_a_district_only_row_is_only_information(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, values={"2.4": "0"})
    assert only(report, "wrong-level").severity == "info"
    assert report.status() == "valid"


def test_a_district_filling_a_district_only_row_is_fine(tmp_path: Path,
                                                        catalog: Catalog) -> None:
    unit = "Ủy ban nhân dân huyện Cẩm Xuyên báo cáo kết quả công tác cải cách hành chính."
    report = run(tmp_path, catalog, values={"2.4": "5"}, unit=unit)
    assert report.meta.level == "district"
    assert found(report, "wrong-level") == []


# ---------------------------------------------------------------- identification and period


@pytest.mark.parametrize("code, lines", [("missing-number", ("number",)),
                                         ("missing-date", ("date",)),
                                         ("missing-unit", ("unit",)),
                                         ("missing-period", ("subject", "title"))])
def test_it_flags_missing_identification(tmp_path: Path, catalog: Catalog, code: str,
                                         lines: tuple[str, ...]) -> None:
    report = run(tmp_path, catalog, **dict.fromkeys(lines))
    finding = only(report, code)
    assert finding.severity == "warning"
    assert finding.row is None
    assert report.status() == "warnings"


def test_a_subject_without_a_period_is_missing_the_period(tmp_path: Path,
                                                          catalog: Catalog) -> None:
    report = run(tmp_path, catalog, subject="Tình hình thực hiện công tác cải cách hành chính",
                 title="THỐNG KÊ SỐ LIỆU KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH")
    assert report.meta.period.kind is None
    assert len(found(report, "missing-period")) == 1


def test_a_report_with_number_date_unit_and_period_is_not_missing_any(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog)
    assert report.meta.number == "12/BC-UBND"
    assert report.meta.date is not None and report.meta.date.isoformat() == "2022-06-16"
    assert report.meta.unit == "UBND xã Cẩm Hưng"
    assert report.meta.period.label == "6 tháng đầu năm 2022"
    assert not codes_of(report) & {"missing-number", "missing-date", "missing-unit",
                                   "missing-period"}


def test_it_flags_a_report_dated_before_its_period_starts(tmp_path: Path,
                                                          catalog: Catalog) -> None:
    report = run(tmp_path, catalog, date="Cẩm Hưng, ngày 20 tháng 12 năm 2021")
    finding = only(report, "date-outside-period")
    assert finding.severity == "warning"
    assert "20/12/2021" in finding.message and "01/01/2022" in finding.message


def test_it_flags_a_report_dated_long_after_its_period_ended(tmp_path: Path,
                                                             catalog: Catalog) -> None:
    report = run(tmp_path, catalog, date="Cẩm Hưng, ngày 15 tháng 12 năm 2022")
    assert len(found(report, "date-outside-period")) == 1


def test_a_report_dated_shortly_after_its_period_is_fine(tmp_path: Path,
                                                         catalog: Catalog) -> None:
    report = run(tmp_path, catalog, date="Cẩm Hưng, ngày 20 tháng 7 năm 2022")
    assert found(report, "date-outside-period") == []


def test_it_flags_an_appendix_title_naming_another_period(tmp_path: Path,
                                                          catalog: Catalog) -> None:
    title = "THỐNG KÊ SỐ LIỆU KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2021"
    report = run(tmp_path, catalog, title=title)
    finding = only(report, "period-conflict")
    assert finding.expected == "6 tháng đầu năm 2022"
    assert finding.actual == "Năm 2021"
    assert "6 tháng đầu năm 2022" in finding.message and "Năm 2021" in finding.message


def test_an_appendix_title_naming_the_same_period_without_a_year_is_fine(
        tmp_path: Path, catalog: Catalog) -> None:
    title = "THỐNG KÊ SỐ LIỆU KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH 6 THÁNG ĐẦU NĂM"
    report = run(tmp_path, catalog, title=title)
    assert found(report, "period-conflict") == []


def test_the_date_in_the_appendix_caption_is_not_read_as_another_period(
        tmp_path: Path, catalog: Catalog) -> None:
    caption = ("(Kèm theo Báo cáo số 12/BC-UBND ngày 16 tháng 6 năm 2022 của Ủy ban nhân dân "
               "xã Cẩm Hưng)")
    report = run(tmp_path, catalog, title=TITLE + "\n" + caption)
    assert [p.text for p in report.paragraphs if p.text.startswith("(Kèm")] == [caption]
    assert found(report, "period-conflict") == []


# ---------------------------------------------------------------- numbering

EXTRA_212 = ("2.1.2", "Số hồ sơ TTHC tiếp nhận qua dịch vụ bưu chính công ích", "Hồ sơ", "")


def test_it_flags_a_number_used_twice_in_the_same_section(tmp_path: Path,
                                                          catalog: Catalog) -> None:
    report = run(tmp_path, catalog, after={"2.1.2": [EXTRA_212]})
    finding = only(report, "numbering-duplicate")
    assert finding.severity == "warning"
    assert finding.row == [r.index for r in report.rows if r.code == "2.1.2"][1]
    assert '"2.1.2"' in finding.message


def test_the_same_number_under_two_roman_sections_is_not_a_duplicate(tmp_path: Path,
                                                                     catalog: Catalog) -> None:
    rows = [("I", "Công tác chỉ đạo điều hành", "", ""),
            ("1", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "25"),
            ("2", "Số nhiệm vụ đã hoàn thành", "Nhiệm vụ", "24"),
            ("II", "Cải cách thủ tục hành chính", "", ""),
            ("1", "Tổng số hồ sơ TTHC đã tiếp nhận", "Hồ sơ", "1.241"),
            ("2", "Tổng số hồ sơ TTHC đã giải quyết xong", "Hồ sơ", "1.241")]
    report = run(tmp_path, catalog, rows=rows)
    assert [r.code for r in report.rows] == ["I", "1", "2", "II", "1", "2"]
    assert not codes_of(report) & {"numbering-duplicate", "numbering-gap",
                                   "numbering-misnested"}


def test_it_flags_a_skipped_number(tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, codes={"3.3": "3.4"})
    finding = only(report, "numbering-gap")
    assert finding.severity == "info"
    assert finding.row == row(report, "3.4")
    assert "thiếu 3.3" in finding.message


def test_it_flags_a_sub_item_numbered_under_a_section_not_yet_opened(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, codes={"2.4": "3.4"})
    finding = only(report, "numbering-misnested")
    assert finding.severity == "warning"
    assert finding.row == row(report, "3.4")
    assert 'Dòng "3.4" đứng sau dòng "2.3"' in finding.message
    assert 'mục cha "3"' in finding.message


def test_a_missing_section_row_is_flagged_once_at_its_first_sub_item(
        tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, drop=("3",))
    assert [f.row for f in found(report, "numbering-misnested")] == [row(report, "3.1")]


def test_consecutive_well_nested_numbers_are_fine(tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, codes={"1": "1.", "1.1": "1.1.", "1.2": "1.2."})
    assert not codes_of(report) & {"numbering-duplicate", "numbering-gap",
                                   "numbering-misnested"}


# ---------------------------------------------------------------- table and form


NO_TABLE = ("ỦY BAN NHÂN DÂN\nXÃ CẨM HƯNG\nSố: 12/BC-UBND\nCẩm Hưng, ngày 16 tháng 6 năm 2022\n"
            f"BÁO CÁO\n{SUBJECT}\n{UNIT}\n{NARRATIVE}\nNơi nhận:\n")


def test_it_flags_a_text_without_a_statistics_table(tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, text=NO_TABLE)
    assert [f.code for f in report.findings] == ["no-appendix"]
    assert report.findings[0].severity == "error"
    assert report.has_table is False
    assert report.rows == []
    assert report.status() == "invalid"


UNKNOWN_ROWS: list[Row] = [
    ("1", "Số cán bộ, công chức được cử đi đào tạo, bồi dưỡng", "Người", "12"),
    ("2", "Số đảng viên mới được kết nạp trong kỳ", "Người", "3"),
    ("3", "Diện tích gieo trồng lúa vụ Đông Xuân", "Ha", "450"),
]


def test_it_says_when_the_table_matches_no_form(tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, rows=UNKNOWN_ROWS)
    finding = only(report, "form-unknown")
    assert finding.severity == "info"
    assert report.form_id is None
    assert [r.item for r in report.rows] == [None, None, None]
    assert [r.value.value for r in report.rows] == [12, 3, 450]


def test_a_table_of_the_form_is_recognised(tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog)
    assert report.form_score > 0.9
    assert found(report, "form-unknown") == []


def test_it_flags_a_row_that_matches_no_item_of_the_recognised_form(tmp_path: Path,
                                                                    catalog: Catalog) -> None:
    extra = ("2.5", "Số sáng kiến cải tiến quy trình được công nhận", "Sáng kiến", "2")
    report = run(tmp_path, catalog, after={"2.4": [extra]})
    assert report.form_id == "test-form"
    finding = only(report, "unmatched-row")
    assert finding.severity == "info"
    assert finding.row == row(report, "2.5")
    assert "Số sáng kiến cải tiến quy trình được công nhận" in finding.message
    assert "test-form" in finding.message
    assert report.rows[row(report, "2.5")].value.value == 2


def test_a_row_labelled_slightly_differently_still_matches_its_item(tmp_path: Path,
                                                                    catalog: Catalog) -> None:
    rows = [r if r[0] != "2.2" else ("2.2", "Tổng số hồ sơ TTHC đã giải quyết", "Hồ sơ",
                                     "1.241") for r in BASE_ROWS]
    report = run(tmp_path, catalog, rows=rows)
    assert report.rows[row(report, "2.2")].item == "2.2"
    assert found(report, "unmatched-row") == []


# ---------------------------------------------------------------- status and messages


def test_a_report_with_only_warnings_has_status_warnings(tmp_path: Path,
                                                         catalog: Catalog) -> None:
    report = run(tmp_path, catalog, number=None, values={"3.2": "9"})
    assert {f.severity for f in report.findings} == {"warning"}
    assert report.status() == "warnings"


def test_a_report_with_an_error_has_status_invalid(tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, number=None, values={"1.4": "3"})
    assert "error" in {f.severity for f in report.findings}
    assert report.status() == "invalid"


def test_a_report_with_only_information_is_valid(tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, codes={"3.3": "3.4"})
    assert {f.severity for f in report.findings} == {"info"}
    assert report.status() == "valid"


def test_findings_are_ordered_by_row_then_severity(tmp_path: Path, catalog: Catalog) -> None:
    report = run(tmp_path, catalog, number=None, values={"1.4": "3", "2.3": "105%"})
    keys = [(f.row if f.row is not None else -1, f.severity) for f in report.findings]
    order = {"error": 0, "warning": 1, "info": 2}
    assert keys == sorted(keys, key=lambda k: (k[0], order[k[1]]))
    assert report.findings[0].code == "missing-number"


# One report per finding code that produces it; the coverage test below keeps this list in
# step with cchc.findings.KINDS.
SCENARIOS: dict[str, dict[str, Any]] = {
    "rate-mismatch": {"values": {"2.3": "96"}},
    "rate-zero-over-zero": {"values": {"2.2": "0", "2.2.1": "0", "2.2.2": "0", "2.3": "0"}},
    "rate-over-100": {"values": {"2.3": "105%"}},
    "percent-on-count": {"units": {"2.1.1": "%"}},
    "count-on-rate": {"units": {"2.3": "Hồ sơ"}},
    "fraction-in-percent": {"values": {"2.3": "149/149"}},
    "coded-value-invalid": {"values": {"1.4": "3"}},
    "ambiguous-number": {"values": {"2.3": "8.333"}},
    "value-not-number": {"values": {"3.3": "chưa tổ chức"}},
    "part-exceeds-whole": {"values": {"2.2.1": "1.300", "2.2.2": "0"}},
    "sum-mismatch": {"values": {"2.1.1": "300"}},
    "exclusive-exceeds-total": {"values": {"2.2.2": "100"}},
    "actual-exceeds-plan": {"values": {"3.2": "9"}},
    "rule-violated": {"values": {"3.2": "0"}},
    "narrative-disagrees": {"narrative": "Bộ phận một cửa xã tiếp nhận tổng số 3.327 hồ sơ."},
    "no-appendix": {"text": NO_TABLE},
    "form-unknown": {"rows": UNKNOWN_ROWS},
    "unmatched-row": {"after": {"2.4": [("2.5", "Số sáng kiến cải tiến quy trình được công "
                                                "nhận", "Sáng kiến", "2")]}},
    "wrong-level": {"values": {"2.4": "5"}},
    "missing-number": {"number": None},
    "missing-date": {"date": None},
    "missing-unit": {"unit": None},
    "missing-period": {"subject": None, "title": None},
    "date-outside-period": {"date": "Cẩm Hưng, ngày 20 tháng 12 năm 2021"},
    "period-conflict": {"title": "THỐNG KÊ SỐ LIỆU CẢI CÁCH HÀNH CHÍNH NĂM 2021"},
    "numbering-duplicate": {"after": {"2.1.2": [EXTRA_212]}},
    "numbering-gap": {"codes": {"3.3": "3.4"}},
    "numbering-misnested": {"codes": {"2.4": "3.4"}},
}

_VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]",
                         re.IGNORECASE)


# Kinds that no check of a single document produces: a file against the report it is put
# in (cchc.identity), a parent's report against its children's (cchc.checks.levels). Each is
# produced, with its message, by the tests of its module.
ELSEWHERE = {"file-of-other-unit": "test_identity.py", "file-of-other-level": "test_identity.py",
             "file-of-other-period": "test_identity.py",
             "level-total-differs": "test_levels.py", "exceeds-units-in-tree": "test_levels.py",
             "sibling-outlier": "test_levels.py",
             # the later families are tested beside their own checks
             **{k.code: "test_appendix_checks.py" for k in findings_appendix.KINDS},
             **{k.code: {"arithmetic": "test_arithmetic.py", "document": "test_periodwords.py"
                         }.get(k.family, "test_narrative_more.py")
                for k in findings_narrative.KINDS}}


def test_every_finding_kind_has_a_scenario_that_produces_it() -> None:
    assert set(SCENARIOS) == set(KINDS) - set(ELSEWHERE)
    for code, module in ELSEWHERE.items():
        assert code in (Path(__file__).parent / module).read_text(encoding="utf-8"), code


@pytest.mark.parametrize("code", sorted(SCENARIOS))
def test_each_scenario_produces_its_finding_with_a_vietnamese_message(
        tmp_path: Path, catalog: Catalog, code: str) -> None:
    report = run(tmp_path, catalog, **SCENARIOS[code])
    assert code in codes_of(report)
    for finding in report.findings:
        assert finding.message.strip(), finding
        assert _VIETNAMESE.search(finding.message), finding.message
        assert "{" not in finding.message and "}" not in finding.message
        assert finding.severity in ("error", "warning", "info")
    expected_status = ("invalid" if any(f.severity == "error" for f in report.findings) else
                       "warnings" if any(f.severity == "warning" for f in report.findings)
                       else "valid")
    assert report.status() == expected_status
