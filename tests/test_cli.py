"""The `cchc` command: JSON contract, exit statuses, unreadable files, catalog and findings
commands, readable Vietnamese output.

The commands load the catalog in use (`cchc.catalog.load_catalog()`); these tests point
CCHC_CATALOG_DIR at a small catalog written to a temporary folder, so that they do not depend
on the shipped catalog (except the tests that check the shipped catalog itself).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cchc.catalog import Catalog, check_catalog
from cchc.cli import main
from cchc.findings import KINDS

ROOT = Path(__file__).resolve().parent.parent
SEED_004 = ROOT / "tests" / "data" / "seeds" / "004_e44040b7e1ce7d8e.txt"

CONCEPTS_YAML = """\
concepts:
  dossiers.commune.received: {label: "Số hồ sơ TTHC cấp xã đã tiếp nhận", kind: count}
  dossiers.commune.resolved: {label: "Số hồ sơ TTHC cấp xã đã giải quyết xong", kind: count}
  dossiers.commune.on_time: {label: "Số hồ sơ TTHC cấp xã giải quyết đúng hạn", kind: count}
"""

FORM_YAML = """\
id: cli-form
title: Phụ lục thống kê (biểu thử nghiệm dòng lệnh)
issuer: UBND huyện Cẩm Xuyên
province: Hà Tĩnh
levels: [district, commune]
keywords: ["thống kê số liệu"]
items:
  - {code: "1", label: "Cải cách thủ tục hành chính", type: section}
  - code: "1.1"
    label: "Tổng số hồ sơ TTHC đã tiếp nhận"
    unit: "Hồ sơ"
    concept: dossiers.commune.received
  - code: "1.2"
    label: "Tổng số hồ sơ TTHC đã giải quyết xong"
    unit: "Hồ sơ"
    concept: dossiers.commune.resolved
  - code: "1.3"
    label: "Số hồ sơ TTHC giải quyết đúng hạn"
    unit: "Hồ sơ"
    concept: dossiers.commune.on_time
    part_of: ["1.2"]
  - code: "1.4"
    label: "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn"
    unit: "%"
    rate: ["1.3", "1.2"]
  - {code: "1.5", label: "Có ban hành quy chế làm việc của UBND", unit: "Có = 1; Không = 0"}
