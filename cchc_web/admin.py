"""The Django admin, in Vietnamese (LANGUAGE_CODE = "vi"), for administrators only.

Access: only superusers and members with the admin role are staff (see demo/accounts).
Changes made here to submissions go through the same audit as the web pages: values are
not editable here; workflow reopen is a page action with a reason.

Every column, filter and form label is Vietnamese: a model field without a Vietnamese
verbose_name is shown through a callable or a form label here. Django's own strings that its
Vietnamese catalog lacks are in cchc_web/locale/vi. Filters show no counts ("Show counts"
costs a query per choice and is English in Django's catalog).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db.models import Field, QuerySet
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import format_lazy

from cchc_web.catalog import form as catalog_form
from cchc_web.checking import item_of
from cchc_web.models import (
    ApiToken,
    AuditEvent,
    Deadline,
    Lineage,
    Membership,
    OrgUnit,
    Period,
    Submission,
)
from cchc_web.views.audit import describe

SEVERITY_WORDS = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Thông tin"}
PERMISSION_VERBS = {"add": "Thêm", "change": "Sửa", "delete": "Xóa", "view": "Xem"}
# Django's search box and empty history speak English or "admin" in templates that its
# catalog cannot reach; these extend Django's own and replace just those parts.
CHANGE_LIST = "admin/cchc_web/change_list.html"
OBJECT_HISTORY = "admin/cchc_web/object_history.html"


def titled(title: str, base: type[admin.FieldListFilter] = admin.ChoicesFieldListFilter
           ) -> type[admin.FieldListFilter]:
    """A list filter on a model field, with a Vietnamese title (the field has none)."""
    class Titled(base):  # type: ignore[misc,valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.title = title
    return Titled


def yes_no(value: bool) -> SafeString:
    """Django's boolean icon, with Vietnamese alternative text (Django writes True/False)."""
    icon = static(f"admin/img/icon-{'yes' if value else 'no'}.svg")
    return format_html('<img src="{}" alt="{}">', icon, "Có" if value else "Không")


