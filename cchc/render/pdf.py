"""A .docx turned into PDF by LibreOffice headless.

Each run has its own LibreOffice profile in a temporary directory
(`-env:UserInstallation=file://…`), so conversions can run in parallel and never touch a
user's profile; a run that outlives `timeout` is killed with its whole process group
(soffice starts soffice.bin as a child). LibreOffice is optional at run time: without it,
`PdfError` says how to install it and that the .docx can be downloaded instead.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from cchc.readers.doc import find_libreoffice, run_bounded
from cchc.render.document import RenderError

DEFAULT_TIMEOUT = 60.0


class PdfError(RenderError):
    """The PDF could not be made (LibreOffice absent, failing, or too slow)."""


def to_pdf(docx: bytes, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    executable = find_libreoffice()
    if executable is None:
        raise PdfError("libreoffice-missing",
                       "Cần LibreOffice để tạo tệp PDF nhưng máy chủ chưa cài (sudo apt-get "
                       "install libreoffice-writer-nogui); hãy tải bản Word (.docx).")
    with tempfile.TemporaryDirectory(prefix="cchc-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "bao-cao.docx"
        source.write_bytes(docx)
        outdir = folder / "out"
        profile = folder / "profile"
        command = [
            executable, f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            "--convert-to", "pdf", "--outdir", str(outdir), str(source),
        ]
        stderr = _run(command, timeout)
        result = outdir / "bao-cao.pdf"
        if not result.is_file() or result.stat().st_size == 0:
            lines = stderr.strip().splitlines()
            detail = lines[-1][:200] if lines else "không có tệp kết quả"
            raise PdfError("pdf-failed",
                           f"LibreOffice không chuyển được văn bản sang PDF: {detail}.")
        return result.read_bytes()


def _run(command: list[str], timeout: float) -> str:
    """Run LibreOffice in its own process group; its stderr."""
    try:
        return run_bounded(command, timeout)
    except subprocess.TimeoutExpired:
        raise PdfError("pdf-timeout",
                       f"LibreOffice chuyển văn bản sang PDF quá {timeout:g} giây nên đã "
                       "dừng; hãy thử lại hoặc tải bản Word (.docx).") from None