"""


def report(on_time: str = "1.213", rate: str = "97,74", number: str = "Số: 12/BC-UBND",
           coded: str = "1") -> str:
    lines = [
        "ỦY BAN NHÂN DÂN", "XÃ CẨM HƯNG", number, "Cẩm Hưng, ngày 16 tháng 6 năm 2022",
        "BÁO CÁO",
        "Tình hình, kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2022",
        "Ủy ban nhân dân xã Cẩm Hưng báo cáo kết quả cải cách hành chính như sau:",
        "Trong kỳ, Bộ phận một cửa xã tiếp nhận tổng số 1.241 hồ sơ.",
        "Phụ lục",
        "THỐNG KÊ SỐ LIỆU CẢI CÁCH HÀNH CHÍNH 6 THÁNG ĐẦU NĂM 2022",
        "STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\tGhi chú",
        "1\tCải cách thủ tục hành chính\t\t\t",
        "1.1\tTổng số hồ sơ TTHC đã tiếp nhận\tHồ sơ\t1.241\t",
        "1.2\tTổng số hồ sơ TTHC đã giải quyết xong\tHồ sơ\t1.241\t",
        f"1.3\tSố hồ sơ TTHC giải quyết đúng hạn\tHồ sơ\t{on_time}\t",
        f"1.4\tTỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn\t%\t{rate}\t",
        f"1.5\tCó ban hành quy chế làm việc của UBND\tCó = 1; Không = 0\t{coded}\tQuyết định "
        "số 5/QĐ-UBND",
        "Nơi nhận:",
    ]
    return "\n".join(line for line in lines if line) + "\n"


# ---------------------------------------------------------------- fixtures and helpers


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "catalog"
    (folder / "forms").mkdir(parents=True)
    (folder / "concepts.yaml").write_text(CONCEPTS_YAML, encoding="utf-8")
    (folder / "forms" / "cli-form.yaml").write_text(FORM_YAML, encoding="utf-8")
    return folder


@pytest.fixture
def test_catalog(catalog_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Catalog:
    """The commands use this catalog instead of the shipped one, as an officer sets it."""
    loaded, problems = check_catalog(catalog_dir)
    assert problems == []
    monkeypatch.setenv("CCHC_CATALOG_DIR", str(catalog_dir))
    return loaded


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"COLUMNS": "250"})


def as_json(result: Result) -> dict[str, Any]:
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def only_document(result: Result) -> dict[str, Any]:
    docs = as_json(result)["documents"]
    assert len(docs) == 1
    doc = docs[0]
    assert isinstance(doc, dict)
    return doc


def no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    assert "Traceback" not in result.output


# ---------------------------------------------------------------- read --json

DOCUMENT_KEYS = {"source", "format", "meta", "form", "rows", "narrative"}
META_KEYS = {"unit", "level", "province", "number", "date", "period"}
PERIOD_KEYS = {"kind", "year", "label", "start", "end"}
ROW_KEYS = {"index", "code", "label", "unit", "raw", "value", "kind", "note", "item", "concept",
            "source"}
FINDING_KEYS = {"code", "severity", "row", "item_code", "label", "message", "expected", "actual",
                "related"}


@pytest.mark.usefixtures("test_catalog")
def test_read_json_prints_one_document_with_the_documented_keys(tmp_path: Path) -> None:
    path = write(tmp_path, "bao-cao.txt", report())
    result = invoke("read", "--json", path)
    assert result.exit_code == 0, result.output
    data = as_json(result)
    assert set(data) == {"documents"}
    doc = only_document(result)
    assert set(doc) == DOCUMENT_KEYS
    assert doc["source"] == path
    assert doc["format"] == "txt"
    assert set(doc["meta"]) == META_KEYS
    assert set(doc["meta"]["period"]) == PERIOD_KEYS
    assert doc["form"]["id"] == "cli-form"
    assert all(set(r) == ROW_KEYS for r in doc["rows"])
    assert all(set(n) == {"concept", "value", "text", "source"} for n in doc["narrative"])


@pytest.mark.usefixtures("test_catalog")
def test_read_json_gives_the_metadata_of_the_report(tmp_path: Path) -> None:
    doc = only_document(invoke("read", "--json", write(tmp_path, "r.txt", report())))
    assert doc["meta"] == {
        "unit": "UBND xã Cẩm Hưng", "level": "commune", "province": None,
        "number": "12/BC-UBND", "date": "2022-06-16",
        "period": {"kind": "half_year", "year": 2022, "label": "6 tháng đầu năm 2022",
                   "start": None, "end": None},
    }


@pytest.mark.usefixtures("test_catalog")
def test_read_json_gives_rows_with_raw_text_values_and_sources(tmp_path: Path) -> None:
    doc = only_document(invoke("read", "--json", write(tmp_path, "r.txt", report())))
    rows = {r["code"]: r for r in doc["rows"]}
    assert rows["1.1"] == {
        "index": 1, "code": "1.1", "label": "Tổng số hồ sơ TTHC đã tiếp nhận", "unit": "Hồ sơ",
        "raw": "1.241", "value": 1241, "kind": "number", "note": "", "item": "1.1",
        "concept": "dossiers.commune.received", "source": {"line": 13, "col": 1}}
    assert rows["1.4"]["value"] == 97.74
    assert rows["1.4"]["kind"] == "percent"
    assert rows["1.5"]["kind"] == "coded"
    assert rows["1.5"]["note"] == "Quyết định số 5/QĐ-UBND"
    assert rows["1"]["kind"] == "empty" and rows["1"]["value"] is None


@pytest.mark.usefixtures("test_catalog")
def test_read_json_gives_narrative_figures_with_their_line(tmp_path: Path) -> None:
    doc = only_document(invoke("read", "--json", write(tmp_path, "r.txt", report())))
    assert doc["narrative"] == [{
        "concept": "dossiers.commune.received", "value": 1241,
        "text": "Trong kỳ, Bộ phận một cửa xã tiếp nhận tổng số 1.241 hồ sơ.",
        "source": {"line": 8}}]


@pytest.mark.usefixtures("test_catalog")
def test_read_json_adds_numerator_and_denominator_to_a_fraction_row(tmp_path: Path) -> None:
    doc = only_document(invoke("read", "--json",
                               write(tmp_path, "r.txt", report(rate="1.213/1.241"))))
    rate = next(r for r in doc["rows"] if r["code"] == "1.4")
    assert rate["kind"] == "fraction"
    assert (rate["numerator"], rate["denominator"]) == (1213, 1241)


@pytest.mark.usefixtures("test_catalog")
def test_read_json_gives_both_readings_of_an_ambiguous_number(tmp_path: Path) -> None:
    doc = only_document(invoke("read", "--json", write(tmp_path, "r.txt", report(rate="8.333"))))
    rate = next(r for r in doc["rows"] if r["code"] == "1.4")
    assert rate["kind"] == "ambiguous"
    assert rate["value"] is None
    assert rate["candidates"] == [8333, 8.333]


@pytest.mark.usefixtures("test_catalog")
def test_read_does_not_check(tmp_path: Path) -> None:
    result = invoke("read", "--json", write(tmp_path, "r.txt", report(on_time="1.300")))
    assert result.exit_code == 0
    assert "status" not in only_document(result)
    assert "findings" not in only_document(result)


# ---------------------------------------------------------------- check --json and exit status


@pytest.mark.usefixtures("test_catalog")
def test_check_json_of_a_valid_report_exits_0_with_status_valid(tmp_path: Path) -> None:
    result = invoke("check", "--json", write(tmp_path, "r.txt", report()))
    assert result.exit_code == 0, result.output
    doc = only_document(result)
    assert set(doc) == DOCUMENT_KEYS | {"status", "findings"}
    assert doc["status"] == "valid"
    assert doc["findings"] == []


@pytest.mark.usefixtures("test_catalog")
def test_check_json_of_a_report_with_an_error_exits_1_and_lists_the_finding(
        tmp_path: Path) -> None:
    result = invoke("check", "--json", write(tmp_path, "r.txt", report(rate="90")))
    assert result.exit_code == 1
    doc = only_document(result)
    assert doc["status"] == "invalid"
    [finding] = doc["findings"]
    assert set(finding) == FINDING_KEYS
    assert finding["code"] == "rate-mismatch"
    assert finding["severity"] == "error"
    assert finding["row"] == 4
    assert finding["item_code"] == "1.4"
    assert finding["label"] == ("Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết "
                                "đúng hạn")
    assert finding["expected"] == 97.74
    assert finding["actual"] == 90
    assert finding["related"] == [3, 2]
    assert finding["message"].startswith("Tỷ lệ ghi 90%")


@pytest.mark.usefixtures("test_catalog")
def test_check_json_of_a_report_with_only_warnings_exits_0(tmp_path: Path) -> None:
    result = invoke("check", "--json", write(tmp_path, "r.txt", report(number="")))
    assert result.exit_code == 0
    doc = only_document(result)
    assert doc["status"] == "warnings"
    assert [f["code"] for f in doc["findings"]] == ["missing-number"]


@pytest.mark.usefixtures("test_catalog")
def test_check_without_json_also_exits_1_on_an_error(tmp_path: Path) -> None:
    result = invoke("check", write(tmp_path, "r.txt", report(coded="3")))
    assert result.exit_code == 1


# ---------------------------------------------------------------- unreadable input


@pytest.mark.usefixtures("test_catalog")
def test_an_empty_file_exits_2_with_a_one_line_vietnamese_message(tmp_path: Path) -> None:
    path = write(tmp_path, "rong.txt", "")
    result = invoke("check", path)
    assert result.exit_code == 2
    no_traceback(result)
    lines = result.stderr.strip().splitlines()
    assert lines == [f"Lỗi đọc tệp: {path}: tệp rỗng, không có nội dung"]
    assert result.stdout == ""


@pytest.mark.usefixtures("test_catalog")
def test_a_missing_file_exits_2_naming_the_file(tmp_path: Path) -> None:
    path = str(tmp_path / "khong-co.txt")
    result = invoke("read", path)
    assert result.exit_code == 2
    no_traceback(result)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert path in lines[0] and "không tìm thấy tệp" in lines[0]


@pytest.mark.usefixtures("test_catalog")
def test_a_binary_file_exits_2_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "anh.txt"
    path.write_bytes(bytes(range(256)) * 8)
    result = invoke("check", str(path))
    assert result.exit_code == 2
    no_traceback(result)
    assert str(path) in result.stderr and "nhị phân" in result.stderr


@pytest.mark.usefixtures("test_catalog")
def test_reading_several_files_continues_past_an_unreadable_one(tmp_path: Path) -> None:
    good = write(tmp_path, "tot.txt", report())
    bad = write(tmp_path, "rong.txt", "   \n")
    other = write(tmp_path, "tot-2.txt", report())
    result = invoke("check", "--json", bad, good, other)
    assert result.exit_code == 2
    no_traceback(result)
    docs = as_json(result)["documents"]
    assert [d["source"] for d in docs] == [bad, good, other]
    assert docs[0] == {"source": bad, "status": "unreadable",
                       "error": {"code": "file-empty",
                                 "message": f"{bad}: tệp rỗng, không có nội dung"}}
    assert docs[1]["status"] == docs[2]["status"] == "valid"
    assert docs[1]["rows"] != []


@pytest.mark.usefixtures("test_catalog")
def test_read_json_marks_a_missing_file_unreadable_and_keeps_the_good_one(
        tmp_path: Path) -> None:
    good = write(tmp_path, "tot.txt", report())
    missing = str(tmp_path / "khong-co.txt")
    result = invoke("read", "--json", good, missing)
    assert result.exit_code == 2
    docs = as_json(result)["documents"]
    assert docs[0]["source"] == good and docs[0]["form"]["id"] == "cli-form"
    assert docs[1]["status"] == "unreadable"
    assert docs[1]["error"]["code"] == "file-not-found"


@pytest.mark.usefixtures("test_catalog")
@pytest.mark.parametrize("order", ["bad-first", "bad-last"])
def test_an_unreadable_file_outranks_an_invalid_one_in_the_exit_status(tmp_path: Path,
                                                                        order: str) -> None:
    invalid = write(tmp_path, "loi.txt", report(coded="3"))
    empty = write(tmp_path, "rong.txt", "")
    files = [empty, invalid] if order == "bad-first" else [invalid, empty]
    result = invoke("check", *files)
    assert result.exit_code == 2
    assert "rong.txt" in result.stderr


def test_no_file_argument_is_a_usage_error() -> None:
    result = invoke("check")
    assert result.exit_code == 2
    assert "Usage" in result.output


# ---------------------------------------------------------------- readable output


@pytest.mark.usefixtures("test_catalog")
def test_readable_check_output_has_vietnamese_headings_and_messages(tmp_path: Path) -> None:
    result = invoke("check", write(tmp_path, "r.txt", report(rate="90", number="")))
    assert result.exit_code == 1
    out = result.stdout
    assert "Trạng thái: có lỗi" in out
    assert "Lỗi (1)" in out
    assert "Cảnh báo (1)" in out
    assert "Tỷ lệ ghi 90%" in out and "(rate-mismatch)" in out
    assert "Không tìm thấy số ký hiệu của báo cáo." in out
    assert out.index("Lỗi (1)") < out.index("Cảnh báo (1)")
    assert "Đơn vị: UBND xã Cẩm Hưng" in out
    assert "Kỳ báo cáo: 6 tháng đầu năm 2022" in out


@pytest.mark.usefixtures("test_catalog")
def test_readable_check_output_of_seed_004_lists_its_findings(tmp_path: Path) -> None:
    assert SEED_004.exists()
    result = invoke("check", str(SEED_004))
    assert result.exit_code == 1, result.output  # its narrative's 1.889/5.838 is not 31,81%
    out = result.stdout
    assert "UBND huyện Kế Sách" in out
    assert "Số: 228/BC-UBND" in out
    assert "Kỳ báo cáo: 6 tháng đầu năm 2022" in out
    assert "Trạng thái: có lỗi" in out
    assert "Lỗi (1)" in out and "Ghi 31,81% nhưng 1.889/5.838 = 32,36%" in out
    assert "Cảnh báo (" in out
    assert 'Số thứ tự "6" bị trùng với dòng trước trong cùng mục.' in out
    assert "Thông tin (" in out
    assert "Biểu không khớp biểu mẫu nào trong danh mục" in out


@pytest.mark.usefixtures("test_catalog")
def test_readable_read_output_shows_the_rows(tmp_path: Path) -> None:
    result = invoke("read", write(tmp_path, "r.txt", report()))
    assert result.exit_code == 0
    assert "Tổng số hồ sơ TTHC đã tiếp nhận" in result.stdout
    assert "Biểu mẫu: cli-form" in result.stdout
    assert "Trạng thái" not in result.stdout


# ---------------------------------------------------------------- catalog and findings


def test_catalog_list_on_the_shipped_catalog_exits_0() -> None:
    result = invoke("catalog", "list")
    assert result.exit_code == 0, result.output
    assert "khái niệm dùng chung" in result.stdout


def test_catalog_check_on_the_shipped_catalog_exits_0() -> None:
    result = invoke("catalog", "check")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Danh mục hợp lệ:")


def test_a_catalog_folder_named_in_the_environment_replaces_the_shipped_one(
        test_catalog: Catalog) -> None:
    listed = invoke("catalog", "list")
    assert listed.exit_code == 0, listed.output
    assert "cli-form" in listed.stdout
    assert "ha-tinh-phu-luc-1b-2022" not in listed.stdout
    assert invoke("catalog", "check").stdout.strip() == "Danh mục hợp lệ: 1 biểu mẫu (cli-form)."


@pytest.mark.usefixtures("test_catalog")
def test_catalog_list_lists_each_form_and_the_number_of_concepts() -> None:
    result = invoke("catalog", "list")
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert lines[0].split("\t")[:3] == ["cli-form", "6 chỉ tiêu", "Hà Tĩnh"]
    assert lines[-1] == "3 khái niệm dùng chung"


@pytest.mark.usefixtures("test_catalog")
def test_catalog_show_lists_the_items_of_a_form() -> None:
    result = invoke("catalog", "show", "cli-form")
    assert result.exit_code == 0
    assert "tỷ lệ=1.3/1.2" in result.stdout
    assert "≤1.2" in result.stdout
    missing = invoke("catalog", "show", "khong-co")
    assert missing.exit_code == 2
    assert "khong-co" in missing.stderr


def test_catalog_check_of_a_good_form_file_exits_0(catalog_dir: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCHC_CATALOG_DIR", str(catalog_dir))
    result = invoke("catalog", "check", str(catalog_dir / "forms" / "cli-form.yaml"))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Danh mục hợp lệ: 1 biểu mẫu (cli-form)."


def test_catalog_check_of_a_broken_form_file_exits_1_and_prints_each_problem(
        catalog_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CCHC_CATALOG_DIR", str(catalog_dir))
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "id: broken\ntitle: Biểu hỏng\nlevels: [commune]\nitems:\n"
        "  - {code: '1', label: 'Tổng số hồ sơ', unit: 'Hồ sơ', concept: khong.co}\n"
        "  - {code: '1.1', label: 'Tỷ lệ', unit: '%', rate: ['1.9', '1']}\n"
        "  - {code: '1.1', label: 'Trùng mã', unit: 'Hồ sơ'}\n"
        "rules:\n  - {id: hong, expr: '#{1} <= ('}\n", encoding="utf-8")
    result = invoke("catalog", "check", str(broken))
    assert result.exit_code == 1
    no_traceback(result)
    err = result.stderr
    assert "khái niệm 'khong.co' không có trong concepts.yaml" in err
    assert "trỏ tới mục '1.9' không tồn tại" in err
    assert "mã mục '1.1' bị trùng" in err
    assert "quy tắc 'hong' không hợp lệ" in err
    assert str(broken) in err
    assert "4 lỗi trong danh mục." in err


def test_catalog_check_of_a_form_file_that_is_not_yaml_exits_1(
        catalog_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CCHC_CATALOG_DIR", str(catalog_dir))
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [unclosed\n", encoding="utf-8")
    result = invoke("catalog", "check", str(broken))
    assert result.exit_code == 1
    no_traceback(result)
    assert "tệp YAML không đọc được" in result.stderr


def test_catalog_check_without_a_concepts_file_reports_it_instead_of_crashing(
        catalog_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty = tmp_path / "empty-catalog"
    empty.mkdir()
    monkeypatch.setenv("CCHC_CATALOG_DIR", str(empty))
    result = invoke("catalog", "check", str(catalog_dir / "forms" / "cli-form.yaml"))
    no_traceback(result)
    assert result.exit_code == 1
    assert "concepts.yaml" in result.stderr


def test_findings_lists_every_finding_code_with_its_severity() -> None:
    result = invoke("findings")
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(KINDS)
    listed = {line.split()[0]: line.split()[1] for line in lines}
    assert listed == {code: kind.severity for code, kind in KINDS.items()}
    assert "Tỷ lệ không khớp tử số/mẫu số" in result.stdout


def test_findings_markdown_has_a_table_row_per_code() -> None:
    result = invoke("findings", "--markdown")
    assert result.exit_code == 0
    for code in KINDS:
        assert f"| `{code}` |" in result.stdout


# ---------------------------------------------------------------- the installed command


def test_the_installed_cchc_command_shows_help() -> None:
    exe = ROOT / ".venv" / "bin" / "cchc"
    if not exe.exists():
        exe = Path(sys.executable).with_name("cchc")
    command = str(exe) if exe.exists() else shutil.which("cchc")
    assert command is not None, "the cchc command is not installed"
    done = subprocess.run([command, "--help"], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "cchc" in done.stdout
    for sub in ("read", "check", "catalog", "findings"):
        assert sub in done.stdout
