"""Rebuilding the appendix table: header roles, dropped header rows, stitching of cut rows."""

from __future__ import annotations

from cchc.model import Cell, RawDocument, RawRow, RawTable, Source
from cchc.readers.text import read_text
from cchc.table import Appendix, LogicalRow, find_appendix, is_header_row

HEADER = "STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\tGhi chú\n"
BREAK = "\n"  # a blank line between tab-separated rows is a page break

# ---------------------------------------------------------------- helpers


def appendix_of(text: str) -> Appendix:
    found = find_appendix(read_text(text, "r.txt"))
    assert found is not None
    return found


def rows_of(text: str) -> list[dict[str, str]]:
    """The logical rows' non-empty cells, by role."""
    return [{k: v for k, v in row.cells.items() if v} for row in appendix_of(text).rows]


def roles(app: Appendix) -> list[str]:
    return [app.columns[c] for c in sorted(app.columns)]


def where(row: LogicalRow, role: str) -> tuple[int | None, int | None]:
    source = row.sources[role]
    return source.line, source.col


def raw_table(index: int, *lines: str) -> RawTable:
    """A table from '|'-separated lines; a line '---' puts a break before the next row."""
    rows: list[RawRow] = []
    pending = False
    for r, line in enumerate(lines, start=1):
        if line == "---":
            pending = True
            continue
        cells = [Cell(text.strip(), Source(table=index, row=r, col=c))
                 for c, text in enumerate(line.split("|"), start=1)]
        rows.append(RawRow(cells, break_before=pending))
        pending = False
    return RawTable(rows=rows, index=index)


def document(*tables: RawTable) -> RawDocument:
    return RawDocument(path="r.docx", format="docx", tables=list(tables))


# ---------------------------------------------------------------- header and roles


def test_a_two_row_header_assigns_code_label_unit_value_and_note() -> None:
    app = appendix_of("STT\tChỉ tiêu\tKết quả thống kê\tGhi chú\n"
                      "\t\tĐơn vị tính\tSố liệu\t\n"
                      "1.1\tSố văn bản chỉ đạo CCHC đã ban hành\tVăn bản\t35\tĐủ\n")
    assert roles(app) == ["code", "label", "unit", "value", "note"]
    assert app.header_text == ["STT | Chỉ tiêu | Kết quả thống kê | Ghi chú",
                               " |  | Đơn vị tính | Số liệu | "]
    assert [r.cells for r in app.rows] == [{
        "code": "1.1", "label": "Số văn bản chỉ đạo CCHC đã ban hành", "unit": "Văn bản",
        "value": "35", "note": "Đủ"}]


def test_a_header_with_a_responsible_unit_column_gives_the_responsible_role() -> None:
    app = appendix_of("STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\tĐơn vị thực hiện\n"
                      "1.2.\tSố văn bản chỉ đạo CCHC đã ban hành\tVăn bản\t\tSở Nội vụ\n"
                      "1.3.\tKiểm tra CCHC\t\t\t\n")
    assert roles(app) == ["code", "label", "unit", "value", "responsible"]
    assert app.rows[0].get("responsible") == "Sở Nội vụ"
    assert app.rows[0].get("note") == ""


def test_capitalised_header_titles_with_thu_tu_and_ten_chi_tieu_are_recognised() -> None:
    app = appendix_of("THỨ TỰ\tTÊN CHỈ TIÊU\tĐƠN VỊ TÍNH\tSố lượng/ tỷ lệ\tGhi chú\n"
                      "1\tSố TTHC đã công bố\tThủ tục\t120\t\n"
                      "2\tTỷ lệ TTHC có quy trình nội bộ\t%\t100\tĐủ\n")
    assert roles(app) == ["code", "label", "unit", "value", "note"]
    assert rows_of_app(app) == [
        {"code": "1", "label": "Số TTHC đã công bố", "unit": "Thủ tục", "value": "120"},
        {"code": "2", "label": "Tỷ lệ TTHC có quy trình nội bộ", "unit": "%", "value": "100",
         "note": "Đủ"}]


