from __future__ import annotations

from pathlib import Path

import pytest
from builders import (
    APPENDIX_HEADING,
    APPENDIX_TITLE,
    CLOSING,
    HEADER_ROW_1,
    HEADER_ROW_2,
    HEADER_TABLE,
    MERGED_NOTE,
    NARRATIVE,
    NOTE_TWO_PARAGRAPHS,
    PART_1,
    PART_2,
    SIGNATURE,
    SUBTITLE,
    TITLE,
    build_big_table_docx,
    build_docx_from_body,
    build_report_docx,
    long_row,
)

from cchc.model import RawDocument, RawTable, Source
from cchc.readers import Limits, read_raw
from cchc.readers.docx import read_docx

LIMITS = Limits(max_file_bytes=20 * 2**20, max_unzipped_bytes=200 * 2**20, max_pages=300,
                convert_seconds=60)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> RawDocument:
    path = build_report_docx(tmp_path_factory.mktemp("docx") / "bao-cao-228.docx")
    return read_raw(path, LIMITS)


def read_body(tmp_path: Path, body: str) -> RawDocument:
    return read_docx(build_docx_from_body(tmp_path / "hand.docx", body), "hand.docx", LIMITS)


def texts(table: RawTable) -> list[list[str]]:
    return [row.texts for row in table.rows]


def row_by_code(table: RawTable, code: str) -> list[str]:
    return next(row.texts for row in table.rows if row.texts[0] == code)


def test_it_reports_the_docx_format_and_the_given_name(report: RawDocument) -> None:
    assert report.format == "docx"
    assert report.path.endswith("bao-cao-228.docx")


def test_it_gives_body_paragraphs_in_order_with_their_paragraph_numbers(
        report: RawDocument) -> None:
    # Paragraph 3 (blank line after the subtitle) and 12 (the page break) are empty.
    expected = [
        (1, TITLE), (2, SUBTITLE), (4, NARRATIVE[0]), (5, NARRATIVE[1]), (6, NARRATIVE[2]),
        (7, "Tổng số văn bản chỉ đạo đã ban hành trong kỳ: 8 văn bản."),
        (8, SIGNATURE[0]), (9, SIGNATURE[1]), (10, APPENDIX_TITLE), (11, APPENDIX_HEADING),
        (13, CLOSING),
    ]
    assert [(p.source.paragraph, p.text) for p in report.paragraphs] == expected
    assert all(p.source == Source(paragraph=p.source.paragraph) for p in report.paragraphs)


def test_a_field_gives_its_result_not_its_code(report: RawDocument) -> None:
    everything = [p.text for p in report.paragraphs]
    assert "Tổng số văn bản chỉ đạo đã ban hành trong kỳ: 8 văn bản." in everything
    assert not any("DOCPROPERTY" in text for text in everything)


def test_it_numbers_tables_in_document_order(report: RawDocument) -> None:
    assert [t.index for t in report.tables] == [1, 2, 3]


def test_the_header_table_gives_number_and_date_cells(report: RawDocument) -> None:
    assert texts(report.tables[0]) == HEADER_TABLE


def test_the_two_header_rows_give_one_cell_per_grid_column(report: RawDocument) -> None:
    appendix = report.tables[1]
    assert appendix.rows[0].texts == HEADER_ROW_1
    assert appendix.rows[1].texts == HEADER_ROW_2


def test_a_cell_spanning_two_columns_has_its_text_at_the_first(report: RawDocument) -> None:
    top = report.tables[1].rows[0].cells
    assert (top[3].text, top[3].source) == ("Kết quả thống kê", Source(table=2, row=1, col=4))
    assert (top[4].text, top[4].source) == ("", Source(table=2, row=1, col=5))


def test_a_cell_merged_down_keeps_its_text_once(report: RawDocument) -> None:
    appendix = report.tables[1]
    assert [row.texts[0] for row in appendix.rows[:2]] == ["STT", ""]
    assert row_by_code(appendix, "3.3.1")[4] == MERGED_NOTE
    assert row_by_code(appendix, "3.3.2")[4] == ""


def test_a_section_row_spanning_four_columns_keeps_grid_positions(
        report: RawDocument) -> None:
    row = report.tables[1].rows[2]
    assert row.texts == ["I", "Công tác chỉ đạo điều hành CCHC", "", "", ""]
    assert [c.source.col for c in row.cells] == [1, 2, 3, 4, 5]


def test_every_row_has_one_cell_per_grid_column_with_its_source(
        report: RawDocument) -> None:
    for table in report.tables:
        width = len(table.rows[0].cells)
        for r, row in enumerate(table.rows, start=1):
            assert [c.source for c in row.cells] == [
                Source(table=table.index, row=r, col=c) for c in range(1, width + 1)]
            assert all(c.number is None for c in row.cells)