def local_time(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%H:%M:%S %d/%m/%Y") if moment else "—"


def day(value: dt.date | None) -> str:
    """A date the short way people write it (the admin writes "ngày 1 tháng 7 năm 2025")."""
    return value.strftime("%d/%m/%Y") if value else "—"


class VietnameseAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Filters without counts; `labels` name the form fields whose model field has no
    Vietnamese verbose_name."""

    show_facets = admin.ShowFacets.NEVER
    change_list_template = CHANGE_LIST
    object_history_template = OBJECT_HISTORY
    labels: dict[str, str] = {}

    class Media:
        css = {"all": ["cchc/admin.css"]}

    def get_form(self, request: Any, obj: Any = None, change: bool = False,
                 **kwargs: Any) -> Any:
        if self.labels:
            kwargs.setdefault("labels", self.labels)
        return super().get_form(request, obj, change=change, **kwargs)


@admin.register(OrgUnit)
class OrgUnitAdmin(VietnameseAdmin):
    list_display = ("name", "code", "kind", "parent", "from_day", "to_day")
    list_filter = ("kind",)
    list_select_related = ("parent",)
    search_fields = ("name", "code")

    @admin.display(description="Hiệu lực từ", ordering="valid_from")
    def from_day(self, obj: OrgUnit) -> str:
        return day(obj.valid_from)

    @admin.display(description="Hiệu lực đến", ordering="valid_to")
    def to_day(self, obj: OrgUnit) -> str:
        return day(obj.valid_to)


@admin.register(Lineage)
class LineageAdmin(VietnameseAdmin):
    list_display = ("source", "kind", "target", "on_day")
    list_filter = ("kind",)
    list_select_related = ("source", "target")

    @admin.display(description="Ngày hiệu lực", ordering="date")
    def on_day(self, obj: Lineage) -> str:
        return day(obj.date)


class DeadlineInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Deadline  # admin.css hides Django's English name of each row ("Deadline object")
    extra = 0


@admin.register(Period)
class PeriodAdmin(VietnameseAdmin):
    list_display = ("label", "kind", "the_year", "from_day", "to_day", "data_from_day",
                    "data_to_day")
    list_filter = ("kind", "year")
    inlines = [DeadlineInline]

    @admin.display(description="Kỳ báo cáo")
    def label(self, obj: Period) -> str:
        return obj.label

    @admin.display(description="Năm", ordering="year")
    def the_year(self, obj: Period) -> str:
        return str(obj.year)  # a year, not the number 2.022

    @admin.display(description="Từ ngày", ordering="start")
    def from_day(self, obj: Period) -> str:
        return day(obj.start)

    @admin.display(description="Đến ngày", ordering="end")
    def to_day(self, obj: Period) -> str:
        return day(obj.end)

    @admin.display(description="Số liệu từ ngày", ordering="data_from")
    def data_from_day(self, obj: Period) -> str:
        return day(obj.data_from)

    @admin.display(description="Số liệu đến ngày", ordering="data_to")
    def data_to_day(self, obj: Period) -> str:
        return day(obj.data_to)


@admin.register(Membership)
class MembershipAdmin(VietnameseAdmin):
    list_display = ("account", "full_name", "unit", "role")
    list_filter = ("role",)
    list_select_related = ("user", "unit")
    search_fields = ("user__username", "user__first_name", "unit__name")
    labels = {"user": "Tài khoản"}

    @admin.display(description="Tài khoản", ordering="user__username")
    def account(self, obj: Membership) -> str:
        return obj.user.get_username()

    @admin.display(description="Họ và tên")
    def full_name(self, obj: Membership) -> str:
        return obj.user.get_full_name() or "—"  # type: ignore[attr-defined,no-any-return]


@admin.register(ApiToken)
class ApiTokenAdmin(VietnameseAdmin):
    """Tokens are listed and revoked here; a secret is shown once, when it is made (on the
    user's page or with `cchc token create`), so it cannot be made or read here."""

    list_display = ("prefix", "name", "user", "access", "created_at", "expires_at",
                    "last_used_at", "revoked_at")
    list_select_related = ("user",)
    search_fields = ("prefix", "name", "user__username")
    readonly_fields = ("user", "name", "prefix", "access", "created_at", "last_used_at")
    exclude = ("key_hash", "read_only")
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="Quyền")
    def access(self, obj: ApiToken) -> str:
        return "Chỉ đọc" if obj.read_only else "Đọc và ghi"

    @admin.action(description="Thu hồi các khóa đã chọn")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"Đã thu hồi {count} khóa.")


@admin.register(Submission)
class SubmissionAdmin(VietnameseAdmin):
    list_display = ("unit", "period", "form_title", "status", "errors", "warnings", "page")
    list_filter = ("status", "period")
    list_select_related = ("unit", "period")
    search_fields = ("unit__name", "unit__code")
    fields = ("unit", "period", "form_title", "status", "doc_number", "doc_date",
              "submitted_at", "decided_at", "errors", "warnings", "findings_list", "page")
    readonly_fields = ("form_title", "errors", "warnings", "findings_list", "page")

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False  # values and status change only through audited pages and actions

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False  # deleting a report would delete its audit trail with it

    @admin.display(description="Biểu mẫu", ordering="form_id")
    def form_title(self, obj: Submission) -> str:
        the_form = catalog_form(obj.form_id)
        return the_form.title if the_form is not None else obj.form_id

    @admin.display(description="Số lỗi", ordering="error_count")
    def errors(self, obj: Submission) -> int:
        return obj.error_count

    @admin.display(description="Số cảnh báo", ordering="warning_count")
    def warnings(self, obj: Submission) -> int:
        return obj.warning_count

    @admin.display(description="Kết quả kiểm tra")
    def findings_list(self, obj: Submission) -> SafeString | str:
        if not obj.findings:
            return "Không có lỗi hay cảnh báo."
        return format_html("<ul>{}</ul>", format_html_join(
            "", "<li>{}{}: {}</li>",
            ((SEVERITY_WORDS.get(f.get("severity", ""), f.get("severity", "")),
              f" (mục {item_of(f)})" if item_of(f) else "", f.get("message", ""))
             for f in obj.findings)))

    @admin.display(description="Trang báo cáo")
    def page(self, obj: Submission) -> SafeString:
        return format_html('<a href="{}">Mở báo cáo</a>', reverse("submission", args=[obj.pk]))


