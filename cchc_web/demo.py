"""The demo database: the seeds' real units with some siblings, a post-2025 tree with
lineage for Hà Tĩnh, periods, one account per persona, and the five seed reports imported
as drafts through the same path an upload takes.

Unit codes here are demo codes (province number + a sequence), not the official ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from cchc_web import periods, uploads, workflow
from cchc_web.catalog import form_for
from cchc_web.models import Lineage, Membership, OrgUnit

REFORM_END = dt.date(2025, 6, 30)
REFORM_START = dt.date(2025, 7, 1)

# (code, name, kind, parent code, valid_to)
TREE: tuple[tuple[str, str, str, str | None, dt.date | None], ...] = (
    ("42", "Tỉnh Hà Tĩnh", "province", None, None),
    ("42.S01", "Sở Nội vụ tỉnh Hà Tĩnh", "department", "42", None),
    ("42.S02", "Sở Tư pháp tỉnh Hà Tĩnh", "department", "42", None),
    ("42.H01", "Huyện Cẩm Xuyên", "district", "42", REFORM_END),
    ("42.H01.X01", "Xã Cẩm Hưng", "commune", "42.H01", REFORM_END),
    ("42.H01.X02", "Xã Cẩm Thịnh", "commune", "42.H01", REFORM_END),
    ("42.H01.X03", "Xã Cẩm Hà", "commune", "42.H01", REFORM_END),
    ("42.H01.X04", "Thị trấn Cẩm Xuyên", "commune", "42.H01", REFORM_END),
    ("42.H02", "Thị xã Kỳ Anh", "district", "42", REFORM_END),
    ("42.H02.X01", "Xã Kỳ Xuân", "commune", "42.H02", REFORM_END),
    ("42.H02.X02", "Phường Kỳ Trinh", "commune", "42.H02", REFORM_END),
    ("46", "Tỉnh Thừa Thiên Huế", "province", None, None),
    ("46.S01", "Sở Nội vụ tỉnh Thừa Thiên Huế", "department", "46", None),
    ("46.H01", "Thị xã Hương Trà", "district", "46", None),
    ("46.H02", "Thị xã Hương Thủy", "district", "46", None),
    ("56", "Tỉnh Khánh Hòa", "province", None, None),
    ("56.S01", "Sở Nội vụ tỉnh Khánh Hòa", "department", "56", None),
    ("56.D01", "Ban Quản lý Khu du lịch bán đảo Cam Ranh", "service_unit", "56", None),
    ("56.H01", "Thành phố Cam Ranh", "district", "56", None),
    ("94", "Tỉnh Sóc Trăng", "province", None, REFORM_END),
    ("94.H01", "Huyện Mỹ Tú", "district", "94", REFORM_END),
    ("94.H02", "Huyện Kế Sách", "district", "94", REFORM_END),
    ("94.H03", "Huyện Châu Thành", "district", "94", REFORM_END),
    ("94.H04", "Huyện Long Phú", "district", "94", REFORM_END),
    ("94.H05", "Huyện Mỹ Xuyên", "district", "94", REFORM_END),
    ("92", "Thành phố Cần Thơ", "province", None, None),
)
# After 1 July 2025 (two-level government): communes directly under the province, formed by
# merging the old ones. The mergers here illustrate lineage; they are demo data.
AFTER: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("42.X101", "Xã Cẩm Hưng", "commune", "42", ("42.H01.X01", "42.H01.X02", "42.H01.X03")),
    ("42.X102", "Xã Cẩm Xuyên", "commune", "42", ("42.H01.X04",)),
    ("42.X103", "Phường Kỳ Anh", "commune", "42", ("42.H02.X01", "42.H02.X02")),
    ("92.X101", "Xã Kế Sách", "commune", "92", ("94.H02",)),
)
PROVINCE_MERGERS = (("94", "92"),)  # Sóc Trăng into Cần Thơ


@dataclass(frozen=True)
class Persona:
    username: str
    name: str
    unit: str
    role: str
    password: str
    what: str


PERSONAS = (
    Persona("quantri", "Quản trị hệ thống", "42", "admin", "quantri-cchc-2026",
            "quản trị: cây đơn vị, kỳ báo cáo, tài khoản, mở lại báo cáo đã duyệt"),
    Persona("tinh.hatinh", "Nguyễn Thị Hoa", "42", "reviewer", "tinh-hatinh-2026",
            "cán bộ Sở Nội vụ tỉnh Hà Tĩnh: xem và duyệt báo cáo toàn tỉnh"),
    Persona("huyen.camxuyen", "Trần Văn Minh", "42.H01", "reviewer", "huyen-camxuyen-2026",
            "cán bộ huyện Cẩm Xuyên: duyệt báo cáo các xã trong huyện"),
    Persona("xa.camhung", "Lê Thị Lan", "42.H01.X01", "reporter", "xa-camhung-2026",
            "cán bộ xã Cẩm Hưng: lập và gửi báo cáo của xã"),
    Persona("xa.kyxuan", "Phạm Văn Nam", "42.H02.X01", "reporter", "xa-kyxuan-2026",
            "cán bộ xã Kỳ Xuân (không liên quan tới huyện Cẩm Xuyên)"),
    Persona("tx.huongtra", "Hoàng Văn Tuấn", "46.H01", "reporter", "tx-huongtra-2026",
            "cán bộ thị xã Hương Trà, Thừa Thiên Huế"),
    Persona("tinh.hue", "Đặng Thị Mai", "46", "reviewer", "tinh-hue-2026",
            "cán bộ Sở Nội vụ tỉnh Thừa Thiên Huế"),
    Persona("bql.camranh", "Võ Văn Hải", "56.D01", "reporter", "bql-camranh-2026",
            "cán bộ Ban Quản lý Khu du lịch bán đảo Cam Ranh, Khánh Hòa"),
    Persona("huyen.mytu", "Lý Thị Thu", "94.H01", "reporter", "huyen-mytu-2026",
            "cán bộ huyện Mỹ Tú, Sóc Trăng"),
    Persona("huyen.kesach", "Thạch Văn Sơn", "94.H02", "reporter", "huyen-kesach-2026",
            "cán bộ huyện Kế Sách, Sóc Trăng"),
    Persona("tinh.soctrang", "Trương Thị Ngọc", "94", "reviewer", "tinh-soctrang-2026",
            "cán bộ Sở Nội vụ tỉnh Sóc Trăng"),
)

# The seed reports: which unit wrote each and for which period (tests/data/SOURCES.md).
SEEDS = (
    ("000_1d532f9d1e3624b0.txt", "42.H01.X01", ("half_year", 2022, None)),
    ("001_c4ef7157335a1835.txt", "46.H01", ("year", 2021, None)),
    ("002_807bea0d791532b5.txt", "56.D01", ("half_year", 2021, None)),
    ("003_ef872df5074eaa33.txt", "94.H01", ("year", 2022, None)),
    ("004_e44040b7e1ce7d8e.txt", "94.H02", ("half_year", 2022, None)),
)
PERIODS = (("half_year", 2021, None), ("year", 2021, None), ("half_year", 2022, None),
           ("year", 2022, None), ("quarter", 2026, 4), ("year", 2026, None))


def build_tree() -> dict[str, OrgUnit]:
    units: dict[str, OrgUnit] = {}
    for code, name, kind, parent, valid_to in TREE:
        unit, _ = OrgUnit.objects.update_or_create(code=code, defaults={
            "name": name, "kind": kind, "parent": units.get(parent or ""),
            "valid_to": valid_to})
        units[code] = unit
    for code, name, kind, parent, sources in AFTER:
        unit, _ = OrgUnit.objects.update_or_create(code=code, defaults={
            "name": name, "kind": kind, "parent": units[parent], "valid_from": REFORM_START})
        units[code] = unit
        for source in sources:
            Lineage.objects.update_or_create(source=units[source], target=unit, defaults={
                "kind": "merged", "date": REFORM_START,
                "basis": "Nghị quyết của UBTVQH về sắp xếp đơn vị hành chính cấp xã "
                         "(dữ liệu minh họa)"})
    for old, new in PROVINCE_MERGERS:
        Lineage.objects.update_or_create(source=units[old], target=units[new], defaults={
            "kind": "merged", "date": REFORM_START,
            "basis": "Nghị quyết số 202/2025/QH15 về sắp xếp đơn vị hành chính cấp tỉnh"})
    return units


def build_accounts(units: dict[str, OrgUnit]) -> None:
    User = get_user_model()
    for p in PERSONAS:
        user, _ = User.objects.get_or_create(username=p.username)
        # The whole name in first_name: get_full_name() then shows it in Vietnamese order.
        user.first_name, user.last_name = p.name, ""
        user.email = f"{p.username}@demo.cchc.invalid"
        user.is_staff = p.role == "admin"
        user.is_superuser = p.role == "admin"
        user.set_password(p.password)
        user.save()
        Membership.objects.update_or_create(user=user, defaults={"unit": units[p.unit],
                                                                 "role": p.role})


def build(seed_dir: Path, generated: bool = True) -> list[str]:
    """Build the whole demo; returns one line per imported seed and generated report
    (Vietnamese). `generated`: also the generated reports of cchc_web.demo_reports."""
    lines = []
    with transaction.atomic():
        for kind, year, number in PERIODS:
            periods.ensure(kind, year, number)
        units = build_tree()
        build_accounts(units)
    User = get_user_model()
    for name, unit_code, (kind, year, number) in SEEDS:
        unit = units[unit_code]
        period = periods.ensure(kind, year, number)
        the_form = form_for(unit, period)
        if the_form is None:
            raise RuntimeError(f"Không có biểu mẫu cho {unit.name}, {period.label}")
        # the persona who writes the unit's reports (an administrator may since have added
        # other reporters to the unit: the demo must still start)
        persona = next(p.username for p in PERSONAS if p.unit == unit_code
                       and p.role == "reporter")
        writer = User.objects.get(username=persona)
        submission = workflow.open_draft(unit.pk, period.pk, the_form.id, writer, via="import")
        if submission.files.exists():
            lines.append(f"{name}: đã có trong cơ sở dữ liệu ({unit.name}, {period.label})")
            continue
        written = uploads.import_file(seed_dir / name, submission, writer)
        submission.refresh_from_db()
        lines.append(f"{name}: {unit.name}, {period.label}: {written.words()}; "
                     f"{submission.error_count} lỗi, {submission.warning_count} cảnh báo")
    if generated:
        from cchc_web import demo_reports

        lines += demo_reports.build()
    lines.append(demo_token())
    return lines


def demo_token() -> str:
    """A read-only API token of the province persona, for trying the API (docs/api.md);
    its secret is shown once, here."""
    from cchc_web.api.keys import issue

    user = get_user_model().objects.get(username="tinh.hatinh")
    name = "Khóa mẫu của bản demo (chỉ đọc)"
    if user.api_tokens.filter(name=name, revoked_at__isnull=True).exists():
        return ("Khóa API mẫu của tinh.hatinh: đã có (khóa chỉ hiện một lần; tạo khóa mới ở "
                "trang “Khóa truy cập API”).")
    made = issue(user, name, days=30, read_only=True)
    return (f"Khóa API mẫu (chỉ đọc, 30 ngày) của tinh.hatinh: {made.secret} — dùng: "
            "curl -H 'Authorization: Bearer <khóa>' http://127.0.0.1:8000/api/v1/units")
