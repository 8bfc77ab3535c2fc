"""Saving a draft: Vietnamese number writing, findings next to rows, derivable rates,
conflicts between two editors, and concurrent saves that never lose data."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse

from cchc_web import editing
from cchc_web.editing import Change
from cchc_web.models import AuditEvent, Entry, Narrative, Submission

Login = Callable[[str], Client]


def _raw(s: Submission, item: str) -> str:
    return Entry.objects.get(submission=s, item_id=item).raw


def test_numbers_are_written_back_the_vietnamese_way(drafts: dict[str, Submission]) -> None:
    s = drafts["42.H01.X01"]
    user = User.objects.get(username="xa.camhung")
    editing.save(s.pk, user, [Change("value", "1.1", "", "1241"),
                              Change("value", "1.2", "", "97.74")])
    assert _raw(s, "1.1") == "1.241"
    assert _raw(s, "1.2") == "97,74"
    assert Entry.objects.get(submission=s, item_id="1.1").value == 1241


def test_an_ambiguous_number_is_kept_as_typed_and_flagged(
        drafts: dict[str, Submission]) -> None:
    s = drafts["42.H01.X01"]
    user = User.objects.get(username="xa.camhung")
    result = editing.save(s.pk, user, [Change("value", "1.1", "", "12,641")])
    assert _raw(s, "1.1") == "12,641"
    assert Entry.objects.get(submission=s, item_id="1.1").value is None
    assert result.checked is not None
    assert "ambiguous-number" in {f.code for f in result.checked.by_item["1.1"]}


def test_a_rate_that_disagrees_with_its_parts_is_an_error_on_its_row(
        drafts: dict[str, Submission], login: Login) -> None:
    s = drafts["42.H01.X01"]  # 1.2.1 = 25 planned, 1.2.2 = 24 done
    response = login("xa.camhung").post(reverse("save-field", kwargs={"pk": s.pk}),
                                        {"v:1.2": "60", "b:1.2": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="f-1.2"' in html and 'data-code="rate-mismatch"' in html
    assert "24/25 = 96%" in html
    s.refresh_from_db()
    assert s.error_count >= 1
    assert any(f["item_code"] == "1.2" and f["code"] == "rate-mismatch" for f in s.findings)


def test_the_form_page_offers_the_computed_rate(drafts: dict[str, Submission],
                                                login: Login) -> None:
    s = drafts["42.H01.X01"]
    html = login("xa.camhung").get(reverse("submission", kwargs={"pk": s.pk})).content.decode()
    assert 'data-fill="96"' in html and "Tính được: 96%" in html


def test_a_second_editor_gets_a_conflict_with_both_values(
        drafts: dict[str, Submission], login: Login) -> None:
    s = drafts["42.H01.X01"]
    first, second = login("xa.camhung"), login("xa.camhung")
    url = reverse("save-field", kwargs={"pk": s.pk})
    assert first.post(url, {"v:1.2.1": "30", "b:1.2.1": "25"}).status_code == 200
    response = second.post(url, {"v:1.2.1": "28", "b:1.2.1": "25"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "“30”" in html and "“28”" in html and 'data-testid="conflict"' in html
    assert _raw(s, "1.2.1") == "30"
    # Keeping mine is an explicit second save with the other value as base.
    assert second.post(url, {"v:1.2.1": "28", "b:1.2.1": "30"}).status_code == 200
    assert _raw(s, "1.2.1") == "28"


def test_the_whole_form_save_reports_conflicts_and_keeps_the_rest(
        drafts: dict[str, Submission], login: Login) -> None:
    s = drafts["42.H01.X01"]
    user = User.objects.get(username="xa.camhung")
    editing.save(s.pk, user, [Change("value", "1.2.1", "25", "40")])
    response = login("xa.camhung").post(reverse("save", kwargs={"pk": s.pk}), {
        "v:1.2.1": "26", "b:1.2.1": "25", "v:1.1": "3", "b:1.1": "",
        "n:I": "Ban hành 3 văn bản.", "nb:I": ""})
    assert response.status_code == 409
    assert _raw(s, "1.2.1") == "40" and _raw(s, "1.1") == "3"
    assert Narrative.objects.get(submission=s, section="I").text == "Ban hành 3 văn bản."


def test_a_narrative_edit_from_a_stale_page_is_not_overwritten(
        drafts: dict[str, Submission]) -> None:
    s = drafts["42.H01.X01"]
    user = User.objects.get(username="xa.camhung")
    editing.save(s.pk, user, [Change("narrative", "II", "", "Bản thứ nhất.")])
    result = editing.save(s.pk, user, [Change("narrative", "II", "", "Bản thứ hai.")])
    assert [c.theirs for c in result.conflicts] == ["Bản thứ nhất."]
    assert Narrative.objects.get(submission=s, section="II").text == "Bản thứ nhất."


def test_dates_are_read_day_first_and_bad_dates_are_refused(
        drafts: dict[str, Submission], login: Login) -> None:
    s = drafts["42.H01.X01"]
    client = login("xa.camhung")
    url = reverse("save-field", kwargs={"pk": s.pk})
    assert client.post(url, {"doc_date": "16/6/2022", "doc_date_base": ""}).status_code == 200
    s.refresh_from_db()
    assert s.doc_date is not None and (s.doc_date.day, s.doc_date.month) == (16, 6)
    bad = client.post(url, {"doc_date": "31/02/2022", "doc_date_base": "16/06/2022"})
    assert bad.status_code == 422
    assert "31/02/2022" in bad.content.decode()
    s.refresh_from_db()
    assert s.doc_date is not None and s.doc_date.day == 16


def test_a_sent_report_cannot_be_changed(drafts: dict[str, Submission], login: Login) -> None:
    s = drafts["42.H01.X01"]
    Submission.objects.filter(pk=s.pk).update(status="submitted")
    response = login("xa.camhung").post(reverse("save-field", kwargs={"pk": s.pk}),
                                        {"v:1.1": "9", "b:1.1": ""})
    assert response.status_code == 403
    assert not Entry.objects.filter(submission=s, item_id="1.1").exists()


def test_an_expired_session_answers_htmx_with_401_not_a_login_page(
        drafts: dict[str, Submission]) -> None:
    s = drafts["42.H01.X01"]
    response = Client().post(reverse("save-field", kwargs={"pk": s.pk}),
                             {"v:1.1": "9", "b:1.1": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 401


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_never_lose_data(drafts: dict[str, Submission]) -> None:
    """Eight writers each change their own rows and one shared row at the same time: every
    own-row change lands, the shared row ends with exactly one writer's value and the others
    get conflicts, and the audit trail has one row per landed change."""
    s = drafts["42.H01.X01"]
    user = User.objects.get(username="xa.camhung")
    items = [i for i in ("1.1", "1.3.1", "1.3.2", "1.4.1", "1.5.1", "1.6", "2.1", "1.7")]
    results: list[editing.SaveResult] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(items))

    def writer(n: int, item: str) -> None:
        try:
            barrier.wait()
            results.append(editing.save(s.pk, user, [
                Change("value", item, "", str(100 + n)),
                Change("value", "1.2.1", "25", str(200 + n))]))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n, item)) for n, item in enumerate(items)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    stored = dict(Entry.objects.filter(submission=s).values_list("item_id", "raw"))
    for n, item in enumerate(items):
        assert stored[item] == str(100 + n)
    winners = [r for r in results if not r.conflicts]
    assert len(winners) == 1
    assert stored["1.2.1"] in {str(200 + n) for n in range(len(items))}
    assert sum(len(r.conflicts) for r in results) == len(items) - 1
    landed = sum(len(r.saved) for r in results)
    assert AuditEvent.objects.filter(submission=s, action="value").count() == landed + 2


def test_a_whole_form_save_ignores_cells_the_officer_did_not_touch(
        drafts: dict[str, Submission], login: Login) -> None:
    s = drafts["42.H01.X01"]
    other = User.objects.get(username="xa.camhung")
    editing.save(s.pk, other, [Change("value", "1.2.1", "25", "40")])  # B changes 1.2.1
    # A's page still shows 25 for 1.2.1 and changes only 1.2.2.
    response = login("xa.camhung").post(reverse("save", kwargs={"pk": s.pk}), {
        "v:1.2.1": "25", "b:1.2.1": "25", "v:1.2.2": "20", "b:1.2.2": "24"})
    assert response.status_code == 302
    assert _raw(s, "1.2.1") == "40" and _raw(s, "1.2.2") == "20"
