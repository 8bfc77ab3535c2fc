"""Read a .xlsx: one table per sheet, with typed numbers shown the way a Vietnamese user sees them.

Cells keep their sheet coordinates (`Source(sheet, row, col)`); a merged range keeps its text
at the top-left cell. A number formatted as a percentage is stored as a fraction (0.9774 is
shown 97,74%), so it is given as number=97.74, is_percent=True, text "97,74%".
"""

from __future__ import annotations

import warnings
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from cchc.model import Cell, Paragraph, RawDocument, RawRow, RawTable, Source
from cchc.readers import Limits
from cchc.readers.zipsafe import check_cells, corrupt, open_zip, scan_members

WORKBOOK = "xl/workbook.xml"
SIGNIFICANT = 10  # digits kept of a float, to drop binary noise such as 97.74000000000001


def read_xlsx(path: Path, name: str, limits: Limits) -> RawDocument:
    with open_zip(path, name, "xlsx", limits) as archive:
        if WORKBOOK not in archive.namelist():
            raise corrupt(name, "xlsx", f"thiếu phần {WORKBOOK}")
        # openpyxl inflates members whole and builds an object per cell: make sure first
        # that nothing inflates beyond what the directory declared, and count the cells.
        cells = scan_members(archive, name, "xlsx", limits, under="xl/worksheets/",
                             patterns=(b"<c ", b"<c>", b":c "))
        check_cells(name, cells)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (data validation, slicers...).
            warnings.simplefilter("ignore")
            with path.open("rb") as fh:
                # A file object: openpyxl checks the name's extension when given a path.
                book = load_workbook(fh, data_only=True, read_only=False)
    except Exception:  # openpyxl raises many types (KeyError, ValueError, XML errors...)
        raise corrupt(name, "xlsx", "không đọc được nội dung bảng tính") from None
    doc = RawDocument(path=name, format="xlsx")
    try:
        for sheet in book.worksheets:
            read_sheet(sheet, name, doc)
    finally:
        book.close()
    return doc


def read_sheet(sheet: Any, name: str, doc: RawDocument) -> None:
    title = str(sheet.title)
    # openpyxl's own iter_rows creates every cell of the rectangle up to max_row x
    # max_column; the stored cells (`_cells`) are only the ones the file has.
    stored: dict[tuple[int, int], Any] = sheet._cells
    values: dict[int, dict[int, Any]] = {}
    for (r, c), cell in stored.items():
        if not is_empty(cell.value):
            values.setdefault(r, {})[c] = cell
    if not values:
        return
    first_col = min(min(row) for row in values.values())
    last_col = max(max(row) for row in values.values())
    row_numbers = sorted(values)
    earlier = sum(len(row.cells) for table in doc.tables for row in table.rows)
    check_cells(name, earlier + len(row_numbers) * (last_col - first_col + 1))
    rows: list[RawRow] = []
    previous: int | None = None
    in_table = False
    for r in row_numbers:
        found = values[r]
        cells = []
        for c in range(first_col, last_col + 1):
            source = Source(sheet=title, row=r, col=c)
            cell = found.get(c)
            cells.append(Cell("", source) if cell is None else typed_cell(cell, source))
        # A blank line between two rows is a physical break the table rebuilder may need.
        rows.append(RawRow(cells, break_before=previous is not None and r > previous + 1))
        previous = r
        if len(found) > 1:
            in_table = True
        elif not in_table:
            text = cells[next(iter(found)) - first_col].text
            doc.paragraphs.append(Paragraph(text, Source(sheet=title, row=r)))
    doc.tables.append(RawTable(rows, len(doc.tables) + 1))


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def typed_cell(cell: Any, source: Source) -> Cell:
    value = cell.value
    if isinstance(value, bool):
        return Cell("TRUE" if value else "FALSE", source)
    if isinstance(value, int | float):
        number = float(value)
        if "%" in str(cell.number_format or ""):
            number = significant(number * 100)
            return Cell(number_text(number) + "%", source, number=number, is_percent=True)
        number = significant(number)
        return Cell(number_text(number), source, number=number)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return Cell(value.strftime("%d/%m/%Y"), source)
        return Cell(value.strftime("%d/%m/%Y %H:%M"), source)
    if isinstance(value, date):
        return Cell(value.strftime("%d/%m/%Y"), source)
    if isinstance(value, time):
        return Cell(value.strftime("%H:%M"), source)
    if isinstance(value, timedelta):
        return Cell(str(value), source)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return Cell("\n".join(line.strip() for line in text.strip().split("\n")), source)


def significant(number: float) -> float:
    return float(f"{number:.{SIGNIFICANT}g}")


def number_text(number: float) -> str:
    """1241.0 -> "1241", 12.5 -> "12,5": no grouping, a decimal comma."""
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return format(Decimal(repr(number)), "f").replace(".", ",")
