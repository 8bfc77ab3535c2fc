"""The form page: findings kept from the last check until the values or the checker change,
the form's "Ghi chú" column, and every text of a row escaped."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from cchc.catalog import CATALOG_DIR
from cchc_web import catalog, checking, editing
from cchc_web.editing import Change
from cchc_web.models import AuditEvent, Entry, Submission

Login = Callable[[str], Client]


def _page(login: Login, s: Submission) -> str:
    return login("xa.camhung").get(reverse("submission", kwargs={"pk": s.pk})).content.decode()


def _with_a_rate_error(s: Submission) -> Submission:
    """1.2 = 60 % where 1.2.2 / 1.2.1 = 24 / 25 = 96 %: a rate-mismatch on 1.2, stored."""
    editing.save(s.pk, User.objects.get(username="xa.camhung"),
                 [Change("value", "1.2", "", "60")])
    s.refresh_from_db()
    return s


def test_the_page_shows_stored_findings_and_checks_again_when_the_checker_changed(
        drafts: dict[str, Submission], login: Login) -> None:
    s = _with_a_rate_error(drafts["42.H01.X01"])
    assert s.checked_with == checking.stamp()
    assert any(f["item_code"] == "1.2" and f["code"] == "rate-mismatch" for f in s.findings)
    # Another version of the rules (a new stamp) and a value changed behind the page's back:
    # the page checks again instead of showing the stored findings.
    Entry.objects.filter(submission=s, item_id="1.2").update(raw="96,00", value=96.0)
    Submission.objects.filter(pk=s.pk).update(checked_with="an-older-checker")
    html = _page(login, s)
    assert 'data-code="rate-mismatch"' not in html
    s.refresh_from_db()
    assert s.checked_with == checking.stamp()
    assert not any(f["item_code"] == "1.2" for f in s.findings)


def test_with_the_same_checker_the_page_shows_what_the_last_check_stored(
        drafts: dict[str, Submission], login: Login) -> None:
    s = _with_a_rate_error(drafts["42.H01.X01"])
    stored = [dict(f, message="Thông điệp đã lưu <b>") if f["item_code"] == "1.2" else f
              for f in s.findings]
    Submission.objects.filter(pk=s.pk).update(findings=stored)
    html = _page(login, s)
    assert "Thông điệp đã lưu &lt;b&gt;" in html  # shown from storage, escaped
    assert 'data-fill="96"' in html  # the computed rate is still offered


def test_typed_text_is_escaped_in_the_row(drafts: dict[str, Submission],
                                          login: Login) -> None:
    s = drafts["42.H01.X01"]
    user = User.objects.get(username="xa.camhung")
    editing.save(s.pk, user, [Change("value", "1.1", "", '"><script>alert(1)</script>'),
                              Change("value", "1.2", "", "60"),  # an error, to explain
                              Change("comment", "1.2", "", "<i>giải trình</i> & \"trích\"")])
    html = _page(login, s)
    assert "<script>alert(1)" not in html
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert "&lt;i&gt;giải trình&lt;/i&gt; &amp; &quot;trích&quot;" in html


def test_a_note_is_written_beside_the_value_and_saved_by_itself(
        drafts: dict[str, Submission], login: Login) -> None:
    s = drafts["42.H01.X01"]  # Hà Tĩnh's form has a "Ghi chú" column
    client = login("xa.camhung")
    assert "<th>Ghi chú</th>" in _page(login, s)
    url = reverse("save-field", kwargs={"pk": s.pk})
    answer = client.post(url, {"g:1.2.1": "Theo Kế hoạch số 12/KH-UBND", "gb:1.2.1": "",
                               "v:1.2.1": "999", "b:1.2.1": "25"},
                         HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="g:1.2.1")
    html = answer.content.decode()
    assert answer.status_code == 200
    assert '<td class="note" id="g-1.2.1" hx-swap-oob="true">' in html
    assert 'name="gb:1.2.1" value="Theo Kế hoạch số 12/KH-UBND"' in html
    entry = Entry.objects.get(submission=s, item_id="1.2.1")
    assert (entry.note, entry.raw) == ("Theo Kế hoạch số 12/KH-UBND", "25")  # only the note
    assert AuditEvent.objects.filter(submission=s, action="note", field="1.2.1").count() == 1
    # From a stale page: a conflict showing both, nothing overwritten.
    stale = client.post(url, {"g:1.2.1": "Ghi chú khác", "gb:1.2.1": ""},
                        HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="g:1.2.1")
    assert stale.status_code == 409
    assert "Người khác đã ghi: “Theo Kế hoạch số 12/KH-UBND”" in stale.content.decode()
    assert Entry.objects.get(submission=s, item_id="1.2.1").note == "Theo Kế hoạch số 12/KH-UBND"


def test_a_form_without_a_notes_column_shows_none(seeded: object, login: Login) -> None:
    s = Submission.objects.get(form_id="khanh-hoa-phu-luc-2-2021")
    page = login("quantri").get(reverse("submission", kwargs={"pk": s.pk})).content.decode()
    assert "<th>Ghi chú</th>" not in page and 'class="note"' not in page


def test_the_checker_stamp_follows_a_catalog_of_ones_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A province's own catalog (CCHC_CATALOG_DIR): its forms are used, and editing one of
    them changes the stamp, so stored findings are checked again."""
    own = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, own)
    shipped = checking.stamp()
    monkeypatch.setenv("CCHC_CATALOG_DIR", str(own))
    checking.stamp.cache_clear()
    catalog.catalog.cache_clear()
    try:
        first = checking.stamp()
        assert first != shipped
        assert catalog.form("ha-tinh-phu-luc-1b-2022") is not None
        path = own / "forms" / "ha-tinh-phu-luc-1b-2022.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace(
            "title: ", "title: BIỂU RIÊNG ", 1), encoding="utf-8")
        checking.stamp.cache_clear()
        assert checking.stamp() not in (first, shipped)
    finally:
        monkeypatch.undo()
        checking.stamp.cache_clear()
        catalog.catalog.cache_clear()
    assert checking.stamp() == shipped


def test_findings_are_stored_whole(drafts: dict[str, Submission]) -> None:
    s = _with_a_rate_error(drafts["42.H01.X01"])
    stored = next(f for f in s.findings if f["code"] == "rate-mismatch")
    assert set(stored) >= {"code", "severity", "row", "item_code", "label", "message",
                           "expected", "actual", "related", "params"}
    assert (stored["item_code"], stored["actual"], stored["expected"]) == ("1.2", 60, 96)
    # read back, they are the same findings
    again = checking.current(s, {"1.2": "60", "1.2.1": "25", "1.2.2": "24"}, {})
    f = next(x for x in again.findings if x.code == "rate-mismatch")
    assert (f.item_code, f.actual, f.expected, f.message) == (
        "1.2", 60, 96, stored["message"])
