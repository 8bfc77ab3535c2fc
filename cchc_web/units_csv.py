"""Import the org-unit tree from CSV: all lines or none, with a report of every bad line.

Columns (header required, UTF-8, comma or semicolon): ma, ten, loai, ma_cap_tren,
hieu_luc_tu, hieu_luc_den, sap_nhap_vao, email. `loai` is a kind code or its Vietnamese
word (tỉnh, sở, huyện, xã, phường, đặc khu, đơn vị sự nghiệp …); dates are dd/mm/yyyy.
A unit already stored (same code) is updated; parents may come later in the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.db import transaction

from cchc.vietnamese import fold
from cchc_web.models import UNIT_KINDS, Lineage, OrgUnit

COLUMNS = ("ma", "ten", "loai", "ma_cap_tren", "hieu_luc_tu", "hieu_luc_den", "sap_nhap_vao",
           "email")
REQUIRED = ("ma", "ten", "loai")
_KIND_WORDS = {
    "tinh": "province", "thanh pho truc thuoc trung uong": "province",
    "so": "department", "ban": "department", "nganh": "department", "so, ban, nganh": "department",
    "huyen": "district", "thi xa": "district", "quan": "district",
    "thanh pho thuoc tinh": "district",
    "xa": "commune", "phuong": "commune", "thi tran": "commune", "dac khu": "commune",
    "don vi su nghiep": "service_unit", "dvsn": "service_unit",
}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    lineages: int = 0
    problems: list[str] = field(default_factory=list)


def _kind(text: str) -> str | None:
    codes = {k for k, _ in UNIT_KINDS}
    if text.strip() in codes:
        return text.strip()
    return _KIND_WORDS.get(fold(text).strip())


def _date(text: str) -> dt.date:
    return dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()


def import_units(data: bytes) -> ImportResult:
    result = ImportResult()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.problems.append("Tệp không phải UTF-8; hãy lưu lại bằng bảng mã UTF-8.")
        return result
    dialect = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=dialect)
    header = [fold(h or "").strip().replace(" ", "_") for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        result.problems.append(f"Dòng 1: thiếu cột {', '.join(missing)} (cần các cột: "
                               f"{', '.join(COLUMNS)}).")
        return result
    reader.fieldnames = header
    rows: list[tuple[int, dict[str, str]]] = []
    codes_in_file: set[str] = set()
    for number, raw in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        problems = _validate(row)
        if row.get("ma") in codes_in_file:
            problems.append(f"mã {row['ma']} lặp lại trong tệp")
        codes_in_file.add(row.get("ma", ""))
        result.problems += [f"Dòng {number}: {p}." for p in problems]
        rows.append((number, row))
    known = set(OrgUnit.objects.values_list("code", flat=True)) | codes_in_file
    for number, row in rows:
        for column in ("ma_cap_tren", "sap_nhap_vao"):
            ref = row.get(column, "")
            if ref and ref not in known:
                result.problems.append(f"Dòng {number}: {column} “{ref}” không có trong tệp "
                                       "hay trong hệ thống.")
            if ref and ref == row.get("ma"):
                result.problems.append(f"Dòng {number}: {column} trỏ tới chính đơn vị này.")
    result.problems += _cycles(rows)
    if result.problems:
        return result
    with transaction.atomic():
        _write(rows, result)
    return result


def _validate(row: dict[str, str]) -> list[str]:
    problems = [f"thiếu {c}" for c in REQUIRED if not row.get(c)]
    if row.get("loai") and _kind(row["loai"]) is None:
        problems.append(f"loại đơn vị “{row['loai']}” không hợp lệ")
    dates = {}
    for column in ("hieu_luc_tu", "hieu_luc_den"):
        if row.get(column):
            try:
                dates[column] = _date(row[column])
            except ValueError:
                problems.append(f"{column} “{row[column]}” không đúng dạng ngày/tháng/năm")
    if len(dates) == 2 and dates["hieu_luc_tu"] > dates["hieu_luc_den"]:
        problems.append("hiệu lực từ sau hiệu lực đến")
    if row.get("sap_nhap_vao") and not row.get("hieu_luc_den"):
        problems.append("đơn vị sáp nhập vào đơn vị khác cần có hiệu lực đến")
    return problems


def _write(rows: list[tuple[int, dict[str, str]]], result: ImportResult) -> None:
    units: dict[str, OrgUnit] = {}
    for _, row in rows:
        unit = OrgUnit.objects.filter(code=row["ma"]).first()
        if unit is None:
            unit = OrgUnit(code=row["ma"])
            result.created += 1
        else:
            result.updated += 1
        unit.name = row["ten"]
        unit.kind = _kind(row["loai"]) or "commune"
        unit.valid_from = _date(row["hieu_luc_tu"]) if row.get("hieu_luc_tu") else None
        unit.valid_to = _date(row["hieu_luc_den"]) if row.get("hieu_luc_den") else None
        unit.email = row.get("email", "")
        unit.parent = None
        unit.save()
        units[unit.code] = unit
    # Parents after every unit exists, so a file may list children first; saving sets paths.
    pending = [(row, units[row["ma"]]) for _, row in rows if row.get("ma_cap_tren")]
    by_code = {u.code: u for u in OrgUnit.objects.filter(
        code__in=[r["ma_cap_tren"] for r, _ in pending])}
    for row, unit in _top_down(pending):
        unit.parent = by_code.get(row["ma_cap_tren"]) or units[row["ma_cap_tren"]]
        unit.parent.refresh_from_db(fields=["path"])
        unit.save()
    for _, row in rows:
        if row.get("sap_nhap_vao"):
            source = units[row["ma"]]
            target = units.get(row["sap_nhap_vao"]) or OrgUnit.objects.get(code=row["sap_nhap_vao"])
            Lineage.objects.update_or_create(source=source, target=target, defaults={
                "kind": "merged", "date": source.valid_to + dt.timedelta(days=1)
                if source.valid_to else dt.date.today()})
            result.lineages += 1


def _cycles(rows: list[tuple[int, dict[str, str]]]) -> list[str]:
    parents = dict(OrgUnit.objects.filter(parent__isnull=False)
                   .values_list("code", "parent__code"))
    parents.update({row["ma"]: row.get("ma_cap_tren", "") for _, row in rows})
    problems = []
    for number, row in rows:
        seen, code = {row["ma"]}, parents.get(row["ma"], "")
        while code:
            if code in seen:
                problems.append(f"Dòng {number}: cấp trên của {row['ma']} tạo thành vòng lặp.")
                break
            seen.add(code)
            code = parents.get(code, "")
    return problems


def _top_down(pending: list[tuple[dict[str, str], OrgUnit]]
              ) -> list[tuple[dict[str, str], OrgUnit]]:
    """Order units so that each parent's path is set before its children's."""
    children: dict[str, list[tuple[dict[str, str], OrgUnit]]] = {}
    for row, unit in pending:
        children.setdefault(row["ma_cap_tren"], []).append((row, unit))
    in_file = {unit.code for _, unit in pending}
    ordered: list[tuple[dict[str, str], OrgUnit]] = []
    queue = [code for code in children if code not in in_file]
    while queue:
        code = queue.pop(0)
        for row, unit in children.get(code, []):
            ordered.append((row, unit))
            queue.append(unit.code)
    return ordered
