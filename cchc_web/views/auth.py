"""Login and changing one's own password, both throttled by cchc_web.throttle (a forgotten
password is reset by an administrator, who knows the officer: no mail needed).

There is one login: the admin's `/quan-tri/login/` is routed to `AdminLogin`, the same view
with the same form, so every password check of the site goes through `throttle.begin`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.urls import reverse, reverse_lazy
from django.views.decorators.debug import sensitive_variables

from cchc_web import throttle

USERNAME_MAX = 150  # User.username
PASSWORD_MAX = 1024  # longer is not a password anyone types, only work for the hasher


def _bound(field: forms.Field, label: str, limit: int) -> None:
    """Vietnamese label, and over-long or NUL-containing input refused in Vietnamese as a
    field error, before the form's clean() (so before any query or password check)."""
    field.label = label
    field.validators = [v for v in field.validators
                        if not isinstance(v, (MaxLengthValidator, ProhibitNullCharactersValidator))]
    field.validators += [MaxLengthValidator(limit, f"Dài quá {limit} ký tự."),
                         ProhibitNullCharactersValidator("Không được chứa ký tự NUL.")]
    field.widget.attrs["maxlength"] = str(limit)


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng.",
        "inactive": "Tài khoản này đã bị khóa.",
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        _bound(self.fields["username"], "Tên đăng nhập", USERNAME_MAX)
        _bound(self.fields["password"], "Mật khẩu", PASSWORD_MAX)

    @sensitive_variables()
    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password"):
            return self.cleaned_data  # the field errors say what is wrong
        assert self.request is not None
        try:
            attempt = throttle.begin(self.request, username)
        except throttle.Throttled as refused:
            raise forms.ValidationError(refused.message, code="throttled") from None
        cleaned = super().clean()  # a ValidationError leaves the attempt as a failure
        attempt.succeeded()
        return cleaned


class Login(LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True


class AdminLogin(Login):
    """The admin's login page: the site's throttled login, going on to `next` or the admin.
    A logged-in officer who is not staff is told so instead of being sent round in a loop
    between the admin and this page."""

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self.redirect_authenticated_user = admin.site.has_permission(request)
        return super().dispatch(request, *args, **kwargs)

    def get_default_redirect_url(self) -> str:
        return reverse("admin:index")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.is_authenticated and not admin.site.has_permission(self.request):
            context["not_staff"] = (
                f"Tài khoản {user.get_username()} không có quyền vào trang quản trị. "
                "Hãy đăng nhập bằng tài khoản quản trị.")
        return context


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """The old password is checked under the same (user, address) throttle as the login."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "Mật khẩu cũ không chính xác. Hãy nhập lại.",
    }

    def __init__(self, user: Any, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request
        for name, label in (("old_password", "Mật khẩu hiện tại"),
                            ("new_password1", "Mật khẩu mới"),
                            ("new_password2", "Nhập lại mật khẩu mới")):
            _bound(self.fields[name], label, PASSWORD_MAX)

    @sensitive_variables("old_password")
    def clean_old_password(self) -> str:
        old_password: str = self.cleaned_data["old_password"]
        try:
            attempt = throttle.begin(self.request, self.user.get_username())
        except throttle.Throttled as refused:
            raise forms.ValidationError(refused.message, code="throttled") from None
        if not self.user.check_password(old_password):
            raise forms.ValidationError(self.error_messages["password_incorrect"],
                                        code="password_incorrect")
        attempt.succeeded()
        return old_password


class PasswordChange(PasswordChangeView):
    """Change one's own password (the old one first); the session stays logged in."""

    form_class = ThrottledPasswordChangeForm
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form: PasswordChangeForm) -> Any:
        messages.success(self.request, "Đã đổi mật khẩu.")
        return super().form_valid(form)
