"""The permission matrix: every page and action, walked by every persona.

Personas: the province reviewer (tinh.hatinh), the district reviewer above the commune
(huyen.camxuyen), the commune's own officer (xa.camhung), the officer of an unrelated commune
in another district (xa.kyxuan), the administrator (quantri) and an anonymous visitor. The
target is Xã Cẩm Hưng's draft. Nobody may read or change what is not theirs: an invisible
object answers 404, a visible one with a forbidden action 403; lists never leak.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from cchc_web import workflow
from cchc_web.models import AuditEvent, Entry, Submission

PERSONAS = ("tinh.hatinh", "huyen.camxuyen", "xa.camhung", "xa.kyxuan", "quantri", None)
LOGIN = 302  # anonymous visitors are sent to the login page

Login = Callable[[str], Client]


def _client(login: Login, persona: str | None) -> Client:
    return login(persona) if persona else Client()


def _status(response: object) -> int:
    return response.status_code  # type: ignore[attr-defined, no-any-return]


# Reading the commune's submission: page, audit trail, kept source file.
READ = {"tinh.hatinh": 200, "huyen.camxuyen": 200, "xa.camhung": 200, "xa.kyxuan": 404,
        "quantri": 200, None: LOGIN}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["submission", "audit", "source-file"])
def test_reading_a_submission_is_limited_to_its_unit_and_the_units_above(
        drafts: dict[str, Submission], login: Login, persona: str | None, page: str) -> None:
    s = drafts["42.H01.X01"]
    kwargs = {"pk": s.pk}
    if page == "source-file":
        kwargs["file_id"] = s.files.get().pk
    response = _client(login, persona).get(reverse(page, kwargs=kwargs))
    assert _status(response) == READ[persona]


# Changing the draft: only the commune's own officer.
EDIT = {"tinh.hatinh": 403, "huyen.camxuyen": 403, "xa.camhung": 200, "xa.kyxuan": 404,
        "quantri": 403, None: LOGIN}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_units_own_officer_changes_its_draft(
        drafts: dict[str, Submission], login: Login, persona: str | None) -> None:
    s = drafts["42.H01.X01"]
    client = _client(login, persona)
    response = client.post(reverse("save-field", kwargs={"pk": s.pk}),
                           {"v:1.2.1": "30", "b:1.2.1": "25"})
    assert _status(response) == EDIT[persona]
    stored = Entry.objects.get(submission=s, item_id="1.2.1").raw
    assert stored == ("30" if EDIT[persona] == 200 else "25")
    full = client.post(reverse("save", kwargs={"pk": s.pk}), {"v:1.2.2": "1", "b:1.2.2": "24"})
    assert _status(full) == (302 if persona in ("xa.camhung", None) else EDIT[persona])
    upload = client.get(reverse("upload", kwargs={"pk": s.pk}))
    assert _status(upload) == EDIT[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_units_own_officer_submits(
        drafts: dict[str, Submission], login: Login, persona: str | None) -> None:
    s = drafts["42.H01.X01"]
    Entry.objects.filter(submission=s, item_id="1.2.2").update(raw="25")  # no error left
    expected = {"xa.camhung": 302, "xa.kyxuan": 404, None: LOGIN}.get(persona, 403)
    response = _client(login, persona).post(reverse("submit", kwargs={"pk": s.pk}))
    assert _status(response) == expected
    s.refresh_from_db()
    assert s.status == ("submitted" if persona == "xa.camhung" else "draft")


# Returning and approving: reviewers above the unit, and the administrator.
REVIEW = {"tinh.hatinh": 302, "huyen.camxuyen": 302, "xa.camhung": 403, "xa.kyxuan": 404,
          "quantri": 302, None: LOGIN}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ["approve", "return"])
def test_only_reviewers_above_return_or_approve(
        drafts: dict[str, Submission], login: Login, persona: str | None, action: str) -> None:
    s = drafts["42.H01.X01"]
    Submission.objects.filter(pk=s.pk).update(status="submitted")
    response = _client(login, persona).post(reverse(action, kwargs={"pk": s.pk}),
                                            {"comment": "Số liệu mục 1.2 chưa khớp."})
    assert _status(response) == REVIEW[persona]
    s.refresh_from_db()
    allowed = REVIEW[persona] == 302 and persona is not None
    done = {"approve": "approved", "return": "returned"}[action]
    assert s.status == (done if allowed else "submitted")


def test_a_reviewer_never_approves_its_own_units_report(
        tree: dict[str, object], login: Login) -> None:
    from django.contrib.auth.models import User

    from cchc_web import periods
    from cchc_web.catalog import form_for

    unit = tree["42.H01"]
    period = periods.ensure("half_year", 2022)
    the_form = form_for(unit, period)  # type: ignore[arg-type]
    assert the_form is not None
    user = User.objects.get(username="huyen.camxuyen")
    s = workflow.open_draft(unit.pk, period.pk, the_form.id, user)  # type: ignore[attr-defined]
    Submission.objects.filter(pk=s.pk).update(status="submitted")
    response = login("huyen.camxuyen").post(reverse("approve", kwargs={"pk": s.pk}))
    assert _status(response) == 403
    assert login("tinh.hatinh").post(reverse("approve", kwargs={"pk": s.pk})).status_code == 302


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_administrator_reopens_an_approved_report(
        drafts: dict[str, Submission], login: Login, persona: str | None) -> None:
    s = drafts["42.H01.X01"]
    Submission.objects.filter(pk=s.pk).update(status="approved")
    expected = {"quantri": 302, "xa.kyxuan": 404, None: LOGIN}.get(persona, 403)
    response = _client(login, persona).post(reverse("reopen", kwargs={"pk": s.pk}),
                                            {"comment": "Sai số liệu mục 1.2"})
    assert _status(response) == expected
    s.refresh_from_db()
    assert s.status == ("returned" if persona == "quantri" else "approved")


PAGES = {  # page → who gets 200; the rest get 403 (or the login page)
    "queue": {"tinh.hatinh", "huyen.camxuyen", "quantri"},
    "units": {"tinh.hatinh", "huyen.camxuyen", "xa.camhung", "xa.kyxuan", "quantri"},
    "home": {"tinh.hatinh", "huyen.camxuyen", "xa.camhung", "xa.kyxuan", "quantri"},
    "notices": {"tinh.hatinh", "huyen.camxuyen", "xa.camhung", "xa.kyxuan", "quantri"},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_pages_answer_each_persona(drafts: dict[str, Submission], login: Login,
                                   persona: str | None, page: str) -> None:
    response = _client(login, persona).get(reverse(page))
    expected = 200 if persona in PAGES[page] else (LOGIN if persona is None else 403)
    assert _status(response) == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_completeness_and_reminders_are_for_reviewers(
        drafts: dict[str, Submission], login: Login, persona: str | None) -> None:
    period = drafts["42.H01.X01"].period
    client = _client(login, persona)
    page = client.get(reverse("completeness", kwargs={"period_id": period.pk}))
    reviewer = persona in ("tinh.hatinh", "huyen.camxuyen", "quantri")
    assert _status(page) == (200 if reviewer else LOGIN if persona is None else 403)
    remind = client.post(reverse("remind", kwargs={"period_id": period.pk}),
                         {"unit": [str(drafts["42.H02.X01"].unit.pk)]})
    assert _status(remind) == (302 if reviewer else LOGIN if persona is None else 403)


@pytest.mark.parametrize("persona", PERSONAS)
def test_administration_pages_are_for_the_administrator(
        drafts: dict[str, Submission], login: Login, persona: str | None) -> None:
    client = _client(login, persona)
    response = client.get(reverse("units-import"))
    assert _status(response) == (200 if persona == "quantri" else
                                 LOGIN if persona is None else 404)
    admin = client.get(reverse("admin:index"))
    assert _status(admin) == (200 if persona == "quantri" else 302)


def test_lists_never_show_other_units(drafts: dict[str, Submission], login: Login) -> None:
    """The district queue, completeness and unit tree hold only its subtree; a commune's
    pages only itself."""
    period = drafts["42.H01.X01"].period
    district = login("huyen.camxuyen")
    for url in (reverse("queue") + "?trang-thai=all",
                reverse("completeness", kwargs={"period_id": period.pk}),
                reverse("units")):
        text = district.get(url).content.decode()
        assert "Xã Cẩm Hưng" in text, url
        assert "Xã Kỳ Xuân" not in text and "Phường Kỳ Trinh" not in text, url
        assert "Thị xã Hương Trà" not in text, url
    commune = login("xa.camhung")
    text = commune.get(reverse("units")).content.decode()
    assert "Xã Cẩm Thịnh" not in text and "Xã Kỳ Xuân" not in text
    province = login("tinh.hatinh")
    text = province.get(reverse("queue") + "?trang-thai=all").content.decode()
    assert "Xã Cẩm Hưng" in text and "Xã Kỳ Xuân" in text
    assert "Thị xã Hương Trà" not in text  # another province


def test_reminders_reach_only_units_the_reviewer_oversees(
        drafts: dict[str, Submission], login: Login) -> None:
    from cchc_web.models import Notice

    period = drafts["42.H01.X01"].period
    kyxuan = drafts["42.H02.X01"].unit
    camhung = drafts["42.H01.X01"].unit
    login("huyen.camxuyen").post(reverse("remind", kwargs={"period_id": period.pk}),
                                 {"unit": [str(kyxuan.pk), str(camhung.pk)]})
    assert not Notice.objects.filter(user__username="xa.kyxuan").exists()
    assert Notice.objects.filter(user__username="xa.camhung").count() == 1


def test_an_upload_preview_belongs_to_its_uploader(
        drafts: dict[str, Submission], login: Login) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    s = drafts["42.H01.X01"]
    owner = login("xa.camhung")
    file = SimpleUploadedFile("bc.txt", "PHỤ LỤC\n1.2.1\tSố nhiệm vụ\t5\n".encode())
    response = owner.post(reverse("upload", kwargs={"pk": s.pk}), {"file": file})
    assert _status(response) in (302, 422)
    if response.status_code == 302:
        other = login("huyen.camxuyen").get(response["Location"])
        assert other.status_code == 403


def test_every_change_is_audited_with_who_and_how(
        drafts: dict[str, Submission], login: Login) -> None:
    s = drafts["42.H01.X01"]
    login("xa.camhung").post(reverse("save-field", kwargs={"pk": s.pk}),
                             {"v:1.2.1": "26", "b:1.2.1": "25"})
    event = AuditEvent.objects.filter(submission=s, field="1.2.1").first()
    assert event is not None
    assert (event.user.username, event.old, event.new, event.via) == (  # type: ignore[union-attr]
        "xa.camhung", "25", "26", "web")
