"""Write a report's appendix (Phụ lục) as an .xlsx workbook, with XlsxWriter, in memory.

Sheet "Phụ lục": the title block (title, the italic "Kèm theo Báo cáo số …" line, the unit
and period), then STT | Chỉ tiêu | Đơn vị tính | Số liệu | Ghi chú (or Đơn vị thực hiện),
with a "Số đơn vị đã báo cáo" column before Số liệu when the values are an aggregate's
totals. An aggregate with its units adds the sheet "Theo đơn vị": indicators down, the total
and one column per unit across; a document with charts adds the sheet "Biểu đồ": each
chart's picture with its number, title and caption.

Numbers are stored as numbers, rates as fractions in a percent format (97,74 % is 0.9774:
what Excel means by a percentage, and what `cchc.readers.xlsx` reads back as 97.74). The
formats are the neutral codes of the file format (`#,##0.00`) tagged Vietnamese (`[$-42A]`):
LibreOffice then shows "1.241" and "97,74%" on any system; Excel shows the separators of the
computer it runs on, "1.241" on a Vietnamese Windows and "1,241" on an English one (see
docs/render-xlsx.md). A value written in a form a number would lose ("149/149" on a rate
row) stays text, as written.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]  # (XlsxWriter ships no type hints)
from xlsxwriter.format import Format  # type: ignore[import-untyped]
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

from cchc.render.document import Appendix, Line, RenderError, ReportDocument, UnitColumn
from cchc.vietnamese import fold

SHEET = "Phụ lục"
UNITS_SHEET = "Theo đơn vị"
CHARTS_SHEET = "Biểu đồ"
CHART_PIXELS = 567  # a chart's width on the sheet: 15 cm at 96 pixels an inch
LOCALE = "[$-42A]"  # Vietnamese: LibreOffice shows its separators whatever the system's
FONT = "Times New Roman"  # Nghị định 30; LibreOffice maps it to Liberation Serif
SIZE = 12
A4 = 9
HEADERS = ("STT", "Chỉ tiêu", "Đơn vị tính")
VALUE_HEADER = "Số liệu"
TOTAL_HEADER = "Tổng hợp"
# Not "Số đơn vị báo cáo": the reader takes "đơn vị báo cáo" for the responsible unit.
COVERAGE_HEADER = "Số đơn vị đã báo cáo"
STATUS_LABEL = "Tình trạng báo cáo"
UNITS_NOTE = ("Cột «Tổng hợp» là số liệu tổng hợp; mỗi cột tiếp theo là số liệu của một "
              "đơn vị.")
WIDTHS = {"code": 7.0, "label": 58.0, "unit": 16.0, "coverage": 12.0, "value": 14.0,
          "note": 34.0, "unit_column": 13.0}
MAX_DECIMALS = 6
LINE_HEIGHT = 15.75  # points per line of 12-point text
CHARS_PER_WIDTH = 1.35  # letters of Times New Roman 12 per unit of column width
FIT_UNITS = 10  # up to this many units the "Theo đơn vị" sheet prints one page wide
_WRITTEN_DECIMALS = re.compile(r"^\s*[+-]?\d[\d.]*,(\d+)\s*%?\s*$")


class NoAppendix(RenderError):
    """The document has no appendix to write."""

    def __init__(self) -> None:
        super().__init__("no-appendix", "Báo cáo không có phụ lục số liệu để xuất ra bảng "
                                        "tính.")


def write_xlsx(doc: ReportDocument) -> bytes:
    """The appendix of `doc` as the bytes of an .xlsx workbook."""
    appendix = doc.appendix
    if appendix is None:
        raise NoAppendix
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.set_properties({"title": appendix.title, "subject": doc.subject,
                         "author": doc.unit, "comments": doc.period_label})
    styles = Styles(book)
    _appendix_sheet(book.add_worksheet(SHEET), doc, appendix, styles)
    if appendix.units:
        _units_sheet(book.add_worksheet(UNITS_SHEET), doc, appendix, styles)
    if doc.charts:
        _charts_sheet(book.add_worksheet(CHARTS_SHEET), doc, styles)
    book.close()
    return out.getvalue()


# ------------------------------------------------------------------ formats


class Styles:
    """The workbook's cell formats, made once per distinct look."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self.made: dict[tuple[tuple[str, Any], ...], Format] = {}

    def get(self, **props: Any) -> Format:
        base: dict[str, Any] = {"font_name": FONT, "font_size": SIZE, "valign": "vcenter"}
        base.update(props)
        key = tuple(sorted(base.items()))
        if key not in self.made:
            self.made[key] = self.book.add_format(base)
        return self.made[key]

    def cell(self, bold: bool = False, **props: Any) -> Format:
        """A table cell: thin borders, wrapped text."""
        return self.get(border=1, text_wrap=True, bold=bold, **props)


