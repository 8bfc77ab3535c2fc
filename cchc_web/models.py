"""What is stored: org units with validity and lineage, periods with deadlines, accounts
(a user's unit and role), submissions with their values, narrative, files, findings, and the
audit trail of every change."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import models

from cchc.periods import label as period_label

# Unit kinds and the catalog level each one fills a form at.
UNIT_KINDS = [
    ("province", "Tỉnh, thành phố"),
    ("department", "Sở, ban, ngành"),
    ("district", "Huyện, thị xã, quận, thành phố thuộc tỉnh"),
    ("commune", "Xã, phường, thị trấn, đặc khu"),
    ("service_unit", "Đơn vị sự nghiệp"),
]
KIND_LEVEL = {k: k for k, _ in UNIT_KINDS}


class OrgUnit(models.Model):
    code = models.CharField("mã đơn vị", max_length=32, unique=True)
    name = models.CharField("tên đơn vị", max_length=255)
    kind = models.CharField("loại đơn vị", max_length=16, choices=UNIT_KINDS)
    parent = models.ForeignKey("self", verbose_name="đơn vị cấp trên", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True,
                                help_text="Ngày cuối cùng đơn vị còn tồn tại (ví dụ 30/06/2025).")
    # "/<id>/<id>/…/": the ids from the root down to this unit, for subtree queries.
    path = models.CharField(max_length=512, db_index=True, editable=False, default="")
    email = models.EmailField("thư điện tử", blank=True)

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> str:
        return KIND_LEVEL[self.kind]

    def active_on(self, day: dt.date) -> bool:
        return self.overlaps(day, day)

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        """Whether the unit existed at some time between `start` and `end`."""
        return (self.valid_from is None or self.valid_from <= end) and (
            self.valid_to is None or start <= self.valid_to)

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        new_path = (self.parent.path if self.parent else "/") + f"{self.pk}/"
        if new_path != self.path:
            old = self.path
            self.path = new_path
            super().save(update_fields=["path"])
            if old:  # moved: rewrite the paths of the whole subtree below
                for child in OrgUnit.objects.filter(path__startswith=old).exclude(pk=self.pk):
                    child.path = new_path + child.path[len(old):]
                    OrgUnit.objects.filter(pk=child.pk).update(path=child.path)

    def subtree(self) -> models.QuerySet[OrgUnit]:
        return OrgUnit.objects.filter(path__startswith=self.path)

    def ancestors(self) -> list[OrgUnit]:
        ids = [int(p) for p in self.path.strip("/").split("/") if p][:-1]
        by_id = OrgUnit.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    def province(self) -> OrgUnit:
        ancestors = self.ancestors()
        return ancestors[0] if ancestors else self


LINEAGE_KINDS = [
    ("merged", "Sáp nhập vào"),
    ("split", "Chia tách thành"),
    ("renamed", "Đổi tên thành"),
]


class Lineage(models.Model):
    """`source` became (part of) `target` on `date`: merged into, split into, renamed."""

    source = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="successors",
                               verbose_name="đơn vị cũ")
    target = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="predecessors",
                               verbose_name="đơn vị mới")
    kind = models.CharField("hình thức", max_length=16, choices=LINEAGE_KINDS)
    date = models.DateField("ngày hiệu lực")
    basis = models.CharField("căn cứ", max_length=255, blank=True)

    class Meta:
        verbose_name = "quan hệ kế thừa"
        verbose_name_plural = "quan hệ kế thừa"
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="lineage_once")]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


PERIOD_KINDS = [
    ("month", "Tháng"),
    ("quarter", "Quý"),
    ("half_year", "6 tháng"),
    ("nine_months", "9 tháng"),
    ("year", "Năm"),
]


class Period(models.Model):
    kind = models.CharField("loại kỳ", max_length=16, choices=PERIOD_KINDS)
    year = models.PositiveSmallIntegerField("năm")
    number = models.PositiveSmallIntegerField("số quý/tháng", null=True, blank=True)
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")
    data_from = models.DateField("số liệu từ ngày")
    data_to = models.DateField("số liệu đến ngày")

    class Meta:
        verbose_name = "kỳ báo cáo"
        verbose_name_plural = "kỳ báo cáo"
        constraints = [models.UniqueConstraint(fields=["kind", "year", "number"],
                                               name="period_once",
                                               nulls_distinct=False)]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return period_label(self.kind, self.year, self.number)

    def deadline_for(self, level: str) -> dt.date | None:
        found = next((d.due for d in self.deadlines.all() if d.level == level), None)
        return found


class Deadline(models.Model):
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="deadlines")
    level = models.CharField("cấp", max_length=16, choices=UNIT_KINDS)
    due = models.DateField("hạn gửi")

    class Meta:
        verbose_name = "hạn gửi báo cáo"
        verbose_name_plural = "hạn gửi báo cáo"
        constraints = [models.UniqueConstraint(fields=["period", "level"], name="deadline_once")]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: hạn gửi {self.due:%d/%m/%Y}"


ROLES = [
    ("reporter", "Cán bộ báo cáo"),
    ("reviewer", "Cán bộ xét duyệt"),
    ("admin", "Quản trị hệ thống"),
]


class Membership(models.Model):
    """A user's unit and role. Every access decision starts here (cchc_web.access)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="membership")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="members",
                             verbose_name="đơn vị")
    role = models.CharField("vai trò", max_length=16, choices=ROLES)

    class Meta:
        verbose_name = "tài khoản thuộc đơn vị"
        verbose_name_plural = "tài khoản thuộc đơn vị"

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.unit})"