def rows_of_app(app: Appendix) -> list[dict[str, str]]:
    return [{k: v for k, v in row.cells.items() if v} for row in app.rows]


def test_the_header_may_follow_title_rows_inside_the_same_table() -> None:
    doc = document(raw_table(1, "PHỤ LỤC THỐNG KÊ|||", "STT|Nội dung|ĐVT|Kết quả",
                             "1|Số văn bản|Văn bản|4"))
    app = find_appendix(doc)
    assert app is not None
    assert roles(app) == ["code", "label", "unit", "value"]
    assert rows_of_app(app) == [{"code": "1", "label": "Số văn bản", "unit": "Văn bản",
                                 "value": "4"}]


def test_a_table_before_the_appendix_without_stt_and_chi_tieu_is_ignored() -> None:
    signature = raw_table(1, "ỦY BAN NHÂN DÂN|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                          "Số: 12/BC-UBND|Cẩm Hưng, ngày 16 tháng 6 năm 2022")
    table = raw_table(2, "STT|Chỉ tiêu|Đơn vị tính|Số liệu|Ghi chú", "1|Số văn bản|Văn bản|4|")
    app = find_appendix(document(signature, table))
    assert app is not None
    assert [r.get("label") for r in app.rows] == ["Số văn bản"]
    assert app.rows[0].source == Source(table=2, row=2, col=1)


def test_is_header_row_needs_both_a_code_and_a_label_title() -> None:
    assert is_header_row(["STT", "Chỉ tiêu thống kê", "ĐVT"])
    assert is_header_row(["TT", "Nội dung", "Kết quả"])
    assert not is_header_row(["STT", "Họ và tên", "Chức vụ"])
    assert not is_header_row(["1", "Chỉ tiêu", "3"])


def test_a_document_without_an_indicator_table_has_no_appendix() -> None:
    assert find_appendix(read_text("BÁO CÁO\nKết quả cải cách hành chính\n")) is None
    other = "Họ và tên\tChức vụ\tĐơn vị\nNguyễn Văn A\tChủ tịch\tUBND xã\nB\tC\tD\n"
    assert find_appendix(read_text(other)) is None


# ---------------------------------------------------------------- header rows dropped


def test_header_rows_repeated_at_page_breaks_and_column_numbers_are_dropped() -> None:
    text = (HEADER + "(1)\t(2)\t(3)\t(4)\t(5)\n"
            "1\tSố văn bản chỉ đạo CCHC\tVăn bản\t3\t\n" + BREAK
            + HEADER + "(1)\t(2)\t(3)\t(4)\t(5)\n"
            "2\tSố hồ sơ đã tiếp nhận\tHồ sơ\t4\t\n")
    assert [r.get("code") for r in appendix_of(text).rows] == ["1", "2"]


def test_a_repeated_two_row_header_is_dropped() -> None:
    top = "STT\tChỉ tiêu\tKết quả thống kê\tGhi chú\n\t\tĐơn vị tính\tSố liệu\t\n"
    text = (top + "1\tSố văn bản\tVăn bản\t3\t\n" + BREAK + top + "2\tSố hồ sơ\tHồ sơ\t4\t\n")
    assert rows_of(text) == [
        {"code": "1", "label": "Số văn bản", "unit": "Văn bản", "value": "3"},
        {"code": "2", "label": "Số hồ sơ", "unit": "Hồ sơ", "value": "4"},
    ]


def test_a_numeric_data_row_is_not_mistaken_for_column_numbers() -> None:
    text = HEADER + "1\tSố văn bản\tVăn bản\t3\t\n2\tSố hồ sơ\tHồ sơ\t4\t\n"
    assert [r.get("value") for r in appendix_of(text).rows] == ["3", "4"]


# ---------------------------------------------------------------- stitching


def test_a_lowercase_label_continuation_after_a_page_break_joins_the_previous_label() -> None:
    text = (HEADER + "1.1\tSố văn bản chỉ đạo CCHC đã ban hành (Kết luận,\tVăn bản\t35\t\n"
            + BREAK + "\tchỉ thị, công văn chỉ đạo)\t\t\t\n"
            "1.2\tSố nhiệm vụ đề ra trong kế hoạch\tNhiệm vụ\t25\t\n")
    app = appendix_of(text)
    assert [r.get("label") for r in app.rows] == [
        "Số văn bản chỉ đạo CCHC đã ban hành (Kết luận, chỉ thị, công văn chỉ đạo)",
        "Số nhiệm vụ đề ra trong kế hoạch"]
    assert where(app.rows[0], "label") == (2, 2)
    assert app.rows[0].source.line == 2


def test_a_capitalised_label_after_a_page_break_is_a_row_of_its_own() -> None:
    text = (HEADER + "1\tCông tác chỉ đạo điều hành\t\t\t\n" + BREAK
            + "\tKiểm tra CCHC\t\t\t\n")
    assert [r.get("label") for r in appendix_of(text).rows] == [
        "Công tác chỉ đạo điều hành", "Kiểm tra CCHC"]


def test_a_unit_fragment_joins_the_previous_unit() -> None:
    text = (HEADER + "5.2\tMức độ triển khai\tChưa = 0 Đang làm = 1\t2\t\n" + BREAK
            + "\t\tHoàn thành = 2\t\t\n"
            "5.3\tSố cơ quan đã triển khai\tCơ quan, đơn vị\t3\t\n")
    app = appendix_of(text)
    assert rows_of_app(app) == [
        {"code": "5.2", "label": "Mức độ triển khai",
         "unit": "Chưa = 0 Đang làm = 1 Hoàn thành = 2", "value": "2"},
        {"code": "5.3", "label": "Số cơ quan đã triển khai", "unit": "Cơ quan, đơn vị",
         "value": "3"},
    ]
    assert where(app.rows[0], "unit") == (2, 3)


def test_a_note_only_row_joins_the_previous_note() -> None:
    text = (HEADER + "1.1\tSố kế hoạch đã ban hành\tVăn bản\t1\tKế hoạch số 12/KH-UBND\n"
            "\t\t\t\tngày 27/01/2022\n"
            "1.2\tSố nhiệm vụ\tNhiệm vụ\t25\t\n")
    app = appendix_of(text)
    assert [r.get("note") for r in app.rows] == [
        "Kế hoạch số 12/KH-UBND ngày 27/01/2022", ""]
    assert where(app.rows[0], "note") == (2, 5)


def test_a_note_only_row_fills_an_empty_previous_note_with_its_own_source() -> None:
    text = (HEADER + "1.1\tSố kế hoạch đã ban hành\tVăn bản\t1\t\n"
            "\t\t\t\tKế hoạch số 12/KH-UBND\n")
    app = appendix_of(text)
    assert app.rows[0].get("note") == "Kế hoạch số 12/KH-UBND"
    assert where(app.rows[0], "note") == (3, 5)


def test_a_unit_and_value_without_label_merge_into_the_following_label_only_row() -> None:
    text = (HEADER + "1\tSố văn bản\tVăn bản\t3\t\n"
            "\t\tCó = 1; Không = 0\t1\t\n"
            "\tCó ban hành quy chế làm việc\t\t\t\n"
            "2\tSố hồ sơ\tHồ sơ\t4\t\n")
    app = appendix_of(text)
    assert rows_of_app(app)[1] == {"label": "Có ban hành quy chế làm việc",
                                   "unit": "Có = 1; Không = 0", "value": "1"}
    merged = app.rows[1]
    assert where(merged, "label") == (4, 2)
    assert where(merged, "unit") == (3, 3)
    assert where(merged, "value") == (3, 4)
    assert len(app.rows) == 3


def test_a_lowercase_note_after_a_page_break_moves_to_the_previous_row() -> None:
    text = (HEADER + "1.3.2\tSố UBND cấp xã đã kiểm tra\tCơ quan, đơn vị\t0\tChỉ UBND cấp\n"
            + BREAK + "1.3.3\tSố vấn đề phát hiện qua kiểm tra\tVấn đề\t4\thuyện báo cáo\n")
    app = appendix_of(text)
    assert [r.get("note") for r in app.rows] == ["Chỉ UBND cấp huyện báo cáo", ""]
    assert app.rows[1].get("value") == "4"


def test_a_lowercase_note_without_a_page_break_stays_on_its_row() -> None:
    text = (HEADER + "1\tSố văn bản\tVăn bản\t3\tChỉ UBND cấp\n"
            "2\tSố hồ sơ\tHồ sơ\t4\thuyện báo cáo\n")
    assert [r.get("note") for r in appendix_of(text).rows] == ["Chỉ UBND cấp",
                                                               "huyện báo cáo"]


def test_a_lowercase_responsible_unit_after_a_page_break_moves_to_the_previous_row() -> None:
    text = ("STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\tĐơn vị thực hiện\n"
            "1\tSố văn bản\tVăn bản\t3\tSở Nội vụ và các\n" + BREAK
            + "2\tSố hồ sơ\tHồ sơ\t4\tcơ quan, đơn vị\n")
    assert [r.get("responsible") for r in appendix_of(text).rows] == [
        "Sở Nội vụ và các cơ quan, đơn vị", ""]


def test_a_row_code_cut_at_a_page_break_is_joined() -> None:
    text = (HEADER + "3.2\tSố TTHC đã công bố\tThủ tục\t120\t\n"
            "3.3.\tTỷ lệ hồ sơ TTHC giải quyết đúng hạn\t\t\t\n" + BREAK
            + "3\t\t%\t97,74\t\n"
            "3.4\tSố hồ sơ đã tiếp nhận\tHồ sơ\t1.241\t\n")
    app = appendix_of(text)
    assert rows_of_app(app)[1] == {"code": "3.3.3", "label": "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn",
                                   "unit": "%", "value": "97,74"}
    assert where(app.rows[1], "code") == (3, 1)
    assert where(app.rows[1], "value") == (5, 4)
    assert [r.get("code") for r in app.rows] == ["3.2", "3.3.3", "3.4"]


def test_a_code_without_a_label_is_not_joined_when_no_page_break_separates_it() -> None:
    text = (HEADER + "3.3.\tTỷ lệ hồ sơ\t\t\t\n3\t\t%\t97,74\t\n")
    assert [r.get("code") for r in appendix_of(text).rows] == ["3.3.", "3"]


def test_a_long_prose_cell_in_a_short_row_is_read_as_a_merged_note() -> None:
    text = (HEADER + "1\tSố văn bản\tVăn bản\t3\t\n"
            "2\tKiểm tra CCHC\tDự kiến thực hiện trong Quý III/2021 theo kế hoạch\n")
    assert rows_of(text)[1] == {"code": "2", "label": "Kiểm tra CCHC",
                                "note": "Dự kiến thực hiện trong Quý III/2021 theo kế hoạch"}


def test_cells_wrapped_in_the_cell_per_line_layout_stay_in_one_logical_cell() -> None:
    text = ("\tSTT\n\tChỉ tiêu thống kê\n\tĐơn vị tính\n\tSố liệu\n\tGhi chú\n\n"
            "\t1.3.2\n\tSố UBND cấp xã đã kiểm tra\n\tCơ quan, đơn vị\n\t0\n\tChỉ UBND cấp\n"
            "huyện báo cáo\n\n")
    app = appendix_of(text)
    assert app.rows[0].get("note") == "Chỉ UBND cấp\nhuyện báo cáo"
    assert where(app.rows[0], "value") == (10, 4)
    assert where(app.rows[0], "note") == (11, 5)


# ---------------------------------------------------------------- tables split in two


def test_a_table_continued_in_a_second_raw_table_is_read_as_one_appendix() -> None:
    first = raw_table(1, "STT|Chỉ tiêu|Đơn vị tính|Số liệu|Ghi chú",
                      "1.1|Số văn bản chỉ đạo CCHC đã ban hành (Kết luận,|Văn bản|35|")
    second = raw_table(2, "|chỉ thị, công văn chỉ đạo)|||",
                       "1.2|Số nhiệm vụ đề ra trong kế hoạch|Nhiệm vụ|25|")
    app = find_appendix(document(first, second))
    assert app is not None
    assert [r.get("label") for r in app.rows] == [
        "Số văn bản chỉ đạo CCHC đã ban hành (Kết luận, chỉ thị, công văn chỉ đạo)",
        "Số nhiệm vụ đề ra trong kế hoạch"]
    assert app.rows[1].source == Source(table=2, row=2, col=1)


def test_a_second_table_repeating_the_header_continues_even_with_another_width() -> None:
    first = raw_table(1, "STT|Chỉ tiêu|Đơn vị tính|Số liệu|Ghi chú", "1|Số văn bản|Văn bản|3|")
    second = raw_table(2, "STT|Chỉ tiêu|Đơn vị tính|Số liệu", "2|Số hồ sơ|Hồ sơ|4")
    app = find_appendix(document(first, second))
    assert app is not None
    assert [r.get("code") for r in app.rows] == ["1", "2"]


def test_a_later_table_of_another_width_without_a_header_is_not_part_of_the_appendix() -> None:
    first = raw_table(1, "STT|Chỉ tiêu|Đơn vị tính|Số liệu|Ghi chú", "1|Số văn bản|Văn bản|3|")
    signature = raw_table(2, "Nơi nhận:|TM. ỦY BAN NHÂN DÂN", "- Như trên;|CHỦ TỊCH")
    app = find_appendix(document(first, signature))
    assert app is not None
    assert [r.get("code") for r in app.rows] == ["1"]


def test_a_code_cut_across_two_raw_tables_is_joined() -> None:
    first = raw_table(1, "STT|Chỉ tiêu|Đơn vị tính|Số liệu|Ghi chú",
                      "3.3.|Tỷ lệ hồ sơ giải quyết đúng hạn|||")
    second = raw_table(2, "3||%|100|")
    app = find_appendix(document(first, second))
    assert app is not None
    assert rows_of_app(app) == [{"code": "3.3.3", "label": "Tỷ lệ hồ sơ giải quyết đúng hạn",
                                 "unit": "%", "value": "100"}]


# ---------------------------------------------------------------- cell-per-line pages

CELL_HEADER = ("\tSTT\n\tChỉ tiêu thống kê\n(Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)\n"
               "\tKết quả thống kê\n\tGhi chú\n\n\t\n\t\n\tĐơn vị tính\n\tSố liệu\n\t\n\n")


def test_a_label_continued_after_a_repeated_header_joins_the_row_before_the_page_break() -> None:
    text = (CELL_HEADER
            + "\t1.4\n\tKiểm tra việc thực hiện quy định pháp luật về tuyển dụng,\n\t\n\t\n"
              "\t\n\n\n"
            + CELL_HEADER
            + "\t\n\tquản lý, sử dụng công chức, viên chức\n\t\n\t\n\t\n\n"
              "\t1.4.1\n\tSố cơ quan, đơn vị được kiểm tra\n\tCơ quan, đơn vị\n\t0\n\t\n\n")
    app = appendix_of(text)
    assert roles(app) == ["code", "label", "unit", "value", "note"]
    assert rows_of_app(app) == [
        {"code": "1.4", "label": "Kiểm tra việc thực hiện quy định pháp luật về tuyển dụng, "
                                 "quản lý, sử dụng công chức, viên chức"},
        {"code": "1.4.1", "label": "Số cơ quan, đơn vị được kiểm tra",
         "unit": "Cơ quan, đơn vị", "value": "0"},
    ]
    assert where(app.rows[0], "label") == (14, 2)