def number_format(percent: bool, decimals: int) -> str:
    """'[$-42A]#,##0', '[$-42A]#,##0.00', '[$-42A]#,##0.00%' …"""
    fraction = "." + "0" * decimals if decimals else ""
    return f"{LOCALE}#,##0{fraction}{'%' if percent else ''}"


def number_decimals(number: float) -> int:
    """The decimals a number needs (97.74 → 2, 1241.0 → 0), at most MAX_DECIMALS."""
    text = f"{abs(number):.{MAX_DECIMALS}f}".rstrip("0")
    return len(text.partition(".")[2])


def line_decimals(line: Line) -> int:
    """The decimals to show for a line: as written ("100,00" → 2), or those its number needs."""
    found = _WRITTEN_DECIMALS.match(line.value)
    written = len(found.group(1)) if found else 0
    needed = number_decimals(line.number) if line.number is not None else 0
    return min(max(written, needed), MAX_DECIMALS)


def is_numeric(line: Line) -> bool:
    """Whether the line's value goes in as a number: it has one, and the text says no more
    than the number does (a fraction such as "149/149" says more, and stays text)."""
    return line.number is not None and math.isfinite(line.number) and "/" not in line.value


def stored(number: float, percent: bool) -> float:
    """The cell's number: a rate as a fraction (97.74 → 0.9774), divided exactly in decimal
    so that no binary noise is added."""
    return float(Decimal(repr(number)) / 100) if percent else number


# ------------------------------------------------------------------ the sheets


@dataclass(frozen=True)
class Column:
    role: str  # code | label | unit | coverage | value | note | figures (of `unit`)
    header: str
    width: float
    unit: UnitColumn | None = None


def appendix_columns(appendix: Appendix) -> list[Column]:
    """The columns of the "Phụ lục" sheet."""
    columns = [Column("code", HEADERS[0], WIDTHS["code"]),
               Column("label", HEADERS[1], WIDTHS["label"]),
               Column("unit", HEADERS[2], WIDTHS["unit"])]
    if appendix.aggregated:
        # Before Số liệu: right of it, the reader would take it for the Ghi chú column
        # of a form whose last column is "Đơn vị thực hiện".
        columns.append(Column("coverage", COVERAGE_HEADER, WIDTHS["coverage"]))
    columns += [Column("value", VALUE_HEADER, WIDTHS["value"]),
                Column("note", appendix.last_column, WIDTHS["note"])]
    return columns


def units_columns(appendix: Appendix) -> list[Column]:
    """The columns of the "Theo đơn vị" sheet: the labels, the total, one per unit, the
    last column. It holds every column of the "Phụ lục" sheet, so it is always wider."""
    columns = [Column("code", HEADERS[0], WIDTHS["code"]),
               Column("label", HEADERS[1], WIDTHS["label"]),
               Column("unit", HEADERS[2], WIDTHS["unit"]),
               Column("value", TOTAL_HEADER, WIDTHS["value"])]
    if appendix.aggregated:
        columns.append(Column("coverage", COVERAGE_HEADER, WIDTHS["coverage"]))
    columns += [Column("figures", u.name, WIDTHS["unit_column"], u) for u in appendix.units]
    columns.append(Column("note", appendix.last_column, WIDTHS["note"]))
    return columns


def _appendix_sheet(sheet: Worksheet, doc: ReportDocument, appendix: Appendix,
                    styles: Styles) -> None:
    columns = appendix_columns(appendix)
    header = _table_start(sheet, columns, _title_lines(doc, appendix, styles), styles,
                          span=len(columns))
    for offset, line in enumerate(appendix.lines, start=1):
        _write_line(sheet, header + offset, columns, line, styles)
    sheet.freeze_panes(header + 1, 0)
    _print_setup(sheet, header, fit_width=True)
    sheet.activate()