STATUSES = [
    ("draft", "Nháp"),
    ("submitted", "Đã gửi"),
    ("returned", "Trả lại"),
    ("approved", "Đã duyệt"),
]
EDITABLE_STATUSES = ("draft", "returned")


class Submission(models.Model):
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="submissions",
                             verbose_name="đơn vị")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="submissions",
                               verbose_name="kỳ báo cáo")
    form_id = models.CharField("biểu mẫu", max_length=128)
    status = models.CharField("trạng thái", max_length=16, choices=STATUSES, default="draft")
    doc_number = models.CharField("số hiệu văn bản", max_length=255, blank=True)
    doc_date = models.DateField("ngày ban hành", null=True, blank=True)
    submitted_at = models.DateTimeField("ngày gửi", null=True, blank=True)
    decided_at = models.DateTimeField("ngày xử lý", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The findings of the last check, so that queues show counts without re-checking.
    error_count = models.PositiveIntegerField("số lỗi", default=0)
    # errors on rows whose officer wrote an explanation ("giải trình"): submitting needs
    # every error fixed or explained, so pages show both numbers
    explained_count = models.PositiveIntegerField("số lỗi đã giải trình", default=0)
    warning_count = models.PositiveIntegerField("số cảnh báo", default=0)
    findings = models.JSONField(default=list, blank=True)
    # Which checker produced them (checking.stamp()): other rules or forms → check again.
    checked_with = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = "báo cáo"
        verbose_name_plural = "báo cáo"
        constraints = [models.UniqueConstraint(fields=["unit", "period", "form_id"],
                                               name="submission_once")]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self) -> str:
        return f"{self.unit} – {self.period}"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class Entry(models.Model):
    """One value of a submission as typed (`raw`) and as read (`value`)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="entries")
    item_id = models.CharField(max_length=64)
    raw = models.CharField(max_length=2000, blank=True)
    value = models.FloatField(null=True, blank=True)
    comment = models.TextField("giải trình", blank=True)
    note = models.TextField("ghi chú", blank=True)  # the form's "Ghi chú" column
    # filled from the aggregate of the unit's own children ("Lập báo cáo từ số liệu tổng
    # hợp"), not typed: the level above must not count it again beside those children
    derived = models.BooleanField("lấy từ số liệu tổng hợp", default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "số liệu"
        verbose_name_plural = "số liệu"
        constraints = [models.UniqueConstraint(fields=["submission", "item_id"],
                                               name="entry_once")]

    def __str__(self) -> str:
        return f"Số liệu mục {self.item_id}"


SECTIONS = [
    ("I", "I. Công tác chỉ đạo, điều hành cải cách hành chính"),
    ("II", "II. Kết quả thực hiện các nhiệm vụ cải cách hành chính"),
    ("III", "III. Đánh giá chung"),
    ("IV", "IV. Phương hướng, nhiệm vụ kỳ tới"),
    ("V", "V. Kiến nghị, đề xuất"),
]


class Narrative(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE,
                                   related_name="narratives")
    section = models.CharField(max_length=4, choices=SECTIONS)
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "section"],
                                               name="narrative_once")]

    def __str__(self) -> str:
        return f"Thuyết minh mục {self.section}"


class SourceFile(models.Model):
    """An uploaded report file, kept with its submission; stored outside any web root."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files",
                                   null=True, blank=True)
    name = models.CharField("tên tệp", max_length=255)
    stored = models.CharField(max_length=255)  # relative to settings.UPLOAD_DIR
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tệp báo cáo"
        verbose_name_plural = "tệp báo cáo"

    def __str__(self) -> str:
        return self.name


