"""The demo: the seeds' units and personas, the five seed reports imported as drafts in
their periods, lineage after the reform; and the command that builds it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

from cchc_web.demo import PERSONAS
from cchc_web.models import AuditEvent, Lineage, OrgUnit, SourceFile, Submission

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_imports_every_seed_into_its_unit_and_period(seeded: dict[str, OrgUnit]
                                                              ) -> None:
    got = {(s.unit.name, s.period.label, s.form_id)
           for s in Submission.objects.select_related("unit", "period")}
    assert got == {
        ("Xã Cẩm Hưng", "6 tháng đầu năm 2022", "ha-tinh-phu-luc-1b-2022"),
        ("Thị xã Hương Trà", "Năm 2021", "thua-thien-hue-phu-luc-2021"),
        ("Ban Quản lý Khu du lịch bán đảo Cam Ranh", "6 tháng đầu năm 2021",
         "khanh-hoa-phu-luc-2-2021"),
        ("Huyện Mỹ Tú", "Năm 2022", "soc-trang-bang-2-2022"),
        ("Huyện Kế Sách", "6 tháng đầu năm 2022", "soc-trang-bang-2-2022"),
    }
    camhung = Submission.objects.get(unit__name="Xã Cẩm Hưng")
    assert camhung.entries.get(item_id="1.2").raw == "60"
    assert any(f["code"] == "rate-mismatch" for f in camhung.findings)
    assert SourceFile.objects.count() == 5
    assert AuditEvent.objects.filter(via="import", action="value").count() > 300
    kesach = Submission.objects.get(unit__name="Huyện Kế Sách")
    assert any(f["code"] == "narrative-disagrees" for f in kesach.findings)


def test_the_demo_keeps_old_units_and_links_them_to_the_new_ones(
        seeded: dict[str, OrgUnit]) -> None:
    old = seeded["42.H01.X01"]
    assert old.valid_to is not None and old.valid_to.isoformat() == "2025-06-30"
    assert Lineage.objects.get(source=old).target.name == "Xã Cẩm Hưng"
    assert Lineage.objects.get(source=seeded["94"]).target.name == "Thành phố Cần Thơ"
    assert old.submissions.exists()  # the report stays with the unit that wrote it


def test_the_demo_is_idempotent(seeded: dict[str, OrgUnit]) -> None:
    from cchc.cli import sample_dir
    from cchc_web import demo

    lines = demo.build(sample_dir(), generated=False)
    assert all("đã có" in line for line in lines)
    assert Submission.objects.count() == 5


def test_the_demo_command_builds_a_database_and_prints_the_accounts(tmp_path: Path) -> None:
    env = {**os.environ, "CCHC_DATA_DIR": str(tmp_path / "demo")}
    out = subprocess.run([sys.executable, "-m", "cchc_web.cli", "demo", "--no-serve"],
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "demo" / "cchc.sqlite3").is_file()
    for p in PERSONAS:
        assert f"{p.username}" in out.stdout and p.password in out.stdout
    assert "000_1d532f9d1e3624b0.txt: Xã Cẩm Hưng, 6 tháng đầu năm 2022" in out.stdout


def test_migrations_match_the_models(db: None) -> None:
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_demo_generates_reports_to_aggregate(db: None) -> None:
    """Every commune of Cẩm Xuyên and Kỳ Anh for both 2022 periods (but Cẩm Hưng's annual
    report, the persona's work to do), three more Sóc Trăng districts; some approved, some
    submitted, one late; said to be generated; consistent enough to be sent."""
    from cchc.cli import sample_dir
    from cchc_web import demo, reporting
    from cchc_web.models import Period

    demo.build(sample_dir())
    generated = Submission.objects.filter(doc_number__endswith="(minh họa)")
    assert generated.count() == 16
    assert set(generated.values_list("status", flat=True)) == {"approved", "submitted"}
    assert not generated.filter(error_count__gt=0).exists()
    assert AuditEvent.objects.filter(submission__in=generated, via="import",
                                     comment__contains="không phải số liệu thật").exists()
    assert not Submission.objects.filter(unit__code="42.H01.X01", period__kind="year").exists()
    half = Period.objects.get(kind="half_year", year=2022)
    late = [s for s in generated.filter(period=half) if s.submitted_at
            and s.submitted_at.date() > half.deadline_for(s.unit.level)]
    assert [s.unit.code for s in late] == ["42.H01.X03"]
    district = reporting.aggregate(OrgUnit.objects.get(code="42.H01"), half)
    assert len(district.reported) == 3 and len(district.expected) == 4
    assert district.concepts["plan.tasks.planned"].value
    province = reporting.aggregate(OrgUnit.objects.get(code="42"), half, "submitted")
    assert province.rows  # laid out in the form its units fill
    merged = reporting.aggregate(OrgUnit.objects.get(code="42.X101"), half)
    assert merged.concepts["plan.tasks.planned"].source == "lineage"
    assert merged.concepts["plan.tasks.planned"].value
    # idempotent
    again = demo.build(sample_dir())
    assert again[-2].endswith("đã có trong cơ sở dữ liệu (Huyện Kế Sách, 6 tháng đầu năm 2022)")
    assert "Khóa API mẫu" in again[-1] and "đã có" in again[-1]  # not a second token
