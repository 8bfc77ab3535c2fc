"""Bodies larger than a page accepts are refused before anything reads them; uploads are
stopped as they stream past the limit; report pages and downloads carry a CSP and are never
cached; temporary files of killed uploads are swept."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cchc_web import uploads
from cchc_web.models import Submission, Upload

Login = Callable[[str], Client]


def _files(folder: str) -> list[str]:
    return os.listdir(folder) if os.path.isdir(folder) else []


def test_an_anonymous_2_gb_post_is_refused_without_reading_it(
        db: None, settings: Any) -> None:
    response = Client().post("/dang-nhap/", data=b"x" * 100,
                             content_type="multipart/form-data; boundary=x",
                             CONTENT_LENGTH=str(2 * 2**30))
    assert response.status_code == 413
    assert "Nội dung gửi lên quá lớn" in response.content.decode()
    assert _files(settings.FILE_UPLOAD_TEMP_DIR) == []


def test_a_logged_in_body_over_the_upload_limit_is_refused(
        drafts: dict[str, Submission], login: Login) -> None:
    s = drafts["42.H01.X01"]
    url = reverse("upload", kwargs={"pk": s.pk})
    response = login("xa.camhung").post(url, data=b"x" * 100,
                                        content_type="multipart/form-data; boundary=x",
                                        CONTENT_LENGTH=str(30 * 2**20))
    assert response.status_code == 413
    # any other page takes no more than a whole-form save
    save = login("xa.camhung").post(reverse("save", kwargs={"pk": s.pk}), data=b"x",
                                    content_type="application/x-www-form-urlencoded",
                                    CONTENT_LENGTH=str(8 * 2**20))
    assert save.status_code == 413


def test_a_file_is_stopped_as_it_streams_past_the_limit(
        drafts: dict[str, Submission], login: Login, settings: Any) -> None:
    settings.MAX_UPLOAD_MB = 1  # the body check lets 2 MB through; the handler stops at 1
    s = drafts["42.H01.X01"]
    big = SimpleUploadedFile("bao-cao.txt", b"a" * (1536 * 1024))
    response = login("xa.camhung").post(reverse("upload", kwargs={"pk": s.pk}), {"file": big})
    assert response.status_code == 422
    assert "Tệp quá lớn: giới hạn là 1 MB" in response.content.decode()
    assert not Upload.objects.exists()


def test_report_pages_and_downloads_have_a_csp_and_are_not_cached(
        drafts: dict[str, Submission], login: Login) -> None:
    s = drafts["42.H01.X01"]
    client = login("xa.camhung")
    page = client.get(reverse("submission", kwargs={"pk": s.pk}))
    assert "no-store" in page["Cache-Control"]
    assert "script-src 'self'" in page["Content-Security-Policy"]
    kept = s.files.first()
    assert kept is not None
    download = client.get(reverse("source-file", kwargs={"pk": s.pk, "file_id": kept.pk}))
    assert download.status_code == 200
    assert "no-store" in download["Cache-Control"]
    assert "Content-Security-Policy" in download


def test_temporary_files_of_killed_uploads_are_swept(db: None, settings: Any) -> None:
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    old, fresh = folder / "tmpold.upload", folder / "tmpnew.upload"
    old.write_bytes(b"x" * 1000)
    fresh.write_bytes(b"x")
    hour_ago = time.time() - 2 * 3600
    os.utime(old, (hour_ago, hour_ago))
    assert uploads.sweep_pending() == 1
    assert not old.exists() and fresh.exists()  # an upload in flight is left alone