def _units_sheet(sheet: Worksheet, doc: ReportDocument, appendix: Appendix,
                 styles: Styles) -> None:
    """Indicators down; the total and one column per unit across.

    Three title rows come before the header and the sheet is wider than "Phụ lục": so the
    reader (cchc.table) never takes this table for a continuation of the appendix."""
    columns = units_columns(appendix)
    title = [
        (appendix.title, styles.get(bold=True, align="center", text_wrap=True)),
        (" — ".join(p for p in ("Số liệu theo đơn vị", _unit_and_period(doc)) if p),
         styles.get(align="center", text_wrap=True)),
        (UNITS_NOTE, styles.get(italic=True, align="center", text_wrap=True)),
    ]
    # The title spans the labels and the total only: across every unit it would be
    # centred off the first printed page.
    header = _table_start(sheet, columns, title, styles, span=4)
    row = header + 1
    units = [c.unit for c in columns if c.unit is not None]
    if any(u.status for u in units):
        status = styles.cell(italic=True, align="center")
        for col, column in enumerate(columns):
            text = STATUS_LABEL if column.role == "label" else (
                column.unit.status if column.unit is not None else "")
            _write_text(sheet, row, col, text, status)
        row += 1
    sheet.freeze_panes(row, 3)
    for line in appendix.lines:
        _write_line(sheet, row, columns, line, styles)
        row += 1
    _print_setup(sheet, header, fit_width=len(units) <= FIT_UNITS)
    sheet.repeat_columns(0, 2)


def _charts_sheet(sheet: Worksheet, doc: ReportDocument, styles: Styles) -> None:
    """Each chart: "Biểu đồ 1. …" in bold, the picture 15 cm wide, the caption in italics;
    A4 portrait, one page wide. Only pictures and text: no cell the reader takes for a
    table."""
    from xlsxwriter.image import Image  # type: ignore[import-untyped]

    default_row = 20  # pixels: the height of a row of the default 15 points
    sheet.set_column(0, 0, 3.0)
    sheet.set_column(1, 1, 80.0)
    row = 0
    for number, chart in enumerate(doc.charts, start=1):
        sheet.write_string(row, 1, f"Biểu đồ {number}. {chart.title}", styles.get(bold=True))
        row += 1
        picture = Image(io.BytesIO(chart.png))
        shown = picture.width * 96.0 / picture.x_dpi
        scale = CHART_PIXELS / shown if shown else 1.0
        sheet.insert_image(row, 1, f"bieu-do-{number}.png", {
            "image_data": io.BytesIO(chart.png), "x_scale": scale, "y_scale": scale,
            "object_position": 1, "description": chart.title})
        height = picture.height * 96.0 / picture.y_dpi * scale
        row += math.ceil(height / default_row) + 1
        if chart.caption:
            sheet.write_string(row, 1, chart.caption, styles.get(italic=True, text_wrap=True))
            sheet.set_row(row, LINE_HEIGHT * wrapped_lines(chart.caption, 80.0))
            row += 1
        row += 1
    sheet.set_paper(A4)
    sheet.set_portrait()
    sheet.set_margins(left=0.8, right=0.6, top=0.8, bottom=0.7)
    sheet.fit_to_pages(1, 0)


def _table_start(sheet: Worksheet, columns: Sequence[Column],
                 title: Sequence[tuple[str, Format]], styles: Styles, span: int) -> int:
    """Column widths, the title block merged over `span` columns, the header row; returns
    the header's row."""
    for col, column in enumerate(columns):
        sheet.set_column(col, col, column.width)
    span = min(span, len(columns))
    width = sum(c.width for c in columns[:span])
    for row, (text, fmt) in enumerate(title):
        sheet.merge_range(row, 0, row, span - 1, text, fmt)
        sheet.set_row(row, LINE_HEIGHT * wrapped_lines(text, width))
    header = len(title) + 1  # a blank row before the table
    head = styles.cell(bold=True, align="center")
    for col, column in enumerate(columns):
        sheet.write_string(header, col, column.header, head)
    sheet.set_row(header, LINE_HEIGHT * max(wrapped_lines(c.header, c.width)
                                            for c in columns))
    return header


def wrapped_lines(text: str, width: float) -> int:
    """How many lines `text` takes wrapped in a column `width` wide (Excel's unit: the width
    of a digit of the default font, Calibri 11). Neither Excel for merged cells nor
    LibreOffice converting a file fits a row to its wrapped text, so the writer sets the
    heights; the estimate errs on the high side."""
    per_line = max(int(width * CHARS_PER_WIDTH), 4)
    count = 0
    for paragraph in text.split("\n"):
        used = 0
        count += 1
        for word in paragraph.split():
            size = len(word)
            if used and used + 1 + size > per_line:
                count += 1
                used = 0
            while size > per_line:  # a word longer than the column is cut
                count += 1
                size -= per_line
            used += size + (1 if used else 0)
    return max(count, 1)


