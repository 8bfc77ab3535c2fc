"""Dates and period words of the text against the report's own period: documents cited
with dates after the report, words naming another period, data windows that miss the
period, and numbers written in several conventions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cchc.catalog import Catalog
from cchc.checks import periodwords
from cchc.checks.context import Context
from cchc.model import Finding, Meta, Paragraph, Period, Report, Row, Source, Value
from cchc.periods import label

EMPTY = Catalog(concepts={}, forms=())
HALF_2022 = ("half_year", 2022, None)


def findings(*texts: str, period: tuple[str, int, int | None] = HALF_2022,
             date: dt.date | None = None, rows: tuple[Row, ...] = ()) -> list[Finding]:
    kind, year, number = period
    meta = Meta(date=date, period=Period(kind=kind, year=year, number=number,
                                         label=label(kind, year, number)))
    paragraphs = [Paragraph(t, Source(line=i + 1)) for i, t in enumerate(texts)]
    report = Report(source="x.txt", format="txt", meta=meta, rows=list(rows), narrative=[],
                    paragraphs=paragraphs)
    ctx = Context.build(report, EMPTY)
    return [f for check_ in periodwords.CHECKS for f in check_(ctx)]


def codes(*texts: str, **kw: object) -> list[str]:
    return [f.code for f in findings(*texts, **kw)]  # type: ignore[arg-type]


# ---------------------------------------------------------------- cited documents


def test_a_plan_dated_after_the_period_of_an_undated_report_is_flagged() -> None:
    [f] = findings("UBND xã đã ban hành Kế hoạch số 619/KH-UBND ngày 30/12/2022 về kế hoạch phát "
                   "triển Chính quyền số năm 2022.")
    assert (f.code, f.severity) == ("document-dated-after-period", "warning")
    assert f.message == (
        "Văn bản \"Kế hoạch số 619/KH-UBND ngày 30/12/2022\" ghi ngày 30/12/2022, sau khi kỳ "
        "báo cáo 6 tháng đầu năm 2022 đã kết thúc (30/6/2022).")
    assert f.params["narrative_source"] == {"line": 1}


def test_a_document_dated_after_the_report_itself_is_flagged() -> None:
    [f] = findings("Thực hiện Quyết định số 1020/QĐ-UBND ngày 25 tháng 6 năm 2022 của UBND "
                   "tỉnh về việc công bố danh mục TTHC.", date=dt.date(2022, 6, 16))
    assert f.code == "document-dated-after-report"
    assert "ghi ngày 25/6/2022, sau ngày ban hành báo cáo (16/6/2022)" in f.message


@pytest.mark.parametrize("text", [
    # before the report, whatever the period
    "Thực hiện Công văn số 534/SNV-TTr ngày 11/3/2022 của Sở Nội vụ tỉnh Sóc Trăng.",
    "Kế hoạch số 759/KH-UBND ngày 31/12/2021 của Ủy ban nhân dân huyện về CCHC giai đoạn "
    "2021 - 2030.",
    # after the period's end but before the report's date: the report was written later
    "Căn cứ Công văn số 1852/UBND ngày 5 tháng 7 năm 2022 của UBND tỉnh.",
    # a document still to come
    "Dự kiến ban hành Kế hoạch số 88/KH-UBND ngày 15/8/2022 trong quý III.",
    # a date that is not a document's
    "Nghị quyết có hiệu lực từ ngày 01/7/2022.",
])
def test_dates_that_do_not_contradict_the_report_are_not_flagged(text: str) -> None:
    assert findings(text, date=dt.date(2022, 7, 10)) == []


def test_without_report_date_a_document_a_little_after_the_period_is_not_flagged() -> None:
    assert findings("Thực hiện Công văn số 215/SNV-CCHC ngày 05/7/2022 của Sở Nội vụ.") == []


def test_the_same_document_cited_with_two_dates_is_flagged() -> None:
    [f] = findings("Thực hiện Văn bản số 535/UBND-NV ngày 11/3/2022 của UBND huyện về hướng dẫn "
                   "chế độ báo cáo CCHC định kỳ năm 2022.",
                   "(Ban hành kèm theo Công văn số535 /UBND-NV ngày 10 /3/2022 của UBND huyện)")
    assert (f.code, f.severity) == ("document-date-conflict", "warning")
    assert f.message.startswith("Văn bản số 535/UBND-NV được dẫn với hai ngày khác nhau: "
                                "11/3/2022 (")
    assert "và 10/3/2022 (\"Công văn số535 /UBND-NV ngày 10 /3/2022 của UBND huyện\")" in (
        f.message)


@pytest.mark.parametrize("texts", [
    # the same number in another year is another document
    ("Kế hoạch số 121/KH-UBND ngày 14/3/2022 về tuyên truyền cải cách hành chính.",
     "Kế hoạch số 121/KH-UBND ngày 27/8/2019 của Ủy ban nhân dân tỉnh Sóc Trăng."),
    # the same number from two issuers is two documents
    ("Kế hoạch số 35/KH-UBND ngày 07/3/2022 của UBND tỉnh Sóc Trăng về kiểm tra CCHC.",
     "Kế hoạch số 35/KH-UBND ngày 10/02/2022 của UBND huyện Kế Sách về tuyên truyền."),
    # cited twice alike
    ("Kế hoạch số 30/KH-UBND ngày 18/01/2022 của Ủy ban nhân dân huyện.",
     "theo Kế hoạch số 30/KH-UBND ngày 18 tháng 01 năm 2022 của Ủy ban nhân dân huyện."),
])
def test_different_documents_or_the_same_date_are_not_conflicts(texts: tuple[str, ...]) -> None:
    assert codes(*texts, date=dt.date(2022, 6, 16)) == []


# ---------------------------------------------------------------- period words


def test_in_the_quarter_in_a_six_month_report_is_flagged() -> None:
    [f] = findings("Trong quý không có người dân nào khiếu kiện, khiếu nại về công tác giải "
                   "quyết TTHC.")
    assert (f.code, f.severity) == ("period-word-conflict", "warning")
    assert f.message.startswith("Báo cáo 6 tháng đầu năm 2022 nhưng thuyết minh viết "
                                "\"Trong quý\"")


def test_nine_months_in_a_first_quarter_report_is_flagged() -> None:
    [f] = findings("Trong 9 tháng đầu năm, Trung tâm đã tiếp nhận 1.520 hồ sơ.",
                   period=("quarter", 2023, 1))
    assert "\"Trong 9 tháng đầu năm\"" in f.message


@pytest.mark.parametrize("text", [
    "Trong quý I, huyện đã đề nghị thực hiện chính sách tinh giản biên chế 06 trường hợp.",
    "Kế hoạch tuyên truyền, phổ biến pháp luật quý I, quý II năm 2022.",
    "Các đơn vị còn lại tiếp tục kiểm tra trong Quý III/2022.",
    "So với 6 tháng đầu năm 2021, số hồ sơ trực tuyến tăng 25%.",
    "Năm 2021 toàn huyện tiếp nhận 41.000 hồ sơ.",
    "Việc thực hiện đúng quy định, trong quy trình nội bộ được kiểm soát chặt chẽ.",
    "Báo cáo định kỳ hằng quý được gửi đúng hạn; trong quý tới sẽ tổ chức đối thoại.",
    "Số quy trình được ban hành mới/sửa đổi trong quý/6 tháng/năm: 0 quy trình.",
])
def test_parts_of_the_period_comparisons_and_plans_are_not_conflicts(text: str) -> None:
    assert findings(text) == []


def test_a_quarter_word_in_the_plans_section_is_not_a_conflict() -> None:
    assert findings("III. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM",
                    "1. Trong quý, tổ chức kiểm tra 5 xã.") == []


@pytest.mark.parametrize(("text", "period", "flagged"), [
    ("Trong 6 tháng đầu năm, toàn huyện tiếp nhận 5.100 hồ sơ.", ("quarter", 2023, 2), False),
    ("Trong 9 tháng đầu năm, toàn huyện tiếp nhận 8.300 hồ sơ.", ("quarter", 2023, 3), False),
    ("Trong 9 tháng đầu năm, toàn huyện tiếp nhận 8.300 hồ sơ.", ("quarter", 2023, 2), True),
    ("Qua 9 tháng, Trung tâm đã tiếp nhận 8.300 hồ sơ.", HALF_2022, True),
    ("Lũy kế 9 tháng đầu năm dự kiến đạt 8.300 hồ sơ.", HALF_2022, False),
])
def test_a_longer_period_is_a_conflict_only_when_it_ends_after_the_report(
        text: str, period: tuple[str, int, int | None], flagged: bool) -> None:
    assert (codes(text, period=period) == ["period-word-conflict"]) is flagged


def test_a_quarterly_report_may_speak_of_its_quarter() -> None:
    assert findings("Trong quý, Trung tâm tiếp nhận 320 hồ sơ.",
                    period=("quarter", 2022, 2)) == []


def test_six_months_in_a_six_month_report_is_its_own_period() -> None:
    assert findings("Trong 6 tháng đầu năm 2022, UBND huyện ban hành 02 văn bản quy phạm "
                    "pháp luật.") == []


# ---------------------------------------------------------------- data windows


def test_a_data_window_covering_only_part_of_the_period_is_flagged() -> None:
    [f] = findings("Số liệu tính từ ngày 01/4/2022 đến ngày 14/6/2022.")
    assert (f.code, f.severity) == ("data-window-mismatch", "warning")
    assert "Số liệu tính từ 1/4/2022 đến 14/6/2022" in f.message
    assert "chỉ phủ 41% thời gian của kỳ" in f.message


def test_a_data_window_of_another_year_is_flagged() -> None:
    [f] = findings("Số liệu thống kê tính từ ngày 15/12/2020 đến ngày 14/6/2021.")
    assert "bắt đầu trước kỳ báo cáo" in f.message


@pytest.mark.parametrize(("text", "period"), [
    ("Số liệu tính từ ngày 15/12/2021 đến ngày 14/6/2022.", HALF_2022),   # the legal window
    ("Số liệu tính từ ngày 01/01 đến ngày 10/6.", HALF_2022),               # calendar, early cut
    ("Trong năm 2021, tính từ ngày 01/01 đến ngày 10/11, Trung tâm tiếp nhận 8.850 hồ sơ.",
     ("year", 2021, None)),
    ("Số liệu tính đến ngày 15/6/2022.", HALF_2022),
    ("Số liệu tính từ ngày 15/6/2022 đến ngày 14/9/2022.", ("quarter", 2022, 3)),
    ("Trong quý I năm 2023 (tính từ 1/12/2022 đến 28/2/2023) toàn tỉnh tiếp nhận 412.300 hồ "
     "sơ.", ("quarter", 2023, 1)),  # a window shifted a fortnight from the legal one
    ("Tổ chức lớp tập huấn từ ngày 12/5 đến ngày 14/5/2022.", HALF_2022),  # an event
])
def test_windows_that_cover_the_period_are_not_flagged(
        text: str, period: tuple[str, int, int | None]) -> None:
    assert findings(text, period=period) == []


# ---------------------------------------------------------------- number conventions


def _row(i: int, raw: str, kind: str) -> Row:
    return Row(index=i, code=str(i), label="x", unit="%", value=Value(raw=raw, kind=kind),
               note="")


def test_mixed_decimal_marks_and_grouping_are_information() -> None:
    [f] = findings("Tổng biên chế giao năm 2021: 1.985 biên chế; tiếp nhận 8850 hồ sơ.",
                   rows=(_row(0, "86.1%", "percent"), _row(1, "12,5%", "percent")))
    assert (f.code, f.severity) == ("mixed-number-style", "info")
    assert "dấu chấm thập phân (86.1%)" in f.message
    assert "dấu phẩy thập phân (12,5%)" in f.message
    assert "số từ hàng nghìn không có dấu phân cách (8850)" in f.message


@pytest.mark.parametrize("text", [
    "Tiếp nhận 1.241 hồ sơ, đúng hạn 97,74%; năm 2022 thu 1.500.050,30 đồng.",
    "Ban hành Kế hoạch số 2403/KH-UBND ngày 25/9/2021; năm 2021 tiếp nhận 120 hồ sơ.",
    "Tiếp nhận 8850 hồ sơ, giải quyết 8232 hồ sơ.",  # one convention throughout
])
def test_one_convention_is_not_flagged(text: str) -> None:
    assert codes(text) == []


def test_every_period_kind_is_produced_here() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    for code in ("document-dated-after-report", "document-dated-after-period",
                 "document-date-conflict",
                 "period-word-conflict", "data-window-mismatch", "mixed-number-style"):
        assert f'"{code}"' in source
