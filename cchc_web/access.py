"""Every access decision, in a few functions that the permission-matrix test walks.

- reporter: its own unit's submissions (read, edit while draft/returned, submit);
- reviewer: everything in the subtree of its unit (read); returns and approves submissions
  of units strictly below its own; also writes its own unit's report;
- admin: everything; the tree, periods, users; reopens approved submissions.

Objects a user may not see are reported as missing (404), never as forbidden, so that their
existence does not leak; a visible object with a forbidden action is 403.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from cchc_web.models import Membership, OrgUnit, Submission

User = AbstractBaseUser | AnonymousUser


def membership(user: User) -> Membership | None:
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_cchc_membership", False)
    if cached is not False:
        return cached  # type: ignore[no-any-return]
    found = Membership.objects.select_related("unit").filter(user=user).first()
    user._cchc_membership = found  # type: ignore[union-attr]
    return found


def is_admin(user: User) -> bool:
    m = membership(user)
    return bool(user.is_authenticated and (getattr(user, "is_superuser", False) or (
        m is not None and m.role == "admin")))


def is_reviewer(user: User) -> bool:
    m = membership(user)
    return is_admin(user) or (m is not None and m.role == "reviewer")


def visible_units(user: User) -> QuerySet[OrgUnit]:
    """The units whose submissions `user` may read."""
    if is_admin(user):
        return OrgUnit.objects.all()
    m = membership(user)
    if m is None:
        return OrgUnit.objects.none()
    if m.role == "reviewer":
        return OrgUnit.objects.filter(path__startswith=m.unit.path)
    return OrgUnit.objects.filter(pk=m.unit.pk)


def reviewable_units(user: User) -> QuerySet[OrgUnit]:
    """The units whose submissions `user` may return or approve: strictly below its unit."""
    if is_admin(user):
        return OrgUnit.objects.all()
    m = membership(user)
    if m is None or m.role != "reviewer":
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(path__startswith=m.unit.path).exclude(pk=m.unit.pk)


def visible_submissions(user: User) -> QuerySet[Submission]:
    if is_admin(user):
        return Submission.objects.all()
    m = membership(user)
    if m is None:
        return Submission.objects.none()
    if m.role == "reviewer":
        return Submission.objects.filter(unit__path__startswith=m.unit.path)
    return Submission.objects.filter(unit=m.unit)


def can_view(user: User, submission: Submission) -> bool:
    if is_admin(user):
        return True
    m = membership(user)
    if m is None:
        return False
    if m.role == "reviewer":
        return submission.unit.path.startswith(m.unit.path)
    return submission.unit_id == m.unit.pk


def can_write_for(user: User, unit: OrgUnit) -> bool:
    """Whether `user` writes `unit`'s own reports (its own unit; not an administrator's)."""
    m = membership(user)
    return m is not None and m.role in ("reporter", "reviewer") and m.unit.pk == unit.pk


def can_edit(user: User, submission: Submission) -> bool:
    return submission.editable and can_write_for(user, submission.unit)


def can_submit(user: User, submission: Submission) -> bool:
    return can_edit(user, submission)


def can_review(user: User, submission: Submission) -> bool:
    """Return or approve: a reviewer above the unit (never of its own unit), or an admin."""
    if submission.status != "submitted":
        return False
    if is_admin(user):
        return True
    m = membership(user)
    return (m is not None and m.role == "reviewer" and submission.unit.pk != m.unit.pk
            and submission.unit.path.startswith(m.unit.path))


def can_reopen(user: User, submission: Submission) -> bool:
    return submission.status == "approved" and is_admin(user)


def can_administer(user: User) -> bool:
    return is_admin(user)


def aggregate_units(user: User) -> QuerySet[OrgUnit]:
    """The units whose aggregate ("Tổng hợp") `user` may open: a reviewer's own unit and
    every unit below it; every unit for an administrator; none for a reporter."""
    if is_admin(user):
        return OrgUnit.objects.all()
    m = membership(user)
    if m is None or m.role != "reviewer":
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(path__startswith=m.unit.path)


def can_aggregate(user: User, unit: OrgUnit) -> bool:
    if is_admin(user):
        return True
    m = membership(user)
    return m is not None and m.role == "reviewer" and unit.path.startswith(m.unit.path)