class Upload(models.Model):
    """A file read but not yet confirmed into a draft: its preview lives here until then."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="uploads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    name = models.CharField(max_length=255)
    stored = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    preview = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.name


VIA = [
    ("web", "Nhập trên web"),
    ("upload", "Tải tệp lên"),
    ("admin", "Quản trị"),
    ("import", "Nhập dữ liệu"),
    ("aggregate", "Tổng hợp từ cấp dưới"),
    ("api", "API"),
]
AUDIT_ACTIONS = [
    ("value", "Sửa số liệu"),
    ("comment", "Giải trình"),
    ("note", "Ghi chú"),
    ("narrative", "Sửa nội dung"),
    ("meta", "Sửa thông tin văn bản"),
    ("status", "Chuyển trạng thái"),
    ("file", "Tệp báo cáo"),
    ("create", "Tạo báo cáo"),
]


class AuditEvent(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="audit",
                                   null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=16, choices=AUDIT_ACTIONS)
    field = models.CharField(max_length=255, blank=True)  # item id, section, status, file name
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    via = models.CharField(max_length=16, choices=VIA, default="web")
    comment = models.TextField(blank=True)

    class Meta:
        verbose_name = "nhật ký thay đổi"
        verbose_name_plural = "nhật ký thay đổi"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        from django.utils import timezone

        return f"{self.get_action_display()} lúc {timezone.localtime(self.at):%H:%M:%S %d/%m/%Y}"


class Notice(models.Model):
    """An in-app message to a user (reminders, returns, approvals)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notices")
    submission = models.ForeignKey(Submission, null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text[:60]


class LoginFailure(models.Model):
    """Failed logins per user name and address, for throttling."""

    key = models.CharField(max_length=255, db_index=True)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key


class ApiToken(models.Model):
    """A personal key to the JSON API (cchc_web.api.keys): only its prefix is kept in clear,
    to name it; the secret is shown once when it is made and stored as its SHA-256 hash."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens", verbose_name="tài khoản")
    name = models.CharField("tên khóa", max_length=100)
    prefix = models.CharField("mã nhận diện", max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    expires_at = models.DateTimeField("hết hạn lúc", null=True, blank=True)
    last_used_at = models.DateTimeField("dùng lần cuối lúc", null=True, blank=True)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)
    read_only = models.BooleanField("chỉ đọc", default=False)

    class Meta:
        verbose_name = "khóa truy cập API"
        verbose_name_plural = "khóa truy cập API"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    def state(self, now: dt.datetime) -> str:
        """revoked | expired | active."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"
