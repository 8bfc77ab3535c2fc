"""Plain-text and Markdown reports, as produced by copying or extracting Word/PDF files.

Two table layouts are found in real extractions:

* row per line: cells separated by tabs (`1.1.\tSố nhiệm vụ\tNhiệm vụ\t34\t`); blank lines
  mark page breaks, header rows are repeated after them;
* cell per line: every cell on its own tab-prefixed line, a blank line between rows, a cell
  wrapping onto following lines without a tab (the Hà Tĩnh seed).

Everything outside the table is narrative, one paragraph per non-empty line, with its line
number. Text is UTF-8 or UTF-16 (with a byte-order mark); anything else is refused.
"""

from __future__ import annotations

import re
from pathlib import Path

from cchc.errors import ReadError
from cchc.model import Cell, Paragraph, RawDocument, RawRow, RawTable, Source
from cchc.vietnamese import clean, fold, strip_markup

_HEADING = re.compile(r"^\s*#{1,6}\s*")
_HEADER_WORDS = ("stt", "thu tu")


def decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReadError("encoding-unknown", name) from exc
    if b"\x00" in data[:4096]:
        # UTF-16 without a byte-order mark: every other byte of ASCII text is NUL.
        sample = data[:4096]
        if sample[1::2].count(0) > len(sample) * 0.4:
            return _decode_utf16(data, "utf-16-le", name)
        if sample[0::2].count(0) > len(sample) * 0.4:
            return _decode_utf16(data, "utf-16-be", name)
        raise ReadError("file-binary", name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReadError("encoding-unknown", name) from exc


def _decode_utf16(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ReadError("encoding-unknown", name) from exc


def read_text_file(path: Path, name: str) -> RawDocument:
    text = decode(path.read_bytes(), name)
    if not text.strip():
        raise ReadError("file-empty", name)
    if _control_chars(text) > max(20, len(text) // 100):
        raise ReadError("file-binary", name)
    return read_text(text, name)


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _control_chars(text: str) -> int:
    return len(_CONTROL.findall(text))


def read_text(text: str, name: str = "<text>") -> RawDocument:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    doc = RawDocument(path=name, format="txt")
    if sum(1 for ln in lines if ln.count("\t") >= 2) >= 3:
        table_lines = _row_per_line(lines, doc)
    else:
        table_lines = _cell_per_line(lines, doc)
    for n, line in enumerate(lines, start=1):
        if n in table_lines:
            continue
        para = clean(_HEADING.sub("", line))
        if para:
            doc.paragraphs.append(Paragraph(para, Source(line=n)))
    return doc


def _cells_of_line(line: str, n: int) -> list[Cell]:
    return [Cell(strip_markup(part).strip(), Source(line=n, col=c))
            for c, part in enumerate(line.split("\t"), start=1)]


def _row_per_line(lines: list[str], doc: RawDocument) -> set[int]:
    """Tables whose rows are tab-separated lines; returns the line numbers used."""
    used: set[int] = set()
    table: RawTable | None = None
    blank_run = 0
    for n, line in enumerate(lines, start=1):
        if line.count("\t") >= 2 or (table is not None and line.count("\t") == 1):
            if table is None:
                table = RawTable(rows=[], index=len(doc.tables) + 1)
                doc.tables.append(table)
            table.rows.append(RawRow(_cells_of_line(line, n), break_before=blank_run > 0))
            used.add(n)
            blank_run = 0
        elif not line.strip():
            blank_run += 1
        else:
            table = None  # narrative text ends the table
            blank_run = 0
    return used


def _cell_per_line(lines: list[str], doc: RawDocument) -> set[int]:
    """Tables written one cell per tab-prefixed line (rows separated by blank lines)."""
    used: set[int] = set()
    n = 0
    while n < len(lines):
        if _starts_header(lines, n):
            n = _read_cell_table(lines, n, doc, used)
        else:
            n += 1
    return used


def _starts_header(lines: list[str], n: int) -> bool:
    if not lines[n].startswith("\t"):
        return False
    first = fold(lines[n]).strip()
    if first not in _HEADER_WORDS:
        return False
    nxt = fold(lines[n + 1]) if n + 1 < len(lines) else ""
    return "chi tieu" in nxt or "noi dung" in nxt


def _read_cell_table(lines: list[str], start: int, doc: RawDocument, used: set[int]) -> int:
    table = RawTable(rows=[], index=len(doc.tables) + 1)
    doc.tables.append(table)
    cells: list[Cell] = []
    blank_run = 0
    pending_break = False
    n = start
    while n < len(lines):
        line = lines[n]
        lineno = n + 1
        if not line.strip() and not line.startswith("\t"):
            if cells:
                table.rows.append(RawRow(cells, break_before=pending_break))
                cells, pending_break = [], False
            blank_run += 1
            n += 1
            continue
        if not cells:
            if not line.startswith("\t"):
                break  # a row must start with a cell: the table has ended
            pending_break = blank_run >= 2
            blank_run = 0
        if line.startswith("\t"):
            cells.append(Cell(strip_markup(line[1:]).strip(), Source(line=lineno,
                                                                       col=len(cells) + 1)))
        else:
            cells[-1].text = (cells[-1].text + "\n" + strip_markup(line).strip()).strip()
        used.add(lineno)
        n += 1
    if cells:
        table.rows.append(RawRow(cells, break_before=pending_break))
    return n