def test_the_appendix_rows_read_as_written(report: RawDocument) -> None:
    assert texts(report.tables[1])[2:] == PART_1


def test_a_cell_with_two_paragraphs_and_a_manual_break_gives_three_lines(
        report: RawDocument) -> None:
    note = row_by_code(report.tables[1], "1")
    assert note[4] == "Kế hoạch số 30/KH-UBND ngày 18/01/2022"
    assert report.tables[1].rows[5].texts[4] == NOTE_TWO_PARAGRAPHS
    assert NOTE_TWO_PARAGRAPHS.count("\n") == 2


def test_a_tracked_insertion_counts_and_a_deletion_does_not(report: RawDocument) -> None:
    assert row_by_code(report.tables[1], "3.3.1")[3] == "3.227"


def test_a_table_split_by_hand_gives_a_second_table_with_its_own_header(
        report: RawDocument) -> None:
    second = report.tables[2]
    assert texts(second) == [HEADER_ROW_1, HEADER_ROW_2, *PART_2]
    assert second.rows[2].cells[3].source == Source(table=3, row=3, col=4)


def test_a_long_table_reads_every_row(tmp_path: Path) -> None:
    path = build_big_table_docx(tmp_path / "big.docx", 1000)
    doc = read_docx(path, "big.docx", LIMITS)
    table = doc.tables[0]
    assert len(table.rows) == 1001
    assert table.rows[1000].texts == long_row(1000)
    assert table.rows[1000].cells[4].source == Source(table=1, row=1001, col=5)


def test_grid_before_and_after_pad_the_row_to_the_grid(tmp_path: Path) -> None:
    doc = read_body(tmp_path, """
      <w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>
        <w:tr><w:tc><w:p><w:r><w:t>STT</w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>Chỉ tiêu</w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>Đơn vị tính</w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>Số liệu</w:t></w:r></w:p></w:tc></w:tr>
        <w:tr><w:trPr><w:gridBefore w:val="1"/><w:gridAfter w:val="1"/></w:trPr>
              <w:tc><w:p><w:r><w:t>Tổng số</w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>Hồ sơ</w:t></w:r></w:p></w:tc></w:tr>
      </w:tbl>""")
    assert texts(doc.tables[0])[1] == ["", "Tổng số", "Hồ sơ", ""]


def test_a_continuation_cell_with_leftover_text_reads_empty(tmp_path: Path) -> None:
    doc = read_body(tmp_path, """
      <w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>
        <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>
                <w:p><w:r><w:t>Kế hoạch số 43/KH-UBND</w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>12</w:t></w:r></w:p></w:tc></w:tr>
        <w:tr><w:tc><w:tcPr><w:vMerge w:val="continue"/></w:tcPr>
                <w:p><w:r><w:t>Kế hoạch số 43/KH-UBND</w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>13</w:t></w:r></w:p></w:tc></w:tr>
        <w:tr><w:tc><w:tcPr><w:hMerge w:val="restart"/></w:tcPr>
                <w:p><w:r><w:t>Cộng</w:t></w:r></w:p></w:tc>
              <w:tc><w:tcPr><w:hMerge/></w:tcPr><w:p><w:r><w:t>Cộng</w:t></w:r></w:p></w:tc></w:tr>
      </w:tbl>""")
    assert texts(doc.tables[0]) == [["Kế hoạch số 43/KH-UBND", "12"], ["", "13"],
                                    ["Cộng", ""]]


def test_a_nested_table_is_flattened_into_its_cell(tmp_path: Path) -> None:
    doc = read_body(tmp_path, """
      <w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>
        <w:tr><w:tc><w:p><w:r><w:t>Ghi chú</w:t></w:r></w:p>
                <w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cấp huyện: 40/89</w:t></w:r></w:p></w:tc>
                             <w:tc><w:p><w:r><w:t>Cấp xã: 69/156</w:t></w:r></w:p></w:tc></w:tr>
                </w:tbl><w:p/></w:tc>
              <w:tc><w:p><w:r><w:t>109/245</w:t></w:r></w:p></w:tc></w:tr>
      </w:tbl>""")
    assert len(doc.tables) == 1
    assert texts(doc.tables[0]) == [["Ghi chú\nCấp huyện: 40/89\nCấp xã: 69/156", "109/245"]]


