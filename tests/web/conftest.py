"""Fixtures for the web tests: the demo data (real seed units and personas), a logged-in
client per persona, and uploads kept in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from cchc.cli import sample_dir
from cchc_web import demo
from cchc_web.models import OrgUnit, Submission

PASSWORDS = {p.username: p.password for p in demo.PERSONAS}


@pytest.fixture(autouse=True)
def _uploads(settings: Any, tmp_path: Path) -> None:
    settings.UPLOAD_DIR = tmp_path / "uploads"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    (tmp_path / "upload-tmp").mkdir()
    settings.LOGIN_MAX_FAILURES = 5
    # Real hashing costs ~0.3 s a login; tests check access, not the hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tree(db: None) -> dict[str, OrgUnit]:
    """The demo tree, periods and personas, without the seed reports (fast)."""
    from cchc_web import periods

    for kind, year, number in demo.PERIODS:
        periods.ensure(kind, year, number)
    units = demo.build_tree()
    demo.build_accounts(units)
    return units


@pytest.fixture
def seeded(db: None) -> dict[str, OrgUnit]:
    """The demo with the five seed reports imported as drafts (without the generated
    reports of demo_reports, which test_demo builds)."""
    demo.build(sample_dir(), generated=False)
    return {u.code: u for u in OrgUnit.objects.all()}


@pytest.fixture
def login() -> Callable[[str], Client]:
    def make(username: str) -> Client:
        client = Client()
        assert client.login(username=username, password=PASSWORDS[username]), username
        return client
    return make


def submission_of(code: str) -> Submission:
    return Submission.objects.select_related("unit", "period").get(unit__code=code)


@pytest.fixture
def drafts(tree: dict[str, OrgUnit], settings: Any) -> dict[str, Submission]:
    """Drafts for 6 tháng 2022 of Xã Cẩm Hưng and of the unrelated Xã Kỳ Xuân, each with a
    value and a kept source file."""
    from django.contrib.auth.models import User

    from cchc_web import periods, workflow
    from cchc_web.catalog import form_for
    from cchc_web.editing import Change, save
    from cchc_web.models import SourceFile

    period = periods.ensure("half_year", 2022)
    out = {}
    for code, username in (("42.H01.X01", "xa.camhung"), ("42.H02.X01", "xa.kyxuan")):
        unit = tree[code]
        the_form = form_for(unit, period)
        assert the_form is not None
        user = User.objects.get(username=username)
        s = workflow.open_draft(unit.pk, period.pk, the_form.id, user)
        save(s.pk, user, [Change("value", "1.2.1", "", "25"), Change("value", "1.2.2", "", "24")])
        folder = Path(settings.UPLOAD_DIR, str(s.pk))
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "goc.txt").write_text(f"báo cáo gốc của {unit.name}", encoding="utf-8")
        SourceFile.objects.create(submission=s, name=f"{code}.txt", stored=f"{s.pk}/goc.txt",
                                  sha256="0" * 64, size=10, uploaded_by=user)
        out[code] = s
    return out
