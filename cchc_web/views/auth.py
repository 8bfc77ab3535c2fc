"""Login with throttling: after too many failures for a user name or an address, further
attempts are refused for a while, whatever the password. Changing one's own password (a
forgotten one is reset by an administrator, who knows the officer: no mail needed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.http import HttpRequest
from django.urls import reverse_lazy
from django.utils import timezone

from cchc_web.models import LoginFailure


def _keys(request: HttpRequest, username: str) -> list[str]:
    address = request.META.get("REMOTE_ADDR", "")
    return [f"user:{username.strip().lower()}", f"addr:{address}"]


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng.",
        "inactive": "Tài khoản này đã bị khóa.",
    }

    def clean(self) -> dict[str, Any]:
        request = self.request
        assert request is not None
        username = self.data.get("username", "")
        since = timezone.now() - dt.timedelta(seconds=settings.LOGIN_LOCK_SECONDS)
        keys = _keys(request, username)
        LoginFailure.objects.filter(at__lt=since).delete()
        failures = max(LoginFailure.objects.filter(key=k, at__gte=since).count() for k in keys)
        if failures >= settings.LOGIN_MAX_FAILURES:
            minutes = max(1, settings.LOGIN_LOCK_SECONDS // 60)
            raise forms.ValidationError(
                f"Đăng nhập sai quá {settings.LOGIN_MAX_FAILURES} lần. Hãy thử lại sau "
                f"{minutes} phút.", code="throttled")
        try:
            return super().clean()
        except forms.ValidationError:
            LoginFailure.objects.bulk_create(LoginFailure(key=k) for k in keys)
            raise


class Login(LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> Any:
        LoginFailure.objects.filter(key=_keys(self.request, form.get_user().get_username())[0]
                                    ).delete()
        return super().form_valid(form)


class PasswordChange(PasswordChangeView):
    """Change one's own password (the old one first); the session stays logged in."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: PasswordChangeForm) -> Any:
        messages.success(self.request, "Đã đổi mật khẩu.")
        return super().form_valid(form)
