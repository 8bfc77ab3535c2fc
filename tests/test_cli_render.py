"""`cchc render REPORT_FILE --format docx|pdf|xlsx -o OUT`: file in, document out, no
database; exit 0 on success, 2 on unreadable input or a usage mistake, in Vietnamese."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cchc.api import read
from cchc_web.cli import main

SEEDS = Path(__file__).parent / "data" / "seeds"
SEED_004 = SEEDS / "004_e44040b7e1ce7d8e.txt"
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"),
                                   reason="LibreOffice (soffice) is not installed")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["render", *args])


def test_it_writes_the_report_as_docx(tmp_path: Path) -> None:
    out = tmp_path / "bao-cao-228.docx"
    result = run(str(SEED_004), "--format", "docx", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Đã ghi {out} (")
    report = read(out)
    assert report.form_id == "soc-trang-bang-2-2022"
    assert (report.meta.unit, report.meta.number) == ("UBND huyện Kế Sách", "228/BC-UBND")


def test_docx_is_the_default_format(tmp_path: Path) -> None:
    out = tmp_path / "bao-cao.docx"
    assert run(str(SEED_004), "-o", str(out)).exit_code == 0
    with zipfile.ZipFile(out) as package:
        assert "word/document.xml" in package.namelist()


@needs_soffice
def test_it_writes_the_report_as_pdf(tmp_path: Path) -> None:
    out = tmp_path / "bao-cao-228.pdf"
    result = run(str(SEED_004), "--format", "pdf", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


def test_it_writes_the_appendix_as_xlsx(tmp_path: Path) -> None:
    out = tmp_path / "bao-cao-228.xlsx"
    result = run(str(SEED_004), "--format", "xlsx", "-o", str(out))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as package:
        assert "xl/workbook.xml" in package.namelist()


def test_a_dash_writes_the_document_to_standard_output() -> None:
    result = CliRunner().invoke(main, ["render", str(SEED_004), "-o", "-"])
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"PK\x03\x04")


def test_an_unreadable_file_exits_2_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "khong-co.txt"
    out = tmp_path / "out.docx"
    result = run(str(missing), "-o", str(out))
    assert result.exit_code == 2
    assert result.output.strip() == f"Lỗi đọc tệp: {missing}: không tìm thấy tệp"
    assert not out.exists()


def test_without_a_report_file_it_says_what_is_missing() -> None:
    result = run()
    assert result.exit_code == 2
    assert result.output.startswith("Thiếu tệp báo cáo.")


def test_without_an_output_file_it_says_what_is_missing() -> None:
    result = run(str(SEED_004))
    assert result.exit_code == 2
    assert result.output.startswith("Thiếu tệp kết quả (-o TỆP).")


def test_an_unknown_format_is_a_usage_error() -> None:
    result = run(str(SEED_004), "--format", "odt", "-o", "x.odt")
    assert result.exit_code == 2


def test_a_broken_office_template_exits_2_with_its_message(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCHC_TEMPLATE", str(tmp_path / "mau-khong-co.docx"))
    out = tmp_path / "out.docx"
    result = run(str(SEED_004), "-o", str(out))
    assert result.exit_code == 2
    assert result.output.startswith("Không tạo được văn bản: Không tìm thấy tệp mẫu báo cáo")
    assert "Traceback" not in result.output
    assert not out.exists()


def test_an_output_that_cannot_be_written_exits_2(tmp_path: Path) -> None:
    out = tmp_path / "khong-co-thu-muc" / "bao-cao.docx"
    result = run(str(SEED_004), "-o", str(out))
    assert result.exit_code == 2
    assert result.output.startswith(f"Không ghi được tệp {out}: ")
