"""File in, document out: a report file of any readable format rewritten in the standard
layout as .docx, .pdf or .xlsx (the `cchc render` verb, without a database)."""

from __future__ import annotations

from pathlib import Path

from cchc.catalog import Catalog, load_catalog
from cchc.render.document import ReportDocument

FORMATS = ("docx", "pdf", "xlsx")


def render_file(path: str | Path, fmt: str, catalog: Catalog | None = None) -> bytes:
    """The report in `path` as `fmt` bytes. Raises `ReadError` when the file cannot be
    read, `RenderError` when the document cannot be written, ValueError for a format that
    is not one of FORMATS."""
    from cchc.api import read
    from cchc.render.from_report import document_from_report

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    catalog = catalog or load_catalog()
    report = read(path, catalog)
    return render_document(document_from_report(report, catalog), fmt)


def render_document(doc: ReportDocument, fmt: str) -> bytes:
    """A document model as `fmt` bytes, whoever built it (a file, a submission, an
    aggregate)."""
    if fmt == "docx":
        from cchc.render.docx import write_docx

        return write_docx(doc)
    if fmt == "pdf":
        from cchc.render.docx import write_docx
        from cchc.render.pdf import to_pdf

        return to_pdf(write_docx(doc))
    if fmt == "xlsx":
        from cchc.render.xlsx import write_xlsx

        return write_xlsx(doc)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
