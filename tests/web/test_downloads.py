"""Downloads of official documents: a submission and a district's aggregate as Word,
Excel and PDF, read back by the core exactly; with the page's permissions (an unrelated
commune gets a 404); a PDF that cannot be made says why in Vietnamese."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from cchc.api import read
from cchc.render.document import RenderError
from cchc_web import demo, documents, reporting
from cchc_web.models import OrgUnit, Period, Submission

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"


@pytest.fixture
def built(db: None) -> None:
    demo.build(SEEDS, generated=True)


def _client(username: str) -> Client:
    client = Client()
    client.force_login(demo_user(username))
    return client


def demo_user(username: str):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import User

    return User.objects.get(username=username)


def _read(data: bytes, suffix: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / f"doc{suffix}"
    path.write_bytes(data)
    return read(path)


def _half_2022() -> Period:
    return Period.objects.get(kind="half_year", year=2022)


def test_the_district_downloads_its_aggregate_and_it_reads_back(built: None, tmp_path: Path
                                                                ) -> None:
    client = _client("huyen.camxuyen")
    district = OrgUnit.objects.get(code="42.H01")
    period = _half_2022()
    query = {"don-vi": district.code, "ky": period.pk, "trang-thai": "approved"}
    result = reporting.aggregate(district, period, "approved")
    expected = {r.item: r.value for r in result.rows if r.value is not None and not r.counts}
    assert len(expected) > 20
    for fmt, suffix in (("docx", ".docx"), ("xlsx", ".xlsx")):
        response = client.get(reverse("aggregate-document", args=[fmt]), query)
        assert response.status_code == 200, response.content[:300]
        assert response["Content-Type"] == documents.CONTENT_TYPES[fmt]
        assert "attachment" in response["Content-Disposition"]
        back = _read(response.content, suffix, tmp_path)
        assert back.form_id == result.form_id
        got = {r.item: r.value.value for r in back.rows if r.item in expected}
        assert got == expected, fmt
    docx = client.get(reverse("aggregate-document", args=["docx"]), query).content
    from docx import Document

    word = Document(io.BytesIO(docx))
    text = "\n".join(p.text for p in word.paragraphs)
    header = "\n".join(c.text for c in word.tables[0]._cells)
    assert "ỦY BAN NHÂN DÂN" in header and "HUYỆN CẨM XUYÊN" in header
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
    assert "đã gửi báo cáo" in text  # the drafted coverage sentence


def test_a_submission_downloads_as_its_report(built: None, tmp_path: Path) -> None:
    s = Submission.objects.get(unit__code="42.H01.X01", period__kind="half_year",
                               period__year=2022)
    client = _client("xa.camhung")
    response = client.get(reverse("submission-document", args=[s.pk, "docx"]))
    assert response.status_code == 200
    back = _read(response.content, ".docx", tmp_path)
    assert back.form_id == s.form_id
    typed = dict(s.entries.exclude(raw="").values_list("item_id", "raw"))
    got = {r.item: r.value.raw for r in back.rows if r.item in typed}
    assert got == {k: v.strip() for k, v in typed.items()}


def test_downloads_keep_the_pages_permissions(built: None) -> None:
    s = Submission.objects.get(unit__code="42.H01.X01", period__kind="half_year",
                               period__year=2022)
    stranger = _client("xa.kyxuan")  # a commune of another district
    assert stranger.get(reverse("submission-document", args=[s.pk, "docx"])
                        ).status_code == 404
    district = OrgUnit.objects.get(code="42.H01")
    response = stranger.get(reverse("aggregate-document", args=["xlsx"]),
                            {"don-vi": district.code, "ky": _half_2022().pk})
    assert response.status_code in (403, 404)
    other = _client("huyen.kesach")
    assert other.get(reverse("aggregate-document", args=["docx"]),
                     {"don-vi": district.code, "ky": _half_2022().pk}).status_code in (403, 404)
    anonymous = Client().get(reverse("submission-document", args=[s.pk, "docx"]))
    assert anonymous.status_code == 302
    mine = _client("xa.camhung")
    assert mine.get(reverse("submission-document", args=[s.pk, "exe"])).status_code == 404


def test_a_pdf_that_cannot_be_made_says_why(built: None, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    def absent(*_: object, **__: object) -> bytes:
        raise RenderError("pdf-missing", "Máy chủ chưa cài LibreOffice nên chưa tạo được "
                                         "tệp PDF.")

    monkeypatch.setattr(documents, "render", absent)
    s = Submission.objects.get(unit__code="42.H01.X01", period__kind="half_year",
                               period__year=2022)
    response = _client("xa.camhung").get(reverse("submission-document", args=[s.pk, "pdf"]))
    assert response.status_code == 503
    assert "LibreOffice" in response.content.decode()


# Skipped only on a developer machine without LibreOffice; in CI a missing soffice fails.
@pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"),
                    reason="LibreOffice is not installed")
def test_the_aggregate_as_pdf_keeps_its_vietnamese_text(built: None, tmp_path: Path) -> None:
    import subprocess

    client = _client("huyen.camxuyen")
    response = client.get(reverse("aggregate-document", args=["pdf"]),
                          {"don-vi": "42.H01", "ky": _half_2022().pk})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    path = tmp_path / "doc.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Cẩm Xuyên" in text


def test_cchc_render_writes_a_stored_report_and_an_aggregate(built: None, tmp_path: Path
                                                             ) -> None:
    from click.testing import CliRunner

    from cchc_web.cli import main

    out = tmp_path / "tong-hop.docx"
    done = CliRunner().invoke(main, ["render", "--unit", "42.H01", "--period",
                                     "half_year:2022", "--aggregate", "--format", "docx",
                                     "-o", str(out)])
    assert done.exit_code == 0, done.output
    result = reporting.aggregate(OrgUnit.objects.get(code="42.H01"), _half_2022(), "approved")
    back = read(out)
    assert back.form_id == result.form_id
    assert {r.item: r.value.value for r in back.rows if r.item in {
        x.item for x in result.rows if x.value is not None and not x.counts}} == {
        x.item: x.value for x in result.rows if x.value is not None and not x.counts}
    own = tmp_path / "xa.xlsx"
    done = CliRunner().invoke(main, ["render", "--unit", "42.H01.X01", "--period",
                                     "half_year:2022", "--status", "all", "--format", "xlsx",
                                     "-o", str(own)])
    assert done.exit_code == 0, done.output
    assert read(own).form_id == "ha-tinh-phu-luc-1b-2022"
    none = CliRunner().invoke(main, ["render", "--unit", "42.H01", "--period",
                                     "half_year:2022", "--format", "docx", "-o",
                                     str(tmp_path / "x.docx")])
    assert none.exit_code == 1 and "chưa có báo cáo" in none.output
    both = CliRunner().invoke(main, ["render", "--unit", "42.H01", "--format", "docx",
                                     "-o", str(tmp_path / "y.docx")])
    assert both.exit_code == 2