def test_a_row_deleted_as_a_tracked_change_is_left_out(tmp_path: Path) -> None:
    doc = read_body(tmp_path, """
      <w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>
        <w:tr><w:tc><w:p><w:r><w:t>Số nhiệm vụ</w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>25</w:t></w:r></w:p></w:tc></w:tr>
        <w:tr><w:trPr><w:del w:id="1" w:author="A"/></w:trPr>
              <w:tc><w:p><w:del w:id="2" w:author="A"><w:r><w:delText>Số cũ</w:delText></w:r>
                </w:del></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>9</w:t></w:r></w:p></w:tc></w:tr>
        <w:tr><w:tc><w:p><w:ins w:id="3" w:author="A"><w:r><w:t>Số đã hoàn thành</w:t></w:r>
                </w:ins></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>12</w:t></w:r></w:p></w:tc></w:tr>
      </w:tbl>""")
    assert texts(doc.tables[0]) == [["Số nhiệm vụ", "25"], ["Số đã hoàn thành", "12"]]


def test_content_controls_moves_and_alternate_content_read_once(tmp_path: Path) -> None:
    doc = read_body(tmp_path, """
      <w:sdt><w:sdtPr><w:alias w:val="Số văn bản"/></w:sdtPr><w:sdtContent>
        <w:p><w:r><w:t>Số: 228/BC-UBND</w:t></w:r></w:p></w:sdtContent></w:sdt>
      <w:p><w:moveFrom w:id="1" w:author="A"><w:r><w:t>cũ </w:t></w:r></w:moveFrom>
        <w:r><w:t>Kế Sách</w:t></w:r>
        <mc:AlternateContent><mc:Choice Requires="wps"><w:r><w:t>, hộp chữ</w:t></w:r>
          </mc:Choice><mc:Fallback><w:r><w:t>, hộp chữ</w:t></w:r></mc:Fallback>
        </mc:AlternateContent></w:p>
      <w:tbl><w:tblGrid><w:gridCol/></w:tblGrid>
        <w:tr><w:sdt><w:sdtContent><w:tc><w:p><w:r><w:t>97,74</w:t></w:r></w:p></w:tc>
        </w:sdtContent></w:sdt></w:tr></w:tbl>""")
    assert [(p.source.paragraph, p.text) for p in doc.paragraphs] == [
        (1, "Số: 228/BC-UBND"), (2, "Kế Sách, hộp chữ")]
    assert texts(doc.tables[0]) == [["97,74"]]


def test_pretty_printed_xml_and_tab_stops_add_no_text(tmp_path: Path) -> None:
    doc = read_body(tmp_path, """
      <w:p>
        <w:pPr>
          <w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs>
        </w:pPr>
        <w:r>
          <w:t>Tỷ lệ</w:t>
        </w:r>
        <w:r>
          <w:t xml:space="preserve"> hồ sơ</w:t>
        </w:r>
        <w:r>
          <w:tab/>
          <w:t>đúng hạn</w:t>
        </w:r>
      </w:p>""")
    assert [p.text for p in doc.paragraphs] == ["Tỷ lệ hồ sơ đúng hạn"]


def test_a_drawing_gives_its_text_box_but_not_its_layout_numbers(tmp_path: Path) -> None:
    wp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    doc = read_body(tmp_path, f"""
      <w:p><w:r><w:t>Nơi nhận:</w:t></w:r>
        <w:r><w:drawing><wp:anchor xmlns:wp="{wp}"><wp:positionH relativeFrom="column">
          <wp:posOffset>123825</wp:posOffset></wp:positionH>
          <w:txbxContent><w:p><w:r><w:t>Lưu: VT</w:t></w:r></w:p></w:txbxContent>
        </wp:anchor></w:drawing></w:r></w:p>""")
    assert [p.text for p in doc.paragraphs] == ["Nơi nhận:\nLưu: VT"]


def test_the_one_pass_table_read_matches_the_cell_by_cell_walk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import cchc.readers.docx as reader

    path = build_report_docx(tmp_path / "bao-cao.docx")

    def no_walk(*args: object) -> None:
        raise AssertionError("plain tables are read in one pass")

    with monkeypatch.context() as patch:
        patch.setattr(reader, "read_row", no_walk)
        at_once = read_docx(path, "bao-cao.docx", LIMITS)
    monkeypatch.setattr(reader, "read_rows_at_once", lambda *args: None)
    walked = read_docx(path, "bao-cao.docx", LIMITS)
    assert walked == at_once
    assert walked.tables[1].rows[0].texts == HEADER_ROW_1


def test_a_mark_character_in_the_text_falls_back_to_the_walk(tmp_path: Path) -> None:
    doc = read_body(tmp_path, """
      <w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>
        <w:tr><w:tc><w:p><w:r><w:t>Số\ufdd1 liệu</w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>12</w:t></w:r></w:p></w:tc></w:tr></w:tbl>""")
    assert texts(doc.tables[0]) == [["Số\ufdd1 liệu", "12"]]
