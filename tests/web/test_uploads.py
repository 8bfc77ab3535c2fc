"""Upload → preview → confirm: real seed files, Word files, and hostile files that must be
refused in Vietnamese with nothing stored."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cchc.cli import sample_dir
from cchc_web import uploads
from cchc_web.models import AuditEvent, Entry, Narrative, SourceFile, Submission, Upload
from tests.builders import build_report_docx, build_zip_bomb

Login = Callable[[str], Client]
SEED = sample_dir() / "000_1d532f9d1e3624b0.txt"


def _upload(client: Client, s: Submission, name: str, data: bytes) -> object:
    return client.post(reverse("upload", kwargs={"pk": s.pk}),
                       {"file": SimpleUploadedFile(name, data)})


def _nothing_stored(s: Submission, settings: object) -> None:
    assert not Upload.objects.exists()
    assert not SourceFile.objects.filter(submission=s).exclude(name__endswith=".txt").exists()
    pending = Path(settings.UPLOAD_DIR, "pending")  # type: ignore[attr-defined]
    assert not pending.exists() or not any(pending.iterdir())


def test_a_seed_report_is_previewed_then_confirmed_into_the_draft(
        drafts: dict[str, Submission], login: Login, settings: object,
        django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    s = drafts["42.H01.X01"]
    client = login("xa.camhung")
    response = _upload(client, s, SEED.name, SEED.read_bytes())
    assert response.status_code == 302  # type: ignore[attr-defined]
    preview = client.get(response["Location"])  # type: ignore[index]
    html = preview.content.decode()
    assert 'data-testid="preview"' in html
    assert "97,74%" in html and "Tỷ lệ ghi 97,74%" in html  # source value and its finding
    assert "dòng" in html  # where each row was read
    assert Entry.objects.get(submission=s, item_id="1.2.1").raw == "25"  # untouched so far

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(response["Location"],  # type: ignore[index]
                           {"action": "confirm", "mode": "fill"})
    assert done.status_code == 302
    entries = dict(Entry.objects.filter(submission=s).values_list("item_id", "raw"))
    assert entries["1.2.1"] == "25"  # fill keeps what was typed
    assert len(entries) > 50
    assert Narrative.objects.filter(submission=s, section="I").exists()
    kept = SourceFile.objects.get(submission=s, name=SEED.name)
    assert Path(settings.UPLOAD_DIR, kept.stored).read_bytes() == SEED.read_bytes()  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(submission=s, via="upload", action="value").count() > 50
    notes = dict(Entry.objects.filter(submission=s).exclude(note="")
                 .values_list("item_id", "note"))  # the file's "Ghi chú" column
    assert "Chỉ UBND cấp huyện báo cáo" in notes.values()
    assert AuditEvent.objects.filter(submission=s, via="upload", action="note").count() == len(
        notes)
    assert not any(Path(settings.UPLOAD_DIR, "pending").iterdir())  # type: ignore[attr-defined]


def test_replace_mode_overwrites_typed_values(drafts: dict[str, Submission]) -> None:
    s = drafts["42.H01.X01"]
    user = User.objects.get(username="xa.camhung")
    pending = Upload.objects.create(submission=s, user=user, name="x.txt", stored="none",
                                    sha256="", size=0, preview={"rows": [
                                        {"item": "1.2.1", "raw": "30", "kind": "number"},
                                        {"item": "1.1", "raw": "8.333", "kind": "ambiguous"},
                                    ], "sections": {}})
    fill = uploads.planned_changes(pending, s, "fill", {})
    assert fill == []  # 1.2.1 is typed already; the ambiguous value is never guessed
    replace = uploads.planned_changes(pending, s, "replace", {"1.1": "8333"})
    assert {(c.key, c.base, c.new) for c in replace} == {("1.2.1", "25", "30"),
                                                         ("1.1", "", "8333")}
    with pytest.raises(uploads.UploadError):
        uploads.planned_changes(pending, s, "", {})


def test_notes_of_the_file_fill_or_replace_like_values(drafts: dict[str, Submission]) -> None:
    s = drafts["42.H01.X01"]
    user = User.objects.get(username="xa.camhung")
    Entry.objects.filter(submission=s, item_id="1.2.1").update(note="Ghi chú đã nhập")
    pending = Upload.objects.create(submission=s, user=user, name="x.txt", stored="none",
                                    sha256="", size=0, preview={"rows": [
                                        {"item": "1.2.1", "raw": "", "kind": "empty",
                                         "note": "Theo kế hoạch số 12"},
                                        {"item": "1.1", "raw": "", "kind": "empty",
                                         "note": "Chỉ UBND cấp huyện báo cáo"},
                                        {"item": "1.1", "raw": "", "kind": "empty",
                                         "note": "một dòng lặp lại"},
                                    ], "sections": {}})
    fill = uploads.planned_changes(pending, s, "fill", {})
    assert [(c.kind, c.key, c.base, c.new) for c in fill] == [
        ("note", "1.1", "", "Chỉ UBND cấp huyện báo cáo")]
    replace = uploads.planned_changes(pending, s, "replace", {})
    assert {(c.key, c.base, c.new) for c in replace} == {
        ("1.2.1", "Ghi chú đã nhập", "Theo kế hoạch số 12"),
        ("1.1", "", "Chỉ UBND cấp huyện báo cáo")}


def test_a_word_report_is_read(drafts: dict[str, Submission], login: Login,
                               tmp_path: Path) -> None:
    s = drafts["42.H01.X01"]
    path = build_report_docx(tmp_path / "bao-cao.docx")
    response = _upload(login("xa.camhung"), s, path.name, path.read_bytes())
    assert response.status_code == 302  # type: ignore[attr-defined]


@pytest.mark.parametrize(("name", "data", "words"), [
    ("bao-cao.exe", b"MZ\x90\x00", "không được hỗ trợ"),
    ("bao-cao.docx", b"PK\x03\x04 not really a zip", "bị hỏng"),
    ("bao-cao.pdf", b"%PDF-1.4\n%%EOF\n", "bao-cao.pdf"),
    ("rong.txt", b"", "rỗng"),
    ("anh.txt", bytes(range(256)) * 4, "không phải văn bản"),
])
def test_bad_files_are_refused_in_vietnamese_and_nothing_is_stored(
        drafts: dict[str, Submission], login: Login, settings: object, name: str, data: bytes,
        words: str) -> None:
    s = drafts["42.H01.X01"]
    response = _upload(login("xa.camhung"), s, name, data)
    assert response.status_code == 422  # type: ignore[attr-defined]
    html = response.content.decode()  # type: ignore[attr-defined]
    assert words in html and name in html
    _nothing_stored(s, settings)
    assert Entry.objects.filter(submission=s).count() == 2


def test_a_zip_bomb_is_refused(drafts: dict[str, Submission], login: Login, settings: object,
                               tmp_path: Path) -> None:
    s = drafts["42.H01.X01"]
    bomb = build_zip_bomb(tmp_path / "bom.docx", "word/document.xml", 1 << 30)
    response = _upload(login("xa.camhung"), s, bomb.name, bomb.read_bytes())
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "bom nén" in response.content.decode()  # type: ignore[attr-defined]
    _nothing_stored(s, settings)


def test_a_file_over_the_limit_is_refused_before_reading(
        drafts: dict[str, Submission], login: Login, settings: object) -> None:
    settings.MAX_UPLOAD_MB = 1  # type: ignore[attr-defined]
    s = drafts["42.H01.X01"]
    response = _upload(login("xa.camhung"), s, "lon.txt", b"a" * (2 * 2**20) + b"a")
    # the body is over the page's limit (the file's and 1 MB for the form): not even read
    assert response.status_code == 413  # type: ignore[attr-defined]
    assert "quá lớn" in response.content.decode()  # type: ignore[attr-defined]
    _nothing_stored(s, settings)


def test_discarding_a_preview_leaves_the_draft_alone(
        drafts: dict[str, Submission], login: Login, settings: object) -> None:
    s = drafts["42.H01.X01"]
    client = login("xa.camhung")
    response = _upload(client, s, SEED.name, SEED.read_bytes())
    client.post(response["Location"], {"action": "discard"})  # type: ignore[index]
    _nothing_stored(s, settings)
    assert Entry.objects.filter(submission=s).count() == 2


def test_a_confirmed_upload_cannot_be_confirmed_twice(
        drafts: dict[str, Submission], login: Login) -> None:
    s = drafts["42.H01.X01"]
    client = login("xa.camhung")
    response = _upload(client, s, SEED.name, SEED.read_bytes())
    client.post(response["Location"], {"action": "confirm", "mode": "fill"})  # type: ignore[index]
    again = client.post(response["Location"], {"action": "confirm", "mode": "fill"})  # type: ignore[index]
    assert again.status_code == 404
    assert SourceFile.objects.filter(submission=s, name=SEED.name).count() == 1


def test_stale_previews_and_orphaned_pending_files_are_swept(
        drafts: dict[str, Submission], settings: object) -> None:
    import datetime as dt
    import os
    import time

    s = drafts["42.H01.X01"]
    user = User.objects.get(username="xa.camhung")
    pending = Path(settings.UPLOAD_DIR, "pending")  # type: ignore[attr-defined]
    pending.mkdir(parents=True, exist_ok=True)
    day_old = time.time() - 2 * uploads.ORPHAN_SECONDS
    files = {}
    for name in ("orphan-old.txt", "orphan-new.txt", "open.txt", "stale.txt"):
        files[name] = pending / name
        files[name].write_text("x", encoding="utf-8")
        if name != "orphan-new.txt":
            os.utime(files[name], (day_old, day_old))
    kept = Upload.objects.create(submission=s, user=user, name="a.txt",
                                 stored="pending/open.txt", sha256="", size=1, preview={})
    stale = Upload.objects.create(submission=s, user=user, name="b.txt",
                                  stored="pending/stale.txt", sha256="", size=1, preview={})
    Upload.objects.filter(pk=stale.pk).update(
        created_at=stale.created_at - dt.timedelta(days=uploads.PREVIEW_DAYS + 1))
    assert uploads.sweep_pending() == 1  # the old orphan; the stale preview is discarded
    assert sorted(p.name for p in pending.iterdir()) == ["open.txt", "orphan-new.txt"]
    assert list(Upload.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_size_in_a_too_large_message_is_written_the_vietnamese_way(
        drafts: dict[str, Submission], settings: object) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MAX_UPLOAD_MB = 1  # type: ignore[attr-defined]
    big = SimpleUploadedFile("bao.cao.docx", b"x" * (3 * 2**20 // 2))
    user = User.objects.get(username="xa.camhung")
    with pytest.raises(uploads.UploadError) as refused:
        uploads.receive(big, drafts["42.H01.X01"], user)
    assert str(refused.value) == ("bao.cao.docx: tệp quá lớn (1,5 MB), giới hạn là 1 MB.")


def test_a_read_that_runs_out_of_time_is_refused_in_words(
        drafts: dict[str, Submission], login: Login, settings: object,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCHC_READ_SECONDS", "0.0001")
    s = drafts["42.H01.X01"]
    response = _upload(login("xa.camhung"), s, SEED.name, SEED.read_bytes())
    assert response.status_code == 422  # type: ignore[attr-defined]
    text = response.content.decode()  # type: ignore[attr-defined]
    assert SEED.name in text and "giây" in text
    _nothing_stored(s, settings)


def test_a_utf16_report_with_nul_characters_is_read_and_stored(
        drafts: dict[str, Submission], login: Login,
        django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    """PostgreSQL refuses NUL in text: a UTF-16 file (NUL bytes in every character) and
    stray NUL characters in it must not reach the database (this was a 500 there)."""
    s = drafts["42.H01.X01"]
    client = login("xa.camhung")
    text = SEED.read_text(encoding="utf-8").replace("Cẩm Hưng", "Cẩm\x00 Hưng", 3)
    response = _upload(client, s, "bao-cao-utf16.txt", text.encode("utf-16"))
    assert response.status_code == 302, response.content.decode()[:300]  # type: ignore[attr-defined]
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(response["Location"], {"action": "confirm",  # type: ignore[index]
                                                   "mode": "replace"})
    assert done.status_code == 302
    assert Entry.objects.filter(submission=s).count() > 50
    assert not any("\x00" in t for t in Narrative.objects.filter(submission=s)
                   .values_list("text", flat=True))


def _slow(*args: object) -> object:
    import time

    time.sleep(60)
    raise AssertionError("never reached")


def _hungry(*args: object) -> object:
    hog = bytearray(1536 * 2**20)  # 1,5 GB
    return hog


def test_a_read_past_its_time_is_stopped_whatever_stage_it_is_in(
        drafts: dict[str, Submission], login: Login, settings: object,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The readers check their own deadline; a later stage that does not (here one that
    sleeps) is stopped too: the child process doing the work is killed."""
    monkeypatch.setenv("CCHC_READ_SECONDS", "0.5")
    monkeypatch.setattr(uploads, "READ_MARGIN_SECONDS", 1)
    monkeypatch.setattr(uploads, "interpret", _slow)
    s = drafts["42.H01.X01"]
    response = _upload(login("xa.camhung"), s, SEED.name, SEED.read_bytes())
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "đọc tệp quá 0,5 giây" in response.content.decode()  # type: ignore[attr-defined]
    _nothing_stored(s, settings)


def test_a_read_that_wants_too_much_memory_is_refused(
        drafts: dict[str, Submission], login: Login, settings: object,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCHC_READ_MEMORY_MB", "768")
    monkeypatch.setattr(uploads, "interpret", _hungry)
    s = drafts["42.H01.X01"]
    response = _upload(login("xa.camhung"), s, SEED.name, SEED.read_bytes())
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "quá 768 MB bộ nhớ" in response.content.decode()  # type: ignore[attr-defined]
    _nothing_stored(s, settings)
