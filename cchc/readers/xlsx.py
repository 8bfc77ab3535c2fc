"""Read a .xlsx: one table per sheet, with typed numbers shown the way a Vietnamese user sees them.

Cells keep their sheet coordinates (`Source(sheet, row, col)`); a merged range keeps its text
at the top-left cell. A number formatted as a percentage is stored as a fraction (0.9774 is
shown 97,74%), so it is given as number=97.74, is_percent=True, text "97,74%".

The parts are parsed here, streaming each sheet through lxml, with the cell semantics of
openpyxl's reader (its number-format table, date detection and conversion are used as they
are): openpyxl itself builds an object per cell with its style, which took 23 s and 380 MB
for the largest workbook the cell limit allows (480,000 cells), against 2 s for a bare
parse. Strings are unescaped as Excel writes them (`_x000D_` is a carriage return) and
control characters dropped.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import (
    CALENDAR_MAC_1904,
    CALENDAR_WINDOWS_1900,
    from_excel,
    from_ISO8601,
)

from cchc.model import Cell, Paragraph, RawDocument, RawRow, RawTable, Source
from cchc.readers import Limits
from cchc.readers.building import paused_gc, sheet_source
from cchc.readers.controls import strip_controls
from cchc.readers.deadline import Deadline, current
from cchc.readers.zipsafe import (
    check_cells,
    corrupt,
    member_chunks,
    open_zip,
    read_member,
    scan_members,
)

WORKBOOK = "xl/workbook.xml"
SIGNIFICANT = 10  # digits kept of a float, to drop binary noise such as 97.74000000000001
# (a cell stored as an integer, "12345678901" đồng, is kept whole)
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
ROW, C, V, IS, T, R, MERGE = (S + "row", S + "c", S + "v", S + "is", S + "t", S + "r",
                              S + "mergeCell")
WORKSHEET_TYPE = "/worksheet"
ROWS_PER_CHECK = 2000  # rows read between two looks at the deadline
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_REF = re.compile(r"([A-Za-z]{1,3})(\d+)$")

Stored = dict[int, dict[int, tuple[Any, str]]]  # row -> column -> (value, number format)


class Unreadable(Exception):
    """A part that is not what SpreadsheetML says it is."""


def read_xlsx(path: Path, name: str, limits: Limits) -> RawDocument:
    deadline = current(limits.read_seconds, name)
    with open_zip(path, name, "xlsx", limits) as archive:
        if WORKBOOK not in archive.namelist():
            raise corrupt(name, "xlsx", f"thiếu phần {WORKBOOK}")
        # Inflate every member first, without keeping it: a directory that lies about sizes
        # is caught before anything is parsed, and the cells are counted.
        cells = scan_members(archive, name, "xlsx", limits, under="xl/worksheets/",
                             patterns=(b"<c ", b"<c>", b":c "))
        check_cells(name, cells)
        try:
            book = Book(archive, name, limits)
            doc = RawDocument(path=name, format="xlsx")
            with paused_gc():
                for title, part in book.sheets:
                    stored = book.read_sheet(part, deadline)
                    read_sheet(title, stored, name, doc)
        except (etree.XMLSyntaxError, Unreadable, KeyError, ValueError, IndexError,
                OverflowError):
            raise corrupt(name, "xlsx", "không đọc được nội dung bảng tính") from None
    return doc


class Book:
    """The workbook's sheets (title, part), shared strings and number formats."""

    def __init__(self, archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
        self.archive = archive
        self.name = name
        self.limits = limits
        workbook = self.parse(WORKBOOK)
        properties = workbook.find(S + "workbookPr")
        date1904 = properties is not None and properties.get("date1904") in ("1", "true")
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        targets = self.relationships("xl/_rels/workbook.xml.rels")
        self.sheets: list[tuple[str, str]] = []
        for sheet in workbook.iter(S + "sheet"):
            rel_type, part = targets[sheet.get(REL + "id") or ""]
            if rel_type.endswith(WORKSHEET_TYPE):  # chart sheets hold no cells
                self.sheets.append((sheet.get("name") or "", part))
        strings = next((part for kind, part in targets.values()
                        if kind.endswith("/sharedStrings")), None)
        self.strings = self.shared_strings(strings) if strings else []
        styles = next((part for kind, part in targets.values() if kind.endswith("/styles")),
                      None)
        self.formats = self.number_formats(styles) if styles else []

    def parse(self, part: str) -> etree._Element:
        data = read_member(self.archive, part, self.name, "xlsx", self.limits)
        return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True,
                                                      huge_tree=False))

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """{Id: (Type, part name)} of a relationships part, targets made absolute."""
        found: dict[str, tuple[str, str]] = {}
        if part not in self.archive.namelist():
            return found
        base = posixpath.dirname(posixpath.dirname(part))
        for rel in self.parse(part).iter(PKG + "Relationship"):
            target = rel.get("Target") or ""
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(base, target))
            found[rel.get("Id") or ""] = (rel.get("Type") or "", target)
        return found

    def elements(self, part: str, *tags: str) -> Iterator[etree._Element]:
        """The elements of a part with one of `tags` as each ends, dropped after use (with
        the emptied ones before it), so the tree never holds more than a row."""
        parser = etree.XMLPullParser(events=("end",), tag=tags, resolve_entities=False,
                                     no_network=True, huge_tree=False)
        for chunk in member_chunks(self.archive, part, self.name, "xlsx", self.limits):
            parser.feed(chunk)
            yield from self.drained(parser)
        parser.close()
        yield from self.drained(parser)

    @staticmethod
    def drained(parser: etree.XMLPullParser) -> Iterator[etree._Element]:
        for _, item in parser.read_events():
            element = cast(etree._Element, item)  # "end" events only
            yield element
            element.clear()
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]

    def shared_strings(self, part: str) -> list[str]:
        """Each <si>: its text, or the text of its runs (phonetic runs left out)."""
        strings: list[str] = []
        for si in self.elements(part, S + "si"):
            strings.append(rich_text(si))
        return strings

    def number_formats(self, part: str) -> list[str]:
        """The number format of each cell style (cellXfs), as openpyxl names it."""
        styles = self.parse(part)
        custom = {int(f.get("numFmtId") or -1): f.get("formatCode") or ""
                  for f in styles.iter(S + "numFmt")}
        xfs = styles.find(S + "cellXfs")
        formats = []
        for xf in xfs if xfs is not None else ():
            if xf.tag == S + "xf":
                number = int(xf.get("numFmtId") or 0)
                formats.append(custom.get(number) or BUILTIN_FORMATS.get(number, "General"))
        return formats

    def read_sheet(self, part: str, deadline: Deadline) -> Stored:
        """The sheet's stored values by row and column, merged-away cells left out."""
        stored: Stored = {}
        dates = {i for i, fmt in enumerate(self.formats) if is_date_format(fmt)}
        durations = {i for i, fmt in enumerate(self.formats) if is_timedelta_format(fmt)}
        merges: list[tuple[int, int, int, int]] = []
        row_number = 0
        rows = 0
        for element in self.elements(part, ROW, MERGE):
            if element.tag == MERGE:
                merges.append(merge_range(element.get("ref") or ""))
                continue
            row_number = int(float(element.get("r") or row_number + 1))
            column = 0
            for c in element.iter(C):
                ref = c.get("r")
                if ref:
                    at, column = coordinates(ref)
                else:
                    at, column = row_number, column + 1
                value, style = self.value(c, dates, durations)
                if value is not None:
                    fmt = self.formats[style] if style < len(self.formats) else "General"
                    stored.setdefault(at, {})[column] = (value, fmt)
            rows += 1
            if not rows % ROWS_PER_CHECK:
                deadline.check()
        unmerge(stored, merges, deadline)
        return stored

    def value(self, c: etree._Element, dates: set[int], durations: set[int]
              ) -> tuple[Any, int]:
        """(value, style index) of a cell, as openpyxl's reader gives it with data_only."""
        kind = c.get("t", "n")
        style = int(c.get("s") or 0)
        if kind == "inlineStr":
            inline = c.find(IS)
            return (rich_text(inline) if inline is not None else None), style
        raw = None
        for child in c:  # faster than findtext; <v> follows <f> when there is one
            if child.tag == V:
                raw = child.text or None
                break
        if raw is None:
            return None, style
        if kind == "n":
            number: Any = float(raw) if ("." in raw or "e" in raw or "E" in raw) else int(raw)
            if style in dates:
                try:
                    number = from_excel(number, self.epoch, timedelta=style in durations)
                except (OverflowError, ValueError):
                    return "#VALUE!", style
            return number, style
        if kind == "s":
            return self.strings[int(raw)], style
        if kind == "b":
            return bool(int(raw)), style
        if kind == "d":
            return from_ISO8601(raw), style
        return unescape(raw) if kind == "str" else raw, style  # "str": a formula's text