def _print_setup(sheet: Worksheet, header_row: int, fit_width: bool) -> None:
    """A4 landscape, the header row on every page, the page number centred at the top."""
    sheet.set_paper(A4)
    sheet.set_landscape()
    sheet.set_margins(left=0.8, right=0.6, top=0.8, bottom=0.7)
    sheet.center_horizontally()
    sheet.repeat_rows(header_row)
    sheet.set_header(f'&C&"{FONT}"&11&P')
    if fit_width:
        sheet.fit_to_pages(1, 0)


def _title_lines(doc: ReportDocument, appendix: Appendix, styles: Styles
                 ) -> list[tuple[str, Format]]:
    lines: list[tuple[str, Format]] = []
    if not fold(appendix.title).startswith("phu luc"):
        lines.append(("Phụ lục", styles.get(bold=True, align="center")))
    lines.append((appendix.title, styles.get(bold=True, align="center", text_wrap=True)))
    if appendix.reference:
        lines.append((appendix.reference,
                      styles.get(italic=True, align="center", text_wrap=True)))
    unit_and_period = _unit_and_period(doc)
    if unit_and_period:
        lines.append((unit_and_period, styles.get(align="center", text_wrap=True)))
    return lines


def _unit_and_period(doc: ReportDocument) -> str:
    parts = []
    if doc.unit:
        parts.append(f"Đơn vị: {doc.unit}")
    if doc.period_label:
        parts.append(f"Kỳ báo cáo: {doc.period_label}")
    return "; ".join(parts)


def _write_line(sheet: Worksheet, row: int, columns: Sequence[Column], line: Line,
                styles: Styles) -> None:
    """One appendix line across the columns, the row as high as its longest wrapped text."""
    heading = line.kind == "section"  # its code and label in bold
    lines = 1
    for col, column in enumerate(columns):
        if column.role in ("value", "figures"):
            value = line.number if is_numeric(line) else None
            text = line.value
            decimals = None
            if column.unit is not None:
                value, text = _unit_value(line, column.unit)
                decimals = number_decimals(value) if value is not None else None
            _write_value(sheet, row, col, line, value, text, styles, decimals)
            if value is None:
                lines = max(lines, wrapped_lines(text, column.width))
            continue
        text = {"code": line.code, "label": line.label, "unit": line.unit,
                "coverage": line.coverage, "note": line.note}[column.role]
        props: dict[str, Any] = {"bold": heading and column.role in ("code", "label")}
        indent = min(line.depth - 1, 4) if column.role == "label" and line.depth > 1 else 0
        if indent:
            props["indent"] = indent
        if column.role in ("code", "unit", "coverage"):
            props["align"] = "center"
        _write_text(sheet, row, col, text, styles.cell(**props))
        lines = max(lines, wrapped_lines(text, column.width - 2 * indent))
    if lines > 1:
        sheet.set_row(row, LINE_HEIGHT * lines)


def _write_text(sheet: Worksheet, row: int, col: int, text: str, fmt: Format) -> None:
    if text:
        sheet.write_string(row, col, text, fmt)
    else:
        sheet.write_blank(row, col, None, fmt)


def _write_value(sheet: Worksheet, row: int, col: int, line: Line, number: float | None,
                 text: str, styles: Styles, decimals: int | None = None) -> None:
    """A value cell: a number in the line's format, else the text as written, else blank."""
    percent = line.kind == "percent"
    if number is None:
        _write_text(sheet, row, col, text, styles.cell(align="right"))
        return
    shown = line_decimals(line) if decimals is None else decimals
    fmt = styles.cell(align="right", num_format=number_format(percent, shown))
    sheet.write_number(row, col, stored(number, percent), fmt)


def _unit_value(line: Line, unit: UnitColumn) -> tuple[float | None, str]:
    """(number, text) of a unit's figure for the line."""
    value = unit.values.get(line.item) if line.item is not None else None
    if value is None:
        return None, ""
    if isinstance(value, str):
        return None, value
    if not math.isfinite(value):
        return None, str(value)
    return float(value), ""
