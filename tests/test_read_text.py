"""The text reader: table layouts, narrative paragraphs, markup, encodings and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc.errors import ReadError
from cchc.model import RawDocument, Source
from cchc.readers import read_raw
from cchc.readers.text import read_text, read_text_file

# ---------------------------------------------------------------- fixtures and helpers

ROW_PER_LINE = (
    "ỦY BAN NHÂN DÂN XÃ CẨM HƯNG\n"  # 1
    "Số: 12/BC-UBND\n"  # 2
    "\n"  # 3
    "BÁO CÁO\n"  # 4
    "STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\tGhi chú\n"  # 5
    "1\tSố văn bản chỉ đạo CCHC đã ban hành\tVăn bản\t35\t\n"  # 6
    "2\tSố nhiệm vụ đề ra trong kế hoạch\tNhiệm vụ\t25\tTheo Kế hoạch số 12/KH-UBND\n"  # 7
    "\n"  # 8
    "\n"  # 9
    "3\tSố nhiệm vụ đã hoàn thành\tNhiệm vụ\t24\t\n"  # 10
    "Nơi nhận:\n"  # 11
)

CELL_PER_LINE = (
    "BÁO CÁO\n"  # 1
    "\tSTT\n"  # 2
    "\tChỉ tiêu thống kê\n"  # 3
    "(Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)\n"  # 4
    "\tKết quả thống kê\n"  # 5
    "\tGhi chú\n"  # 6
    "\n"  # 7
    "\t1.1\n"  # 8
    "\tSố văn bản chỉ đạo CCHC đã ban hành\n"  # 9
    "\tVăn bản\n"  # 10
    "\t35\n"  # 11
    "\t\n"  # 12
    "\n"  # 13
    "\t1.2\n"  # 14
    "\tTỷ lệ hoàn thành Kế hoạch CCHC năm\n"  # 15
    "\t%\n"  # 16
    "\t60\n"  # 17
    "\tChỉ UBND cấp\n"  # 18
    "huyện báo cáo\n"  # 19
    "\n"  # 20
    "\n"  # 21
    "\t1.3\n"  # 22
    "\tKiểm tra CCHC\n"  # 23
    "\t\n"  # 24
    "\t\n"  # 25
    "\t\n"  # 26
    "\n"  # 27
    "Nơi nhận:\n"  # 28
)


def rows_of(doc: RawDocument, table: int = 0) -> list[list[str]]:
    return [row.texts for row in doc.tables[table].rows]


def breaks_of(doc: RawDocument, table: int = 0) -> list[bool]:
    return [row.break_before for row in doc.tables[table].rows]


def paragraph_lines(doc: RawDocument) -> dict[str, int | None]:
    return {p.text: p.source.line for p in doc.paragraphs}


def write(tmp_path: Path, data: bytes, name: str = "report.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_error_code(path: Path) -> str:
    with pytest.raises(ReadError) as info:
        read_raw(path)
    assert info.value.path == str(path)
    return info.value.code


# ---------------------------------------------------------------- row per line


def test_it_reads_tab_separated_lines_as_table_rows() -> None:
    doc = read_text(ROW_PER_LINE, "r.txt")
    assert doc.format == "txt"
    assert doc.path == "r.txt"
    assert len(doc.tables) == 1
    assert rows_of(doc) == [
        ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"],
        ["1", "Số văn bản chỉ đạo CCHC đã ban hành", "Văn bản", "35", ""],
        ["2", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "25",
         "Theo Kế hoạch số 12/KH-UBND"],
        ["3", "Số nhiệm vụ đã hoàn thành", "Nhiệm vụ", "24", ""],
    ]


def test_each_cell_of_a_row_per_line_table_keeps_its_line_and_column() -> None:
    doc = read_text(ROW_PER_LINE)
    second = doc.tables[0].rows[1].cells
    assert second[0].source == Source(line=6, col=1)
    assert second[3].source == Source(line=6, col=4)
    assert doc.tables[0].rows[3].cells[1].source == Source(line=10, col=2)


def test_blank_lines_inside_a_row_per_line_table_mark_a_page_break() -> None:
    doc = read_text(ROW_PER_LINE)
    assert breaks_of(doc) == [False, False, False, True]


def test_a_single_blank_line_is_also_a_break_in_the_row_per_line_layout() -> None:
    text = "A\tB\tC\n1\t2\t3\n\n4\t5\t6\n7\t8\t9\n"
    assert breaks_of(read_text(text)) == [False, False, True, False]


def test_a_line_with_one_tab_continues_an_open_table_but_does_not_start_one() -> None:
    text = "x\ty\nA\tB\tC\n1\t2\t3\n4\t5\n6\t7\t8\n"
    doc = read_text(text)
    assert rows_of(doc) == [["A", "B", "C"], ["1", "2", "3"], ["4", "5"], ["6", "7", "8"]]
    assert paragraph_lines(doc) == {"x y": 1}


def test_narrative_text_between_two_tables_ends_the_first_table() -> None:
    text = "A\tB\tC\n1\t2\t3\nĐoạn văn ở giữa\nD\tE\tF\n4\t5\t6\n"
    doc = read_text(text)
    assert len(doc.tables) == 2
    assert [t.index for t in doc.tables] == [1, 2]
    assert rows_of(doc, 1) == [["D", "E", "F"], ["4", "5", "6"]]
    assert paragraph_lines(doc) == {"Đoạn văn ở giữa": 3}


def test_narrative_paragraphs_are_the_non_table_lines_with_their_line_numbers() -> None:
    doc = read_text(ROW_PER_LINE)
    assert [(p.text, p.source) for p in doc.paragraphs] == [
        ("ỦY BAN NHÂN DÂN XÃ CẨM HƯNG", Source(line=1)),
        ("Số: 12/BC-UBND", Source(line=2)),
        ("BÁO CÁO", Source(line=4)),
        ("Nơi nhận:", Source(line=11)),
    ]


def test_windows_line_endings_give_the_same_document() -> None:
    unix = read_text(ROW_PER_LINE)
    dos = read_text(ROW_PER_LINE.replace("\n", "\r\n"))
    assert rows_of(dos) == rows_of(unix)
    assert [(p.text, p.source) for p in dos.paragraphs] == [
        (p.text, p.source) for p in unix.paragraphs]


def test_a_text_without_tabs_has_no_table_and_every_line_is_a_paragraph() -> None:
    doc = read_text("BÁO CÁO\n\nTình hình cải cách hành chính năm 2021\n")
    assert doc.tables == []
    assert paragraph_lines(doc) == {"BÁO CÁO": 1, "Tình hình cải cách hành chính năm 2021": 3}


# ---------------------------------------------------------------- cell per line


def test_it_reads_one_cell_per_tab_prefixed_line_with_blank_lines_between_rows() -> None:
    doc = read_text(CELL_PER_LINE)
    assert len(doc.tables) == 1
    rows = rows_of(doc)
    assert rows[1] == ["1.1", "Số văn bản chỉ đạo CCHC đã ban hành", "Văn bản", "35", ""]
    assert rows[3] == ["1.3", "Kiểm tra CCHC", "", "", ""]
    assert len(rows) == 4


def test_a_cell_wrapping_onto_a_line_without_a_tab_is_joined_to_that_cell() -> None:
    rows = rows_of(read_text(CELL_PER_LINE))
    assert rows[0] == [
        "STT",
        "Chỉ tiêu thống kê\n(Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)",
        "Kết quả thống kê",
        "Ghi chú",
    ]
    assert rows[2] == ["1.2", "Tỷ lệ hoàn thành Kế hoạch CCHC năm", "%", "60",
                       "Chỉ UBND cấp\nhuyện báo cáo"]


def test_cells_in_the_cell_per_line_layout_keep_their_own_line_and_position() -> None:
    doc = read_text(CELL_PER_LINE)
    cells = doc.tables[0].rows[2].cells
    assert [c.source for c in cells] == [Source(line=n, col=c) for n, c in
                                         ((14, 1), (15, 2), (16, 3), (17, 4), (18, 5))]


def test_two_blank_lines_between_cell_rows_mark_a_page_break() -> None:
    assert breaks_of(read_text(CELL_PER_LINE)) == [False, False, False, True]


def test_cell_per_line_lines_are_not_narrative_but_the_text_around_them_is() -> None:
    doc = read_text(CELL_PER_LINE)
    assert paragraph_lines(doc) == {"BÁO CÁO": 1, "Nơi nhận:": 28}


def test_a_tab_prefixed_block_that_does_not_start_with_stt_is_not_a_table() -> None:
    doc = read_text("\tMột dòng thụt lề\n\tChỉ tiêu\n\nHết\n")
    assert doc.tables == []
    assert paragraph_lines(doc) == {"Một dòng thụt lề": 1, "Chỉ tiêu": 2, "Hết": 4}


# ---------------------------------------------------------------- markup


def test_markdown_and_html_markup_is_stripped_from_paragraphs() -> None:
    doc = read_text("**Phụ lục**\n### II. KẾT QUẢ\n<b>1.</b> Công tác chỉ đạo\n"
                    "<i>(Kèm theo Báo cáo số 12/BC-UBND)</i>\n")
    assert [p.text for p in doc.paragraphs] == [
        "Phụ lục", "II. KẾT QUẢ", "1. Công tác chỉ đạo", "(Kèm theo Báo cáo số 12/BC-UBND)"]
    assert [p.source.line for p in doc.paragraphs] == [1, 2, 3, 4]


def test_markup_is_stripped_from_table_cells() -> None:
    text = ("<b>STT</b>\t<b>Chỉ tiêu</b>\t<b>Đơn vị tính</b>\t<b>Số liệu</b>\n"
            "<b>1.</b>\t<b>Công tác chỉ đạo điều hành CCHC</b>\t\t\n"
            "1.1.\t**Số văn bản** đã ban hành\t<i>Văn bản</i>\t9\n")
    assert rows_of(read_text(text)) == [
        ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu"],
        ["1.", "Công tác chỉ đạo điều hành CCHC", "", ""],
        ["1.1.", "Số văn bản đã ban hành", "Văn bản", "9"],
    ]


def test_markup_is_stripped_in_the_cell_per_line_layout() -> None:
    text = ("\t<b>STT</b>\n\t<b>Chỉ tiêu</b>\n\t<b>Số liệu</b>\n\n"
            "\t<b>1.</b>\n\t**Công tác chỉ đạo**\n\t3\n")
    assert rows_of(read_text(text)) == [["STT", "Chỉ tiêu", "Số liệu"],
                                        ["1.", "Công tác chỉ đạo", "3"]]


# ---------------------------------------------------------------- encodings

SAMPLE = ("Số: 12/BC-UBND\nBÁO CÁO\n"
          "STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\tGhi chú\n"
          "1\tTỷ lệ hồ sơ giải quyết đúng hạn\t%\t97,74\t\n"
          "2\tSố hồ sơ đã giải quyết\tHồ sơ\t1.241\t\n")


def assert_is_sample(doc: RawDocument) -> None:
    assert [p.text for p in doc.paragraphs] == ["Số: 12/BC-UBND", "BÁO CÁO"]
    assert rows_of(doc)[1] == ["1", "Tỷ lệ hồ sơ giải quyết đúng hạn", "%", "97,74", ""]
    assert rows_of(doc)[2][1] == "Số hồ sơ đã giải quyết"


def test_it_reads_plain_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, SAMPLE.encode("utf-8"))
    doc = read_raw(path)
    assert doc.format == "txt"
    assert doc.path == str(path)
    assert_is_sample(doc)


def test_it_reads_utf8_with_a_byte_order_mark(tmp_path: Path) -> None:
    doc = read_raw(write(tmp_path, b"\xef\xbb\xbf" + SAMPLE.encode("utf-8")))
    assert_is_sample(doc)
    assert not doc.paragraphs[0].text.startswith("\ufeff")


@pytest.mark.parametrize("codec, bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_it_reads_utf16_with_a_byte_order_mark(tmp_path: Path, codec: str, bom: bytes) -> None:
    doc = read_raw(write(tmp_path, bom + SAMPLE.encode(codec)))
    assert_is_sample(doc)
    assert not doc.paragraphs[0].text.startswith("\ufeff")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_it_reads_utf16_without_a_byte_order_mark(tmp_path: Path, codec: str) -> None:
    doc = read_raw(write(tmp_path, SAMPLE.encode(codec)))
    assert_is_sample(doc)


def test_a_markdown_file_is_read_as_text(tmp_path: Path) -> None:
    doc = read_raw(write(tmp_path, SAMPLE.encode("utf-8"), "report.md"))
    assert doc.format == "txt"
    assert_is_sample(doc)


def test_read_text_file_names_the_document_as_given(tmp_path: Path) -> None:
    path = write(tmp_path, SAMPLE.encode("utf-8"))
    assert read_text_file(path, "báo cáo.txt").path == "báo cáo.txt"


# ---------------------------------------------------------------- refusals


def test_a_binary_file_with_nul_bytes_is_refused_as_binary(tmp_path: Path) -> None:
    assert read_error_code(write(tmp_path, bytes(range(256)) * 16)) == "file-binary"


def test_a_file_full_of_control_characters_is_refused_as_binary(tmp_path: Path) -> None:
    data = (b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" + b"abc") * 50
    assert read_error_code(write(tmp_path, data)) == "file-binary"


def test_a_few_control_characters_in_a_real_text_are_tolerated(tmp_path: Path) -> None:
    doc = read_raw(write(tmp_path, (SAMPLE + "Hết\x07\n").encode("utf-8")))
    assert rows_of(doc)[2] == ["2", "Số hồ sơ đã giải quyết", "Hồ sơ", "1.241", ""]
    assert doc.paragraphs[-1].source.line == 6


def test_windows_1252_bytes_are_refused_as_an_unknown_encoding(tmp_path: Path) -> None:
    data = "Báo cáo kết quả: tỷ lệ đạt 97,74%\n".encode("cp1258", errors="replace")
    data += "Café – résumé\n".encode("cp1252")
    assert read_error_code(write(tmp_path, data)) == "encoding-unknown"


def test_an_empty_file_is_refused_as_empty(tmp_path: Path) -> None:
    assert read_error_code(write(tmp_path, b"")) == "file-empty"


@pytest.mark.parametrize("data", [b"   \n\n\t \r\n", "\ufeff  \n".encode(),
                                  "\n\n".encode("utf-16")])
def test_a_whitespace_only_file_is_refused_as_empty(tmp_path: Path, data: bytes) -> None:
    assert read_error_code(write(tmp_path, data)) == "file-empty"


def test_a_missing_file_is_refused_as_not_found(tmp_path: Path) -> None:
    assert read_error_code(tmp_path / "khong-co.txt") == "file-not-found"


def test_an_odd_length_utf16_file_is_refused_as_an_unknown_encoding(tmp_path: Path) -> None:
    data = b"\xff\xfe" + "Báo cáo".encode("utf-16-le") + b"\x41"
    assert read_error_code(write(tmp_path, data)) == "encoding-unknown"


def test_invalid_utf8_after_a_utf8_byte_order_mark_is_refused(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + "Tỷ lệ đạt 97,74%\nCafé – résumé\n".encode("cp1252",
                                                                      errors="replace")
    assert read_error_code(write(tmp_path, data)) == "encoding-unknown"
