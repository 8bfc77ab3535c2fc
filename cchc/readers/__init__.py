"""Readers: turn a file into a `RawDocument` (paragraphs and tables with sources).

`read_raw(path)` checks the size limit, sniffs the real type from the first bytes (a .docx
renamed .doc is still read), and dispatches to one module per format. Each reader module is
imported only when needed, so `cchc --help` stays fast.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cchc.errors import ReadError
from cchc.model import RawDocument

DEFAULT_MAX_FILE_MB = 20.0
DEFAULT_MAX_UNZIPPED_MB = 200.0
DEFAULT_MAX_PAGES = 300
DEFAULT_CONVERT_SECONDS = 60
# Well inside a 30 s worker timeout: the largest legal files read in under 10 s here
# (docs/PERFORMANCE.md), so only a pathological one meets this.
DEFAULT_READ_SECONDS = 20.0

TEXT_EXTENSIONS = {".txt", ".md", ".text", ".csv", ".tsv"}
EXTENSIONS = {".docx", ".xlsx", ".pdf", ".doc"} | TEXT_EXTENSIONS


@dataclass(frozen=True)
class Limits:
    """Bounds on what a reader accepts; the defaults come from environment variables."""

    max_file_bytes: int
    max_unzipped_bytes: int
    max_pages: int
    convert_seconds: int
    # Time budget of one read; past it the reader stops with "read-timeout" (see deadline.py).
    read_seconds: float = DEFAULT_READ_SECONDS

    @classmethod
    def from_env(cls) -> Limits:
        return cls(
            max_file_bytes=int(_env_float("CCHC_MAX_FILE_MB", DEFAULT_MAX_FILE_MB) * 2**20),
            max_unzipped_bytes=int(
                _env_float("CCHC_MAX_UNZIPPED_MB", DEFAULT_MAX_UNZIPPED_MB) * 2**20),
            max_pages=int(_env_float("CCHC_MAX_PAGES", DEFAULT_MAX_PAGES)),
            convert_seconds=int(_env_float("CCHC_CONVERT_SECONDS", DEFAULT_CONVERT_SECONDS)),
            read_seconds=_env_float("CCHC_READ_SECONDS", DEFAULT_READ_SECONDS),
        )


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ValueError(f"biến môi trường {name} phải là một số, đang là {raw!r}") from exc
    if value <= 0:
        raise ValueError(f"biến môi trường {name} phải lớn hơn 0, đang là {raw!r}")
    return value


def sniff(head: bytes, suffix: str) -> str:
    """The format from the first bytes; the extension decides only between zip formats."""
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "xlsx" if suffix == ".xlsx" else "docx" if suffix in (".docx", ".doc") else "zip"
    if suffix in TEXT_EXTENSIONS or suffix == "":
        return "txt"
    if suffix in (".docx", ".xlsx", ".pdf", ".doc"):
        return "corrupt"
    return "unknown"


def read_raw(path: str | Path, limits: Limits | None = None) -> RawDocument:
    """The file's paragraphs and tables; a `ReadError` when it cannot be read at all.

    The read runs under a time budget (`Limits.read_seconds`), or under the caller's when
    one is already running (`cchc.readers.deadline.budget`), so that a caller can bound
    a whole pipeline of reading, interpreting and checking with one deadline.
    """
    limits = limits or Limits.from_env()
    from cchc.readers.deadline import budget

    with budget(limits.read_seconds, str(path)):
        return _read_raw(path, limits)


def _read_raw(path: str | Path, limits: Limits) -> RawDocument:
    p = Path(path)
    name = str(path)
    if not p.is_file():
        raise ReadError("file-not-found", name)
    size = p.stat().st_size
    if size == 0:
        raise ReadError("file-empty", name)
    if size > limits.max_file_bytes:
        raise ReadError("file-too-large", name, size_mb=round(size / 2**20, 1),
                        limit_mb=round(limits.max_file_bytes / 2**20, 1))
    suffix = p.suffix.lower()
    with p.open("rb") as fh:
        head = fh.read(8)
    kind = sniff(head, suffix)
    if kind == "txt":
        from cchc.readers.text import read_text_file

        return read_text_file(p, name, limits)
    if kind == "docx":
        from cchc.readers.docx import read_docx

        return read_docx(p, name, limits)
    if kind == "xlsx":
        from cchc.readers.xlsx import read_xlsx

        return read_xlsx(p, name, limits)
    if kind == "pdf":
        from cchc.readers.pdf import read_pdf

        return read_pdf(p, name, limits)
    if kind == "doc":
        from cchc.readers.doc import read_doc

        return read_doc(p, name, limits)
    if kind == "corrupt":
        raise ReadError("file-corrupt", name, format=suffix.lstrip("."),
                        detail="phần đầu tệp không khớp với định dạng")
    raise ReadError("format-unsupported", name, ext=suffix or "(không có phần mở rộng)")