def rich_text(element: etree._Element) -> str:
    pieces = [element.findtext(T) or ""]
    pieces += [run.findtext(T) or "" for run in element.iter(R)]
    return unescape("".join(pieces))


def unescape(text: str) -> str:
    """Excel's escapes for characters XML cannot hold (`_x000D_`, `_x0000_`), then control
    characters out (cchc.readers.controls)."""
    if "_x" in text:
        text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return strip_controls(text)


_COLUMNS: dict[str, int] = {}


def coordinates(ref: str) -> tuple[int, int]:
    """(row, column) of a reference such as "AB12"."""
    found = _REF.match(ref)
    if found is None:
        raise Unreadable(ref)
    letters = found.group(1)
    column = _COLUMNS.get(letters)
    if column is None:
        column = 0
        for letter in letters.upper():
            column = column * 26 + ord(letter) - 64
        _COLUMNS[letters] = column
    return int(found.group(2)), column


def merge_range(ref: str) -> tuple[int, int, int, int]:
    first, _, last = ref.partition(":")
    top, left = coordinates(first)
    bottom, right = coordinates(last) if last else (top, left)
    return top, left, bottom, right


def unmerge(stored: Stored, merges: list[tuple[int, int, int, int]],
            deadline: Deadline) -> None:
    """Drop the values a merged range hides (all but its top-left cell's), as Excel shows
    the range and openpyxl reads it; only stored cells are visited, whatever the range's size."""
    if not merges:
        return
    row_numbers = sorted(stored)
    for top, left, bottom, right in merges:
        for r in row_numbers[bisect_left(row_numbers, top) : bisect_right(row_numbers, bottom)]:
            row = stored[r]
            for col in [c for c in row if left <= c <= right and (r, c) != (top, left)]:
                del row[col]
        deadline.check()


