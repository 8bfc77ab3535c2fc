from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from builders import XLSX_FOOTNOTE, XLSX_TITLES, build_report_xlsx, build_zip_without
from openpyxl import Workbook

from cchc.errors import ReadError
from cchc.model import Cell, RawDocument, RawTable, Source
from cchc.readers import Limits, read_raw
from cchc.readers.xlsx import read_xlsx

LIMITS = Limits(max_file_bytes=20 * 2**20, max_unzipped_bytes=200 * 2**20, max_pages=300,
                convert_seconds=60)
SHEET = "Biểu 2"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> RawDocument:
    path = build_report_xlsx(tmp_path_factory.mktemp("xlsx") / "phu-luc-228.xlsx")
    return read_raw(path, LIMITS)


def row_at(table: RawTable, sheet_row: int) -> list[Cell]:
    return next(row.cells for row in table.rows if row.cells[0].source.row == sheet_row)


def texts_at(table: RawTable, sheet_row: int) -> list[str]:
    return [cell.text for cell in row_at(table, sheet_row)]


def test_it_gives_one_table_per_sheet_in_order(report: RawDocument) -> None:
    assert report.format == "xlsx"
    assert [t.index for t in report.tables] == [1, 2]
    assert [t.rows[0].cells[0].source.sheet for t in report.tables] == [SHEET, "Biểu 3"]


def test_title_rows_above_the_table_are_paragraphs_with_sheet_and_row(
        report: RawDocument) -> None:
    assert [(p.text, p.source) for p in report.paragraphs] == [
        (XLSX_TITLES[0], Source(sheet=SHEET, row=1)),
        (XLSX_TITLES[1], Source(sheet=SHEET, row=2)),
    ]


def test_a_one_cell_row_below_the_header_is_not_a_paragraph(report: RawDocument) -> None:
    assert XLSX_FOOTNOTE not in [p.text for p in report.paragraphs]
    assert texts_at(report.tables[0], 14) == [XLSX_FOOTNOTE, "", "", "", ""]


def test_it_keeps_every_non_empty_row_with_its_sheet_row_number(report: RawDocument) -> None:
    rows = [row.cells[0].source.row for row in report.tables[0].rows]
    assert rows == [1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14]


def test_a_blank_line_before_a_row_marks_a_break(report: RawDocument) -> None:
    breaks = {row.cells[0].source.row: row.break_before for row in report.tables[0].rows}
    assert breaks[4] and breaks[14]
    assert not any(breaks[r] for r in (1, 2, 5, 6, 12))


def test_merged_header_cells_have_text_at_the_top_left_only(report: RawDocument) -> None:
    table = report.tables[0]
    assert texts_at(table, 4) == ["STT", "Chỉ tiêu thống kê", "Đơn vị tính",
                                  "Kết quả thống kê", ""]
    assert texts_at(table, 5) == ["", "", "", "Số liệu", "Ghi chú"]
    assert [c.source for c in row_at(table, 4)] == [
        Source(sheet=SHEET, row=4, col=c) for c in range(1, 6)]


def test_a_number_stored_as_text_stays_text(report: RawDocument) -> None:
    value = row_at(report.tables[0], 8)[3]
    assert (value.text, value.number, value.is_percent) == ("1.241", None, False)


def test_an_integer_reads_without_grouping(report: RawDocument) -> None:
    value = row_at(report.tables[0], 9)[3]
    assert (value.text, value.number) == ("1213", 1213.0)
    assert row_at(report.tables[0], 7)[3].text == "48"


def test_a_percent_cell_gives_the_percentage_and_its_vietnamese_text(
        report: RawDocument) -> None:
    value = row_at(report.tables[0], 10)[3]
    assert (value.text, value.number, value.is_percent) == ("97,74%", 97.74, True)
    assert value.source == Source(sheet=SHEET, row=10, col=4)


def test_a_decimal_uses_a_comma_and_loses_float_noise(report: RawDocument) -> None:
    assert (row_at(report.tables[0], 11)[3].text, row_at(report.tables[0], 11)[3].number) == (
        "12,5", 12.5)
    noisy = row_at(report.tables[0], 12)[3]  # 0.1 + 0.2 = 0.30000000000000004
    assert (noisy.text, noisy.number) == ("0,3", 0.3)


def test_a_date_reads_day_month_year(report: RawDocument) -> None:
    assert row_at(report.tables[0], 7)[4].text == "18/01/2022"


def test_a_table_not_starting_in_column_a_keeps_sheet_columns(report: RawDocument) -> None:
    second = report.tables[1]
    assert [row.texts for row in second.rows] == [
        ["STT", "Đơn vị", "Số hồ sơ tiếp nhận"],
        ["1", "UBND xã An Mỹ", "1520"],
        ["2", "UBND thị trấn Kế Sách", "2310"],
    ]
    assert [c.source.col for c in second.rows[1].cells] == [2, 3, 4]
    assert second.rows[1].cells[2].number == 1520.0
    # Its first row has several cells: no title paragraph comes from this sheet.
    assert all(p.source.sheet == SHEET for p in report.paragraphs)


def test_an_empty_sheet_gives_no_table(tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "Trống"
    book.create_sheet("Số liệu")["B3"] = "Tổng số hồ sơ"
    book["Số liệu"]["C3"] = 3327
    path = tmp_path / "mot-bang.xlsx"
    book.save(path)
    doc = read_xlsx(path, "mot-bang.xlsx", LIMITS)
    assert [[c.text for c in row.cells] for t in doc.tables for row in t.rows] == [
        ["Tổng số hồ sơ", "3327"]]


def test_a_workbook_without_its_workbook_part_is_corrupt(tmp_path: Path) -> None:
    path = build_zip_without(tmp_path / "thieu.xlsx", {"xl/worksheets/sheet1.xml": "<x/>"})
    with pytest.raises(ReadError) as caught:
        read_raw(path, LIMITS)
    assert caught.value.code == "file-corrupt"
    assert caught.value.params["format"] == "xlsx"
    assert "xl/workbook.xml" in caught.value.params["detail"]


def test_a_workbook_openpyxl_cannot_parse_is_corrupt(tmp_path: Path) -> None:
    good = build_report_xlsx(tmp_path / "good.xlsx")
    path = tmp_path / "hong.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                data = data[: len(data) // 2]
            dst.writestr(info, data)
    with pytest.raises(ReadError) as caught:
        read_raw(path, LIMITS)
    assert (caught.value.code, caught.value.params["format"]) == ("file-corrupt", "xlsx")


@pytest.mark.parametrize(("stored", "number_format", "expected"), [
    (0.9774, "0.00%", ("97,74%", 97.74, True)),          # an active %: Excel shows × 100
    (97.74, '0.00"%"', ("97,74%", 97.74, True)),         # a quoted % is only a sign
    (97.74, "0.00\\%", ("97,74%", 97.74, True)),         # so is an escaped one
    (0.9774, "[$-42A]#,##0.00%", ("97,74%", 97.74, True)),
    (1241.0, '#,##0" hồ sơ"', ("1241", 1241.0, False)),  # quoted words without a %
])
def test_a_percent_sign_scales_only_when_excel_scales(
        tmp_path: Path, stored: float, number_format: str,
        expected: tuple[str, float, bool]) -> None:
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "Tỷ lệ hồ sơ đúng hạn"
    sheet["B1"] = stored
    sheet["B1"].number_format = number_format
    path = tmp_path / "rate.xlsx"
    book.save(path)
    cell = next(c for t in read_raw(path).tables for r in t.rows for c in r.cells
                if c.number is not None)
    assert (cell.text, cell.number, cell.is_percent) == expected
