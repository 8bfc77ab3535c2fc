"""Settings that fail loudly, production safety, and the Vietnamese-locale traps."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation

from cchc_web.models import LoginFailure

ROOT = Path(__file__).resolve().parents[2]


def _start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='cchc_web.settings'; " \
           "django.setup(); print('ok')"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **env}, timeout=60)


@pytest.mark.parametrize(("env", "words"), [
    ({"DJANGO_ENV": "production"}, "DJANGO_SECRET_KEY"),
    ({"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": "x" * 50, "DJANGO_DEBUG": "true"},
     "DJANGO_DEBUG"),
    ({"DJANGO_DEBUG": "maybe"}, "true/false"),
    ({"CCHC_SESSION_SECONDS": "mười"}, "số nguyên"),
])
def test_bad_configuration_refuses_to_start(env: dict[str, str], words: str) -> None:
    result = _start(env)
    assert result.returncode != 0 and words in result.stderr


def test_production_mode_starts_with_secure_cookies(tmp_path: Path) -> None:
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='cchc_web.settings'; "
            "django.setup(); from django.conf import settings as s; "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEBUG, s.SECURE_HSTS_SECONDS)")
    env = {**os.environ, "DJANGO_ENV": "production", "DJANGO_SECRET_KEY": "k" * 50,
           "CCHC_DATA_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env=env, timeout=60, check=True)
    assert out.stdout.split() == ["True", "True", "False", "31536000"]


def test_a_blank_variable_counts_as_unset(tmp_path: Path) -> None:
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='cchc_web.settings'; "
            "django.setup(); from django.conf import settings as s; "
            "print(s.DATABASES['default']['ENGINE'])")
    env = {**os.environ, "DATABASE_URL": " ", "CCHC_DATA_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env=env, timeout=60, check=True)
    assert out.stdout.strip() == "django.db.backends.sqlite3"


def test_numbers_are_shown_with_vietnamese_grouping() -> None:
    with translation.override("vi"):
        assert formats.number_format(1241, use_l10n=True, force_grouping=False) == "1.241"
        assert formats.number_format(97.74, 2, use_l10n=True) == "97,74"
        rendered = Template("{{ n }} hồ sơ, {{ r|floatformat:2 }}%").render(
            Context({"n": 1241, "r": 97.74}))
    assert rendered == "1.241 hồ sơ, 97,74%"


def test_dates_are_read_day_first() -> None:
    from django import forms

    class F(forms.Form):
        day = forms.DateField()

    with translation.override("vi"):
        form = F({"day": "15/12/2022"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"].isoformat() == "2022-12-15"
        assert Template('{{ d|date:"DATE_FORMAT" }}').render(
            Context({"d": form.cleaned_data["day"]})) == "ngày 15 tháng 12 năm 2022"


def test_uploads_are_stored_outside_the_static_root() -> None:
    upload = Path(settings.UPLOAD_DIR).resolve()
    assert not upload.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert not upload.is_relative_to((ROOT / "cchc_web" / "static").resolve())


def test_login_is_throttled_after_repeated_failures(
        tree: dict[str, object], login: Callable[[str], Client]) -> None:
    client = Client()
    url = reverse("login")
    for _ in range(settings.LOGIN_MAX_FAILURES):
        response = client.post(url, {"username": "xa.camhung", "password": "sai"})
        assert "không đúng" in response.content.decode()
    blocked = client.post(url, {"username": "xa.camhung", "password": "xa-camhung-2026"})
    assert "quá 5 lần" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
    LoginFailure.objects.all().delete()
    ok = client.post(url, {"username": "xa.camhung", "password": "xa-camhung-2026"})
    assert ok.status_code == 302


def test_pages_need_csrf(tree: dict[str, object]) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "xa.camhung",
                                              "password": "xa-camhung-2026"})
    assert response.status_code == 403