def read_sheet(title: str, stored: Stored, name: str, doc: RawDocument) -> None:
    values = {r: row for r, row in stored.items() if row}
    values = {r: {c: v for c, v in row.items() if not is_empty(v[0])}
              for r, row in values.items()}
    values = {r: row for r, row in values.items() if row}
    if not values:
        return
    first_col = min(min(row) for row in values.values())
    last_col = max(max(row) for row in values.values())
    row_numbers = sorted(values)
    earlier = sum(len(table.rows[0].cells) * len(table.rows) for table in doc.tables
                  if table.rows)
    check_cells(name, earlier + len(row_numbers) * (last_col - first_col + 1))
    rows: list[RawRow] = []
    previous: int | None = None
    in_table = False
    for r in row_numbers:
        found = values[r]
        cells = []
        for c in range(first_col, last_col + 1):
            source = sheet_source(title, r, c)
            cell = found.get(c)
            cells.append(Cell("", source) if cell is None else typed_cell(*cell, source))
        # A blank line between two rows is a physical break the table rebuilder may need.
        rows.append(RawRow(cells, break_before=previous is not None and r > previous + 1))
        previous = r
        if len(found) > 1:
            in_table = True
        elif not in_table:
            text = cells[next(iter(found)) - first_col].text
            doc.paragraphs.append(Paragraph(text, sheet_source(title, r)))
    doc.tables.append(RawTable(rows, len(doc.tables) + 1))


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')  # quoted text, an escaped character, [..]


def percent_sign(number_format: str) -> str:
    """How a number format shows a percent sign: "scaled" (an active %: Excel shows the
    value × 100), "literal" (a quoted or escaped %, shown after the value as it is), or
    "" (none). Only the first section (positive numbers) counts."""
    first = number_format.split(";")[0]
    bare = _LITERAL.sub("", first)
    if "%" in bare:
        return "scaled"
    return "literal" if "%" in first else ""


def typed_cell(value: Any, number_format: str, source: Source) -> Cell:
    if isinstance(value, bool):
        return Cell("TRUE" if value else "FALSE", source)
    if isinstance(value, int | float):
        number = float(value)
        shown = percent_sign(number_format)
        if shown:
            # Excel scales by 100 only for an active %: 0.9774 in "0.00%"; a quoted or
            # escaped % ('0.00"%"', '0.00\\%') is a sign after 97.74 as stored
            number = significant(number * 100 if shown == "scaled" else number)
            return Cell(number_text(number) + "%", source, number=number, is_percent=True)
        if isinstance(value, float):  # a stored integer has no noise: 12345678901 stays
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
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\n" not in text:
        return Cell(text, source)
    return Cell("\n".join(line.strip() for line in text.split("\n")), source)


def significant(number: float) -> float:
    return float(f"{number:.{SIGNIFICANT}g}")


def number_text(number: float) -> str:
    """1241.0 -> "1241", 12.5 -> "12,5": no grouping, a decimal comma."""
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return format(Decimal(repr(number)), "f").replace(".", ",")