@admin.register(AuditEvent)
class AuditEventAdmin(VietnameseAdmin):
    list_display = ("when", "who", "report", "what_action", "what", "old_value", "new_value",
                    "how", "note")
    list_filter = (("action", titled("loại thay đổi")), ("via", titled("cách thức")))
    list_select_related = ("user", "submission__unit", "submission__period")
    search_fields = ("submission__unit__name", "user__username", "field", "comment")
    fields = ("when", "who", "report", "what_action", "what", "old_full", "new_full", "how",
              "note")
    readonly_fields = fields
    change_form_template = "admin/cchc_web/auditevent/change_form.html"

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: object) -> bool:
        return False

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict[str, Any] | None = None) -> HttpResponse:
        event = self.get_object(request, object_id)
        if event is not None:  # the page's name: the row's time and kind, not "AuditEvent (7)"
            extra_context = {**(extra_context or {}),
                             "subtitle": f"{event.get_action_display()} lúc {local_time(event.at)}"}
        return super().change_view(request, object_id, form_url, extra_context)

    def _described(self, obj: AuditEvent) -> Any:
        cache = obj.__dict__.setdefault("_described", {})
        if "d" not in cache:
            the_form = catalog_form(obj.submission.form_id) if obj.submission else None
            cache["d"] = describe(obj, the_form)
        return cache["d"]

    @admin.display(description="Thời gian", ordering="at")
    def when(self, obj: AuditEvent) -> str:
        return local_time(obj.at)

    @admin.display(description="Người thực hiện", ordering="user__username")
    def who(self, obj: AuditEvent) -> str:
        return obj.user.get_username() if obj.user else "—"

    @admin.display(description="Báo cáo")
    def report(self, obj: AuditEvent) -> str:
        return str(obj.submission) if obj.submission else "—"

    @admin.display(description="Thao tác", ordering="action")
    def what_action(self, obj: AuditEvent) -> str:
        return obj.get_action_display()

    @admin.display(description="Nội dung")
    def what(self, obj: AuditEvent) -> str:
        return str(self._described(obj).what)

    @admin.display(description="Cũ")
    def old_value(self, obj: AuditEvent) -> SafeString:
        return _short(self._described(obj).old)

    @admin.display(description="Mới")
    def new_value(self, obj: AuditEvent) -> SafeString:
        return _short(self._described(obj).new)

    @admin.display(description="Giá trị cũ")
    def old_full(self, obj: AuditEvent) -> str:
        return str(self._described(obj).old) or "—"

    @admin.display(description="Giá trị mới")
    def new_full(self, obj: AuditEvent) -> SafeString | str:
        d = self._described(obj)
        if d.sha256:
            return format_html("{}<br><small>Mã kiểm tra SHA-256: {}</small>", d.new, d.sha256)
        return str(d.new) or "—"

    @admin.display(description="Cách thức", ordering="via")
    def how(self, obj: AuditEvent) -> str:
        return obj.get_via_display()

    @admin.display(description="Ghi chú")
    def note(self, obj: AuditEvent) -> SafeString:
        return _short(obj.comment)


def _short(text: str, limit: int = 80) -> SafeString:
    """A long text cut for the list; the whole of it in the tooltip."""
    if len(text) <= limit:
        return format_html("{}", text)
    return format_html('<span title="{}">{}…</span>', text, text[:limit].rstrip())


# ---------------------------------------------------------------- accounts


class PermissionChoices(forms.ModelMultipleChoiceField):
    """Django stores a permission's name in English ("Can add đơn vị"): name it again."""

    def label_from_instance(self, obj: Permission) -> str:
        model = obj.content_type.model_class()
        what = model._meta.verbose_name if model is not None else obj.content_type.model
        verb, _, _ = obj.codename.partition("_")
        if verb in PERMISSION_VERBS:
            return f"{PERMISSION_VERBS[verb]} {what}"
        return obj.name


