"""Read a legacy .doc by converting it to .docx with LibreOffice, then reading that.

`convert_with_libreoffice` is also the way to turn a .docx into a .pdf. Each run gets its
own LibreOffice profile in a temporary directory, so runs can go in parallel and never
touch the user's profile; a run that outlives its time is killed with its whole process
group (soffice starts soffice.bin as a child).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from cchc.errors import ReadError
from cchc.model import RawDocument
from cchc.readers import Limits

EXECUTABLES = ("soffice", "libreoffice")


def read_doc(path: Path, name: str, limits: Limits) -> RawDocument:
    from cchc.readers.docx import read_docx

    with tempfile.TemporaryDirectory(prefix="cchc-doc-") as tmp:
        converted = convert_with_libreoffice(path, "docx", Path(tmp), limits.convert_seconds,
                                             name=name)
        doc = read_docx(converted, name, limits)
    doc.format = "doc"
    return doc


def find_libreoffice() -> str | None:
    for executable in EXECUTABLES:
        found = shutil.which(executable)
        if found:
            return found
    return None


def convert_with_libreoffice(src: Path, target_ext: str, outdir: Path, seconds: int,
                             *, name: str | None = None) -> Path:
    """Convert `src` into `outdir` (e.g. target_ext "docx", "pdf", "doc"); return the file.

    Raises ReadError "libreoffice-missing", "conversion-timeout" or "conversion-failed",
    naming `name` (default: the source's file name).
    """
    label = name or src.name
    executable = find_libreoffice()
    if executable is None:
        raise ReadError("libreoffice-missing", label)
    extension = target_ext.split(":", 1)[0]
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cchc-lo-profile-") as profile:
        command = [
            executable,
            f"-env:UserInstallation={Path(profile).resolve().as_uri()}",
            "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            "--convert-to", target_ext, "--outdir", str(outdir), str(src.resolve()),
        ]
        stderr = run(command, seconds, label)
    result = outdir / f"{src.stem}.{extension}"
    if not result.is_file() or result.stat().st_size == 0:
        detail = stderr.strip().splitlines()[-1][:200] if stderr.strip() else "không có tệp kết quả"
        raise ReadError("conversion-failed", label, detail=detail)
    return result


def run(command: list[str], seconds: float, label: str) -> str:
    """Run LibreOffice in its own process group; return its stderr (ReadError when it
    takes longer than `seconds`)."""
    try:
        return run_bounded(command, seconds)
    except subprocess.TimeoutExpired:
        raise ReadError("conversion-timeout", label, seconds=seconds) from None


def run_bounded(command: list[str], seconds: float) -> str:
    """Run a converter in its own process group and return its stderr; past `seconds`
    the whole group is killed and TimeoutExpired raised (the readers and the PDF writer
    both run LibreOffice this way)."""
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, err = process.communicate(timeout=seconds)
    except BaseException:
        kill_group(process)
        raise
    return err.decode("utf-8", "replace")


def kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
