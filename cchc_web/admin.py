"""The Django admin, in Vietnamese (LANGUAGE_CODE = "vi"), for administrators only.

Access: only superusers and members with the admin role are staff (see demo/accounts).
Changes made here to submissions go through the same audit as the web pages: values are
not editable here; workflow reopen is a page action with a reason.
"""

from __future__ import annotations

from django.contrib import admin

from cchc_web.models import (
    AuditEvent,
    Deadline,
    Lineage,
    Membership,
    OrgUnit,
    Period,
    Submission,
)


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "code", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("name", "code")


@admin.register(Lineage)
class LineageAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("source", "kind", "target", "date")


class DeadlineInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Deadline
    extra = 0


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("label", "kind", "year", "start", "end", "data_from", "data_to")
    inlines = [DeadlineInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "unit", "role")
    list_filter = ("role",)


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("unit", "period", "form_id", "status", "error_count", "warning_count")
    list_filter = ("status", "period")

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False  # values and status change only through audited pages and actions

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("at", "user", "submission", "action", "field", "old", "new", "via")
    list_filter = ("action", "via")

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: object) -> bool:
        return False