def _checkboxes(db_field: Field[Any, Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    """Plain checkboxes instead of Django's two-list picker, whose JavaScript texts the
    Vietnamese catalog lacks."""
    kwargs["widget"] = forms.CheckboxSelectMultiple
    if db_field.name == "permissions":
        kwargs["label"] = "Quyền"
        kwargs["form_class"] = PermissionChoices
        # Only the objects this admin manages: not Django's log, sessions, content types,
        # nor the tables only the pages write (values, narratives, login failures…).
        managed = [ContentType.objects.get_for_model(m) for m in admin.site._registry]
        kwargs["queryset"] = (Permission.objects.select_related("content_type")
                              .filter(content_type__in=managed)
                              .order_by("content_type__app_label", "content_type__model",
                                        "codename"))
    return kwargs


class PasswordSetting(AdminPasswordChangeForm):
    # Django writes this warning in English, outside its catalog.
    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        "Nếu tắt, mật khẩu hiện tại của tài khoản sẽ mất.")


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class AccountAdmin(UserAdmin):
    """Access comes from the account's unit and role (Membership), and administrators are
    superusers; per-account permissions play no part, so they are not offered here."""

    show_facets = admin.ShowFacets.NEVER
    change_list_template = CHANGE_LIST
    object_history_template = OBJECT_HISTORY
    change_password_form = PasswordSetting
    filter_horizontal = ()
    list_display = ("username", "full_name", "mail", "unit", "role", "active", "superuser")
    list_filter = (("is_active", titled("trạng thái hoạt động", admin.BooleanFieldListFilter)),
                   ("is_superuser", titled("quyền quản trị", admin.BooleanFieldListFilter)),
                   "membership__role")
    list_select_related = ("membership__unit",)
    search_fields = ("username", "first_name", "last_name", "email")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Thông tin cá nhân", {"fields": ("first_name", "email")}),
        ("Quyền", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Thời gian", {"fields": ("last_login", "date_joined")}),
    )
    labels = {"first_name": "Họ và tên", "email": "Thư điện tử",
              "is_active": "Đang hoạt động", "is_staff": "Vào được trang quản trị",
              "is_superuser": "Quản trị hệ thống", "groups": "Nhóm",
              "last_login": "Lần đăng nhập cuối", "date_joined": "Ngày tạo tài khoản"}
    help_texts = {
        "first_name": "Cả họ và tên, ví dụ Nguyễn Thị Hoa.",
        "is_active": "Bỏ chọn thay cho xóa tài khoản: tài khoản không đăng nhập được nữa, "
                     "lịch sử thay đổi vẫn giữ tên người đã làm.",
        "is_staff": "Cho phép mở trang quản trị này.",
        "is_superuser": "Có mọi quyền trong trang quản trị mà không cần gán từng quyền.",
    }

    def get_form(self, request: Any, obj: Any = None, **kwargs: Any) -> Any:
        if obj is not None:  # the add form is Django's own (user name and password)
            kwargs.setdefault("labels", self.labels)
            kwargs.setdefault("help_texts", self.help_texts)
        return super().get_form(request, obj, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        return super().formfield_for_manytomany(db_field, request, **_checkboxes(db_field,
                                                                                 kwargs))

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).select_related("membership__unit")

    @admin.display(description="Họ và tên", ordering="first_name")
    def full_name(self, obj: User) -> str:
        return obj.get_full_name() or "—"

    @admin.display(description="Thư điện tử", ordering="email")
    def mail(self, obj: User) -> str:
        return obj.email or "—"

    @admin.display(description="Đơn vị", ordering="membership__unit__name")
    def unit(self, obj: User) -> str:
        m = getattr(obj, "membership", None)
        return m.unit.name if m is not None else "—"

    @admin.display(description="Vai trò", ordering="membership__role")
    def role(self, obj: User) -> str:
        m = getattr(obj, "membership", None)
        return m.get_role_display() if m is not None else "—"

    @admin.display(description="Đang hoạt động", ordering="is_active")
    def active(self, obj: User) -> SafeString:
        return yes_no(obj.is_active)

    @admin.display(description="Quản trị hệ thống", ordering="is_superuser")
    def superuser(self, obj: User) -> SafeString:
        return yes_no(obj.is_superuser)


@admin.register(Group)
class TeamAdmin(GroupAdmin):
    show_facets = admin.ShowFacets.NEVER
    change_list_template = CHANGE_LIST
    object_history_template = OBJECT_HISTORY
    filter_horizontal = ()

    def formfield_for_manytomany(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        return super().formfield_for_manytomany(db_field, request, **_checkboxes(db_field,
                                                                                 kwargs))
