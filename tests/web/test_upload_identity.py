"""A file put into a report must be that report: another unit's, another level's or another
period's file is flagged as an error in the preview and goes in only with an explicit,
audited acknowledgement — on the page and from `cchc import`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cchc.cli import sample_dir
from cchc_web import periods, uploads, workflow
from cchc_web.catalog import form_for
from cchc_web.models import AuditEvent, Entry, OrgUnit, Submission

Login = Callable[[str], Client]
CAM_HUNG = sample_dir() / "000_1d532f9d1e3624b0.txt"  # UBND xã Cẩm Hưng, 6 tháng đầu năm 2022


def _preview(client: Client, s: Submission) -> tuple[str, str]:
    response = client.post(reverse("upload", kwargs={"pk": s.pk}),
                           {"file": SimpleUploadedFile(CAM_HUNG.name, CAM_HUNG.read_bytes())})
    assert response.status_code == 302, response.content.decode()[:400]
    url = response["Location"]
    return url, client.get(url).content.decode()


def _values(s: Submission) -> dict[str, str]:
    return dict(Entry.objects.filter(submission=s).values_list("item_id", "raw"))


def test_another_communes_file_is_an_error_and_needs_an_acknowledgement(
        drafts: dict[str, Submission], login: Login,
        django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    s = drafts["42.H02.X01"]  # Xã Kỳ Xuân's draft
    client = login("xa.kyxuan")
    url, html = _preview(client, s)
    assert 'data-testid="identity"' in html
    assert "Tệp ghi đơn vị &quot;UBND xã Cẩm Hưng&quot;, không phải &quot;Xã Kỳ Xuân&quot;" in html
    assert 'name="ack"' in html
    before = _values(s)

    refused = client.post(url, {"action": "confirm", "mode": "fill"})
    assert refused.status_code == 422
    assert "Số liệu chưa được đưa vào" in refused.content.decode()
    assert _values(s) == before  # nothing written
    assert not AuditEvent.objects.filter(submission=s, action="file").exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"action": "confirm", "mode": "fill", "ack": "yes"})
    assert done.status_code == 302
    assert len(_values(s)) > len(before)
    event = AuditEvent.objects.get(submission=s, action="file")
    assert "đã xác nhận dùng tệp dù" in event.comment and "Cẩm Hưng" in event.comment
    assert event.user == User.objects.get(username="xa.kyxuan")


def test_a_half_year_file_in_the_annual_report_is_an_error(
        tree: dict[str, OrgUnit], login: Login) -> None:
    unit = tree["42.H01.X01"]
    period = periods.ensure("year", 2022)
    the_form = form_for(unit, period)
    assert the_form is not None
    user = User.objects.get(username="xa.camhung")
    s = workflow.open_draft(unit.pk, period.pk, the_form.id, user)
    _, html = _preview(login("xa.camhung"), s)
    assert ("Tệp là báo cáo &quot;6 tháng đầu năm 2022&quot;, báo cáo đang lập là "
            "&quot;Năm 2022&quot;") in html


def test_the_right_file_raises_nothing(drafts: dict[str, Submission], login: Login) -> None:
    _, html = _preview(login("xa.camhung"), drafts["42.H01.X01"])
    assert 'data-testid="identity"' not in html and 'name="ack"' not in html


def test_import_refuses_a_mismatch_unless_accepted(
        drafts: dict[str, Submission]) -> None:
    s = drafts["42.H02.X01"]
    user = User.objects.get(username="xa.kyxuan")
    with pytest.raises(uploads.NeedsAcknowledgement, match="--accept-mismatch"):
        uploads.import_file(CAM_HUNG, s, user)
    assert not AuditEvent.objects.filter(submission=s, action="file").exists()
    written = uploads.import_file(CAM_HUNG, s, user, acknowledged=True)
    assert written.values > 50
    assert "đã xác nhận" in AuditEvent.objects.get(submission=s, action="file").comment


def test_the_import_command_exits_1_on_a_mismatch(drafts: dict[str, Submission]) -> None:
    from cchc_web.cli import main

    args = ["import", str(CAM_HUNG), "--unit", "42.H02.X01", "--period", "half_year:2022",
            "--user", "xa.kyxuan"]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 1, refused.output
    assert "không phải" in refused.output and "--accept-mismatch" in refused.output
    done = CliRunner().invoke(main, [*args, "--accept-mismatch"])
    assert done.exit_code == 0, done.output
    assert "số liệu" in done.output
