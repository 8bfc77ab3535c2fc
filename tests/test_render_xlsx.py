"""The .xlsx appendix: what a spreadsheet user gets (cells, formats, panes, print set-up),
and what our reader gets back from it (every value of every seed, and the same form)."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
from csv import reader as csv_reader
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from cchc.api import read
from cchc.catalog import Catalog, load_catalog
from cchc.model import Report, Row
from cchc.readers.doc import convert_with_libreoffice
from cchc.render.document import (
    Appendix,
    Line,
    RenderError,
    ReportDocument,
    UnitColumn,
    appendix_reference,
    letterhead,
    signature,
)
from cchc.render.from_report import document_from_report
from cchc.render.xlsx import NoAppendix, write_xlsx

DATA = Path(__file__).parent / "data" / "seeds"
SEEDS = sorted(p.stem for p in DATA.glob("*.txt"))
HEADER_ROW = 6  # four title lines, a blank row, then the header (1-based)
FIRST = HEADER_ROW + 1
DAY = dt.date(2022, 6, 16)


def line(item: str, code: str, label: str, unit: str, kind: str, value: str,
         number: float | None, note: str = "", coverage: str = "", depth: int = 1) -> Line:
    return Line(item, code, label, unit, kind, value, number, note, coverage, depth)


LINES = (
    line("I", "I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", "", "section", "", None, depth=0),
    line("1", "1", "Số hồ sơ tiếp nhận", "Hồ sơ", "count", "1.241", 1241.0,
         "Kế hoạch số 12/KH-UBND ngày 27/01/2022", "8/9"),
    line("2", "2", "Số hồ sơ giải quyết đúng hạn", "Hồ sơ", "count", "1.213", 1213.0,
         coverage="8/9"),
    line("3", "3", "Tỷ lệ hồ sơ giải quyết đúng hạn", "%", "percent", "97,74", 97.74,
         coverage="8/9"),
    line("4", "4", "Kinh phí đã giải ngân", "Đồng", "count", "12.345.678.901",
         12345678901.0, coverage="7/9"),
    line("5", "5", "Điểm trung bình", "Điểm", "decimal", "12,5", 12.5, coverage="9/9"),
    line("6", "6", "Tỷ lệ phiếu hài lòng", "%", "percent", "149/149", 100.0,
         coverage="9/9"),
    line("7", "7", "Có ban hành kế hoạch", "Có = 1; Không = 0", "coded", "1", 1.0,
         coverage="9/9", depth=2),
    line("8", "8", "Tỷ lệ hồ sơ đã số hóa", "%", "percent", "100,00", 100.0,
         coverage="9/9", depth=2),
    line("9", "9", "Tỷ lệ chưa rõ cách viết", "%", "text", "8.333", None, coverage="9/9"),
    line("10", "10", "Số hồ sơ trễ hạn", "Hồ sơ", "empty", "", None, coverage="0/9"),
)
UNITS = (
    UnitColumn("an-my", "UBND xã An Mỹ",
               {"1": 600.0, "2": 590.0, "3": 98.33, "4": 1_000_000.0, "7": 1.0},
               "Đã phê duyệt"),
    UnitColumn("ke-sach", "UBND thị trấn Kế Sách",
               {"1": 641.0, "2": 623.0, "3": 97.19, "7": "Có"}, "Chờ duyệt"),
)


def document(lines: tuple[Line, ...] = LINES, units: tuple[UnitColumn, ...] = UNITS,
             aggregated: bool = True, last_column: str = "Ghi chú") -> ReportDocument:
    head = letterhead("Huyện Kế Sách", "district", "Tỉnh Sóc Trăng", "228/BC-UBND", DAY)
    appendix = Appendix(
        title="THỐNG KÊ SỐ LIỆU BÁO CÁO CẢI CÁCH HÀNH CHÍNH ĐỊNH KỲ 6 THÁNG ĐẦU NĂM 2022",
        reference=appendix_reference("228/BC-UBND", "BC-UBND", DAY,
                                     "Ủy ban nhân dân huyện Kế Sách"),
        form_id=None, last_column=last_column, lines=lines, units=units,
        aggregated=aggregated)
    return ReportDocument(head, "Tình hình, kết quả thực hiện công tác cải cách hành chính",
                          (), (), signature("Huyện Kế Sách", "district"), appendix,
                          "Huyện Kế Sách", "6 tháng đầu năm 2022")


def sheets(doc: ReportDocument) -> dict[str, Worksheet]:
    book = load_workbook(io.BytesIO(write_xlsx(doc)))
    return {ws.title: ws for ws in book.worksheets}


@pytest.fixture(scope="module")
def book() -> dict[str, Worksheet]:
    return sheets(document())


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def row_of(ws: Worksheet, code: str, first: int = FIRST) -> int:
    return next(r for r in range(first, ws.max_row + 1) if ws.cell(r, 1).value == code)


# ------------------------------------------------------------------ the "Phụ lục" sheet


def test_an_aggregate_has_the_appendix_sheet_then_the_units_across(
        book: dict[str, Worksheet]) -> None:
    assert list(book) == ["Phụ lục", "Theo đơn vị"]
    assert list(sheets(document(units=(), aggregated=False))) == ["Phụ lục"]


def test_the_title_block_names_the_appendix_its_report_unit_and_period(
        book: dict[str, Worksheet]) -> None:
    ws = book["Phụ lục"]
    texts = [ws.cell(r, 1).value for r in range(1, 5)]
    assert texts == [
        "Phụ lục",
        "THỐNG KÊ SỐ LIỆU BÁO CÁO CẢI CÁCH HÀNH CHÍNH ĐỊNH KỲ 6 THÁNG ĐẦU NĂM 2022",
        "(Kèm theo Báo cáo số 228/BC-UBND ngày 16 tháng 6 năm 2022 của Ủy ban nhân dân "
        "huyện Kế Sách)",
        "Đơn vị: Huyện Kế Sách; Kỳ báo cáo: 6 tháng đầu năm 2022",
    ]
    assert ws.cell(2, 1).font.b and not ws.cell(2, 1).font.i
    assert ws.cell(3, 1).font.i and not ws.cell(3, 1).font.b
    assert {str(r) for r in ws.merged_cells.ranges} == {f"A{r}:F{r}" for r in range(1, 5)}


def test_the_header_has_a_coverage_column_only_for_an_aggregate(
        book: dict[str, Worksheet]) -> None:
    ws = book["Phụ lục"]
    header = [c.value for c in ws[HEADER_ROW]]
    assert header == ["STT", "Chỉ tiêu", "Đơn vị tính", "Số đơn vị đã báo cáo", "Số liệu",
                      "Ghi chú"]
    assert all(c.font.b for c in ws[HEADER_ROW])
    assert ws.cell(row_of(ws, "1"), 4).value == "8/9"
    single = sheets(document(units=(), aggregated=False,
                             last_column="Đơn vị thực hiện"))["Phụ lục"]
    assert [c.value for c in single[HEADER_ROW]] == ["STT", "Chỉ tiêu", "Đơn vị tính",
                                                     "Số liệu", "Đơn vị thực hiện"]


@pytest.mark.parametrize(("code", "value", "number_format"), [
    ("1", 1241, "[$-42A]#,##0"),
    ("4", 12345678901, "[$-42A]#,##0"),
    ("5", 12.5, "[$-42A]#,##0.0"),
    ("3", 0.9774, "[$-42A]#,##0.00%"),
    ("8", 1, "[$-42A]#,##0.00%"),  # written "100,00": two decimals shown
    ("7", 1, "[$-42A]#,##0"),
])
def test_numbers_are_stored_as_numbers_rates_as_fractions(
        book: dict[str, Worksheet], code: str, value: float, number_format: str) -> None:
    ws = book["Phụ lục"]
    cell = ws.cell(row_of(ws, code), 5)
    assert cell.data_type == "n"
    assert cell.value == value
    assert cell.number_format == number_format


@pytest.mark.parametrize(("code", "text"), [("6", "149/149"), ("9", "8.333")])
def test_a_value_a_number_would_misstate_stays_text_as_written(
        book: dict[str, Worksheet], code: str, text: str) -> None:
    ws = book["Phụ lục"]
    cell = ws.cell(row_of(ws, code), 5)
    assert (cell.data_type, cell.value) == ("s", text)


def test_an_empty_value_is_an_empty_cell_with_the_table_border(
        book: dict[str, Worksheet]) -> None:
    ws = book["Phụ lục"]
    cell = ws.cell(row_of(ws, "10"), 5)
    assert cell.value is None and cell.border.left.style == "thin"


def test_a_section_row_is_bold_and_an_item_row_is_not(book: dict[str, Worksheet]) -> None:
    ws = book["Phụ lục"]
    section, item = row_of(ws, "I"), row_of(ws, "1")
    assert ws.cell(section, 1).font.b and ws.cell(section, 2).font.b
    assert not ws.cell(item, 1).font.b and not ws.cell(item, 2).font.b
    assert not ws.cell(item, 6).font.b


def test_labels_wrap_and_sub_items_are_indented(book: dict[str, Worksheet]) -> None:
    ws = book["Phụ lục"]
    label = ws.cell(row_of(ws, "7"), 2)
    assert label.alignment.wrap_text and label.alignment.indent == 1
    assert ws.cell(row_of(ws, "1"), 2).alignment.indent == 0
    assert ws.column_dimensions["B"].width > 3 * ws.column_dimensions["C"].width


def test_a_long_label_makes_its_row_higher(catalog: Catalog) -> None:
    long_label = "Số thủ tục hành chính được công bố, công khai trên Cổng dịch vụ công " * 3
    lines = (*LINES, line("11", "11", long_label.strip(), "Thủ tục", "count", "5", 5.0))
    ws = sheets(document(lines=lines))["Phụ lục"]
    tall, short = row_of(ws, "11"), row_of(ws, "1")
    assert ws.row_dimensions[tall].height >= 3 * 15
    assert ws.row_dimensions[short].height is None  # one line: the default height


def test_the_header_is_frozen_and_printed_on_every_page(book: dict[str, Worksheet]) -> None:
    ws = book["Phụ lục"]
    assert ws.freeze_panes == f"A{FIRST}"
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"


def test_it_prints_on_a4_landscape_one_page_wide(book: dict[str, Worksheet]) -> None:
    ws = book["Phụ lục"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth or 1) == 1  # absent means 1 in SpreadsheetML
    assert ws.page_setup.fitToHeight == 0  # as many pages down as the rows need


def test_a_document_without_an_appendix_has_no_spreadsheet() -> None:
    doc = document()
    with pytest.raises(NoAppendix) as caught:
        write_xlsx(ReportDocument(doc.letterhead, doc.subject, (), (), doc.signature, None,
                                  doc.unit, doc.period_label))
    assert isinstance(caught.value, RenderError) and caught.value.code == "no-appendix"


# ------------------------------------------------------------------ the units across


def test_the_units_sheet_has_the_total_then_one_column_per_unit(
        book: dict[str, Worksheet]) -> None:
    ws = book["Theo đơn vị"]
    header = 5
    assert [c.value for c in ws[header]] == [
        "STT", "Chỉ tiêu", "Đơn vị tính", "Tổng hợp", "Số đơn vị đã báo cáo",
        "UBND xã An Mỹ", "UBND thị trấn Kế Sách", "Ghi chú"]
    assert [c.value for c in ws[header + 1]][1:] == [
        "Tình trạng báo cáo", None, None, None, "Đã phê duyệt", "Chờ duyệt", None]
    received = row_of(ws, "1", header + 1)
    assert [c.value for c in ws[received]][3:7] == [1241, "8/9", 600, 641]
    rate = row_of(ws, "3", header + 1)
    assert [(c.value, c.number_format) for c in ws[rate]][5:7] == [
        (0.9833, "[$-42A]#,##0.00%"), (0.9719, "[$-42A]#,##0.00%")]
    coded = row_of(ws, "7", header + 1)
    assert [(c.data_type, c.value) for c in ws[coded]][5:7] == [("n", 1), ("s", "Có")]
    spent = row_of(ws, "4", header + 1)
    assert [c.value for c in ws[spent]][5:7] == [1_000_000, None]


def test_the_units_sheet_freezes_labels_and_header_and_repeats_them_in_print(
        book: dict[str, Worksheet]) -> None:
    ws = book["Theo đơn vị"]
    assert ws.freeze_panes == "D7"  # below the status row, right of STT … Đơn vị tính
    assert ws.print_title_rows == "$5:$5" and ws.print_title_cols == "$A:$C"
    assert ws.page_setup.orientation == "landscape"


@pytest.mark.parametrize("last_column", ["Ghi chú", "Đơn vị thực hiện"])
@pytest.mark.parametrize("count", [1, 2, 3])
def test_an_aggregate_reads_back_without_its_units_sheet_or_coverage(
        tmp_path: Path, catalog: Catalog, count: int, last_column: str) -> None:
    units = tuple(UnitColumn(f"u{i}", f"UBND xã Số {i}", {"1": 10.0 * i})
                  for i in range(count))
    path = tmp_path / "tong-hop.xlsx"
    path.write_bytes(write_xlsx(document(units=units, last_column=last_column)))
    report = read(path, catalog)
    assert [(r.code, r.label, r.value.value) for r in report.rows] == [
        (ln.code, ln.label, ln.number) for ln in LINES]
    # The coverage ("8/9") is read as nothing: not as a note, not as the responsible unit.
    notes = [(r.note, r.responsible) for r in report.rows]
    note = LINES[1].note
    assert notes[1] == ((note, "") if last_column == "Ghi chú" else ("", note))
    assert set(notes[:1] + notes[2:]) == {("", "")}


def test_a_count_of_more_than_ten_digits_reads_back_whole(tmp_path: Path,
                                                         catalog: Catalog) -> None:
    path = tmp_path / "kinh-phi.xlsx"
    path.write_bytes(write_xlsx(document()))
    [spent] = [r for r in read(path, catalog).rows if r.code == "4"]
    assert spent.value.value == 12345678901


# ------------------------------------------------------------------ round trips


@pytest.mark.parametrize("seed", SEEDS)
def test_every_seed_reads_back_from_its_spreadsheet(tmp_path: Path, catalog: Catalog,
                                                    seed: str) -> None:
    report = read(DATA / f"{seed}.txt", catalog)
    doc = document_from_report(report, catalog)
    path = tmp_path / f"{seed}.xlsx"
    path.write_bytes(write_xlsx(doc))
    back = read(path, catalog)
    assert back.format == "xlsx"
    assert back.form_id == report.form_id and back.form_id is not None
    assert len(back.rows) == len(report.rows)
    for before, after in zip(report.rows, back.rows, strict=True):
        where = f"row {before.index} ({before.code} {before.label[:40]})"
        assert _row(after) == _row(before), where
        if before.value.kind in ("text", "fraction", "ambiguous", "empty"):
            assert after.value.raw == before.value.raw, where


def _row(row: Row) -> tuple[object, ...]:
    return (row.code, row.label, row.unit, row.value.kind, row.value.value,
            row.value.numerator, row.value.denominator, row.value.candidates, row.note,
            row.responsible, row.item)


def test_every_seed_s_numbers_are_stored_as_numbers(catalog: Catalog) -> None:
    for seed in SEEDS:
        report: Report = read(DATA / f"{seed}.txt", catalog)
        ws = sheets(document_from_report(report, catalog))["Phụ lục"]
        numbers = [r for r in report.rows if r.value.kind in ("number", "percent", "coded")]
        cells = [c for c in ws["D"] if c.row >= FIRST and isinstance(c.value, int | float)]
        assert len(cells) == len(numbers), seed


# ------------------------------------------------------------------ what LibreOffice shows


needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"),
                                   reason="LibreOffice (soffice) is not installed")


@needs_soffice
def test_libreoffice_shows_numbers_the_vietnamese_way_whatever_its_locale(
        tmp_path: Path) -> None:
    path = tmp_path / "phu-luc.xlsx"
    path.write_bytes(write_xlsx(document()))
    csv = convert_with_libreoffice(path, "csv:Text - txt - csv (StarCalc):59,34,76", tmp_path,
                                   120)
    rows = list(csv_reader(io.StringIO(csv.read_text(encoding="utf-8")), delimiter=";"))
    shown = {row[0]: row[4] for row in rows[FIRST - 1:]}
    assert shown["1"] == "1.241"
    assert shown["3"] == "97,74%"
    assert shown["4"] == "12.345.678.901"
    assert shown["5"] == "12,5"
    assert shown["8"] == "100,00%"
