"""Accounts and reminders: changing one's own password (Vietnamese errors, old password
first) and reminder e-mail through Django's mail settings, with failures reported."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from cchc_web.models import LoginFailure, Membership, Notice, Submission
from tests.web.conftest import PASSWORDS

Login = Callable[[str], Client]


def test_an_officer_changes_its_own_password(tree: object, login: Login) -> None:
    client = login("xa.camhung")
    url = reverse("password-change")
    wrong = client.post(url, {"old_password": "sai", "new_password1": "Mat-khau-moi-2026",
                              "new_password2": "Mat-khau-moi-2026"})
    assert "Mật khẩu cũ không chính xác" in wrong.content.decode()
    weak = client.post(url, {"old_password": PASSWORDS["xa.camhung"],
                             "new_password1": "1234", "new_password2": "1234"})
    text = weak.content.decode()
    assert "Mật khẩu quá ngắn: cần ít nhất 8 ký tự." in text and "hoàn toàn là số" in text
    assert "This password" not in text  # nothing left in English
    done = client.post(url, {"old_password": PASSWORDS["xa.camhung"],
                             "new_password1": "Mat-khau-moi-2026",
                             "new_password2": "Mat-khau-moi-2026"}, follow=True)
    assert "Đã đổi mật khẩu." in done.content.decode()
    assert client.get(reverse("home")).status_code == 200  # still logged in
    assert Client().login(username="xa.camhung", password="Mat-khau-moi-2026")
    assert not Client().login(username="xa.camhung", password=PASSWORDS["xa.camhung"])


def test_the_old_password_check_is_throttled_like_the_login(
        tree: object, login: Login) -> None:
    """Five wrong old passwords lock the (user, address) pair: the right one is then not
    checked, the password is not changed, and the login page is locked for the pair too."""
    client = login("xa.camhung")
    url = reverse("password-change")
    new = {"new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"}
    for _ in range(5):
        wrong = client.post(url, {"old_password": "doan-mo", **new})
        assert "Mật khẩu cũ không chính xác" in wrong.content.decode()
    refused = client.post(url, {"old_password": PASSWORDS["xa.camhung"], **new})
    text = refused.content.decode()
    assert "Đã nhập sai mật khẩu 5 lần cho tài khoản này. Hãy thử lại sau 1 phút (lúc " in text
    assert "Đã đổi mật khẩu." not in text
    assert User.objects.get(username="xa.camhung").check_password(PASSWORDS["xa.camhung"])
    page = Client().post(reverse("login"), {"username": "xa.camhung",
                                            "password": PASSWORDS["xa.camhung"]})
    assert "Hãy thử lại sau" in page.content.decode()
    # Failures elsewhere do not count: the officer's colleague changes theirs.
    other = login("xa.kyxuan")
    done = other.post(url, {"old_password": PASSWORDS["xa.kyxuan"], **new}, follow=True)
    assert "Đã đổi mật khẩu." in done.content.decode()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("old_password", "sai\x00", "Mật khẩu hiện tại: Không được chứa ký tự NUL."),
    ("old_password", "x" * 2000, "Mật khẩu hiện tại: Dài quá 1024 ký tự."),
    ("new_password1", "Mat-khau\x00-moi", "Mật khẩu mới: Không được chứa ký tự NUL."),
])
def test_nul_or_overlong_passwords_are_refused_before_any_check(
        tree: object, login: Login, field: str, value: str, message: str) -> None:
    client = login("xa.camhung")
    data = {"old_password": PASSWORDS["xa.camhung"], "new_password1": "Mat-khau-moi-2026",
            "new_password2": "Mat-khau-moi-2026", field: value}
    response = client.post(reverse("password-change"), data)
    assert response.status_code == 200 and message in response.content.decode()
    if field == "old_password":
        assert not LoginFailure.objects.exists()  # nothing was checked


def test_the_password_page_needs_a_login(tree: object) -> None:
    response = Client().get(reverse("password-change"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_reminders_are_mailed_when_mail_is_configured(
        drafts: dict[str, Submission], login: Login, settings: Any) -> None:
    settings.SEND_REMINDER_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    late = drafts["42.H02.X01"].unit  # Xã Kỳ Xuân has not sent
    User.objects.filter(membership__unit=late).update(email="kyxuan@example.vn")
    period = drafts["42.H02.X01"].period
    page = login("tinh.hatinh").post(reverse("remind", kwargs={"period_id": period.pk}),
                                     {"unit": [str(late.pk)]}, follow=True)
    assert "Đã gửi nhắc nhở tới 1 đơn vị." in page.content.decode()
    (message,) = mail.outbox
    assert message.to == ["kyxuan@example.vn"]
    assert message.subject == f"Nhắc gửi báo cáo CCHC {period.label}"
    assert f"Đề nghị {late.name} gửi báo cáo cải cách hành chính {period.label}" in message.body
    assert Notice.objects.filter(user__membership__unit=late).count() == Membership.objects.filter(
        unit=late).count()


def test_a_unit_without_an_address_is_named_and_still_noticed(
        drafts: dict[str, Submission], login: Login, settings: Any) -> None:
    settings.SEND_REMINDER_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    late = drafts["42.H02.X01"].unit
    User.objects.filter(membership__unit=late).update(email="")
    late.email = ""
    late.save()
    period = drafts["42.H02.X01"].period
    page = login("tinh.hatinh").post(reverse("remind", kwargs={"period_id": period.pk}),
                                     {"unit": [str(late.pk)]}, follow=True)
    assert f"Không gửi được thư điện tử tới: {late.name}" in page.content.decode()
    assert not mail.outbox
    assert Notice.objects.filter(user__membership__unit=late).exists()
