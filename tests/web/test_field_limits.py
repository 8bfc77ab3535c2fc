"""What is sent is checked before the database sees it: over-long fields, NUL and other
control characters, absurd numbers and dates, keys the form does not have. Each invalid
field is named in Vietnamese and not stored; every valid field of the same save is kept;
never a 500 (PostgreSQL refuses NUL and over-long strings outright, SQLite stores them)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from cchc_web import editing
from cchc_web.editing import Change
from cchc_web.models import AuditEvent, Entry, Narrative, Submission

Login = Callable[[str], Client]
# a real document number of a district report is 74 characters long
LONG_NUMBER = "228/BC-UBND-VP-NV-TP-TC-KH-TT-VH-YT-GD-LĐTBXH-TNMT-NN-CT-KT-QLĐT-BCH-QS-CA-HĐ"


def _save_all(client: Client, s: Submission, data: dict[str, str]) -> object:
    return client.post(reverse("save", kwargs={"pk": s.pk}), data, follow=True)


def _raw(s: Submission, item: str) -> str | None:
    return Entry.objects.filter(submission=s, item_id=item).values_list("raw", flat=True).first()


def test_a_real_document_number_is_stored(drafts: dict[str, Submission], login: Login) -> None:
    s = drafts["42.H01.X01"]
    assert len(LONG_NUMBER) >= 74
    response = _save_all(login("xa.camhung"), s, {"doc_number": LONG_NUMBER,
                                                 "doc_number_base": ""})
    assert response.status_code == 200  # type: ignore[attr-defined]
    s.refresh_from_db()
    assert s.doc_number == LONG_NUMBER


def test_a_whole_form_save_keeps_the_valid_fields_and_names_the_invalid_ones(
        drafts: dict[str, Submission], login: Login) -> None:
    s = drafts["42.H01.X01"]
    data = {
        "v:1.1": "12",  # valid
        "v:1.3.1": "x" * 2001,  # too long
        "v:1.3.2": "1\x002",  # NUL
        "c:1.2": "giải trình\x00",  # NUL in an explanation
        "g:1.1": "g" * 4001,  # note too long
        "n:I": "Nội dung mục I.",  # valid
        "n:" + "Z" * 300: "x",  # a section the outline does not have
        "v:ZZZZZ": "5", "c:khong-co": "x",  # items the form does not have
        "v:1.4.1": "9" * 400,  # a number of 400 digits
        "doc_number": "N" * 256, "doc_number_base": "",
        "doc_date": "1/1/0001", "doc_date_base": "",
    }
    for key in list(data):
        if key.startswith(("v:", "c:", "g:", "n:")):
            base = {"v": "b", "c": "cb", "g": "gb", "n": "nb"}[key.split(":")[0]]
            data[f"{base}:{key.split(':', 1)[1]}"] = ""
    response = _save_all(login("xa.camhung"), s, data)
    assert response.status_code == 200  # type: ignore[attr-defined]
    html = response.content.decode()  # type: ignore[attr-defined]
    assert _raw(s, "1.1") == "12"
    assert Narrative.objects.get(submission=s, section="I").text == "Nội dung mục I."
    for item in ("1.3.1", "1.3.2", "1.4.1", "ZZZZZ", "khong-co"):
        assert _raw(s, item) in (None, ""), item
    assert not Entry.objects.filter(submission=s, item_id="1.2").exclude(comment="").exists()
    assert not Narrative.objects.filter(submission=s).exclude(section="I").exists()
    s.refresh_from_db()
    assert s.doc_number == "" and s.doc_date is None
    assert "Số liệu dòng 1.3.1" in html and "quá giới hạn 2.000 ký tự" in html
    assert "Số liệu dòng 1.3.2" in html and "ký tự điều khiển" in html
    assert "Giải trình dòng 1.2" in html
    assert "Ghi chú dòng 1.1" in html and "quá giới hạn 4.000 ký tự" in html
    assert "Biểu mẫu không có chỉ tiêu “ZZZZZ”" in html
    assert "Biểu mẫu không có chỉ tiêu “khong-co”" in html
    assert "Phần thuyết minh không có mục" in html
    assert "quá lớn, không phải một số liệu thật" in html
    assert "Số hiệu văn bản: dài 256 ký tự" in html
    assert "Ngày ban hành “1/1/0001”" in html
    assert "∞" not in html
    # no audit row for anything refused
    fields = set(AuditEvent.objects.filter(submission=s).values_list("field", flat=True))
    assert not fields & {"1.3.1", "1.3.2", "ZZZZZ", "khong-co", "1.4.1"}


def test_an_autosave_of_an_invalid_field_answers_422_naming_it(
        drafts: dict[str, Submission], login: Login) -> None:
    s = drafts["42.H01.X01"]
    response = login("xa.camhung").post(
        reverse("save-field", kwargs={"pk": s.pk}), {"v:1.1": "1\x00", "b:1.1": ""},
        HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="v:1.1")
    assert response.status_code == 422
    assert "Số liệu dòng 1.1" in response.content.decode()
    assert _raw(s, "1.1") is None


def test_an_upload_name_of_200_characters_is_kept_whole_enough(
        drafts: dict[str, Submission], login: Login) -> None:
    from cchc_web.validation import clean_name

    name = "bao-cao-" + "rất-dài-" * 40 + ".docx"
    cleaned = clean_name(name)
    assert len(cleaned) <= 200 and cleaned.endswith(".docx")
    assert clean_name("../../etc/passwd\x00.txt") == "passwd.txt"


def test_the_save_function_refuses_the_same_way_for_every_caller(
        drafts: dict[str, Submission]) -> None:
    s = drafts["42.H01.X01"]
    user = User.objects.get(username="xa.camhung")
    result = editing.save(s.pk, user, [Change("value", "1.1", "", "7"),
                                       Change("note", "1.1", "", "ghi\x00chú")])
    assert [c.key for c in result.saved] == ["1.1"]
    assert [i.kind for i in result.invalid] == ["note"]
    assert _raw(s, "1.1") == "7"


def test_an_upload_with_a_long_name_is_confirmed(
        drafts: dict[str, Submission], login: Login,
        django_capture_on_commit_callbacks: object) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cchc.cli import sample_dir
    from cchc_web.models import SourceFile

    seed = sample_dir() / "000_1d532f9d1e3624b0.txt"
    s = drafts["42.H01.X01"]
    client = login("xa.camhung")
    name = "Báo cáo kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2022 của " \
           "Ủy ban nhân dân xã Cẩm Hưng huyện Cẩm Xuyên tỉnh Hà Tĩnh (bản chính thức).txt"
    assert len(name) > 150
    response = client.post(reverse("upload", kwargs={"pk": s.pk}),
                           {"file": SimpleUploadedFile(name, seed.read_bytes())})
    assert response.status_code == 302
    done = client.post(response["Location"], {"action": "confirm", "mode": "fill"})
    assert done.status_code == 302
    assert SourceFile.objects.filter(submission=s, name=name).exists()
    assert AuditEvent.objects.filter(submission=s, action="file", field=name).exists()
