"""The audit trail page (/bao-cao/<id>/lich-su/): every row in Vietnamese words — field
names instead of stored keys, status words instead of codes, a file's name instead of its
SHA-256 — and a filter by kind of change. The browser test reads cells 3, 5 and 6 ("Thao
tác", "Cũ", "Mới"), so the column order is part of the page."""

from __future__ import annotations

from collections.abc import Callable

import lxml.html
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from cchc_web import editing, workflow
from cchc_web.editing import Change
from cchc_web.models import AUDIT_ACTIONS, AuditEvent, Submission

Login = Callable[[str], Client]
COLUMNS = ["Thời gian", "Người thực hiện", "Thao tác", "Nội dung", "Cũ", "Mới", "Cách thức",
           "Ghi chú"]
NARRATIVE_I = "Mục I. Công tác chỉ đạo, điều hành cải cách hành chính"


def _page(client: Client, s: Submission, query: str = "") -> lxml.html.HtmlElement:
    response = client.get(reverse("audit", kwargs={"pk": s.pk}) + query)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def _table(page: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    return page.xpath('//table[@data-testid="audit"]')[0]


def _rows(page: lxml.html.HtmlElement) -> list[list[str]]:
    return [[td.text_content().strip() for td in tr.xpath("./td")]
            for tr in _table(page).xpath("./tbody/tr")]


def _edited(s: Submission) -> User:
    user = User.objects.get(username="xa.camhung")
    editing.save(s.pk, user, [Change("number", "", "", "123/BC-UBND"),
                              Change("date", "", "", "15/06/2022"),
                              Change("narrative", "I", "", "Đã ban hành kế hoạch CCHC."),
                              Change("value", "1.6", "", "1")])
    workflow.submit(s.pk, user)
    return user


def test_the_columns_keep_their_order(drafts: dict[str, Submission], login: Login) -> None:
    page = _page(login("xa.camhung"), drafts["42.H01.X01"])
    header = [th.text_content().strip() for th in _table(page).xpath("./thead/tr/th")]
    assert header == COLUMNS


def test_fields_are_named_in_vietnamese_not_by_their_stored_keys(
        drafts: dict[str, Submission], login: Login) -> None:
    s = drafts["42.H01.X01"]
    _edited(s)
    rows = {(r[2], r[3]): r for r in _rows(_page(login("xa.camhung"), s))}
    assert rows["Sửa thông tin văn bản", "Số hiệu văn bản"][4:6] == ["", "123/BC-UBND"]
    assert rows["Sửa thông tin văn bản", "Ngày ban hành"][4:6] == ["", "15/06/2022"]
    assert rows["Sửa nội dung", NARRATIVE_I][5] == "Đã ban hành kế hoạch CCHC."
    assert rows["Chuyển trạng thái", "Trạng thái"][4:6] == ["Nháp", "Đã gửi"]
    assert rows["Tạo báo cáo", "Trạng thái"][4:6] == ["", "Nháp"]
    assert rows["Sửa số liệu", "1.2.1 Số nhiệm vụ đề ra trong kế hoạch"][4:6] == ["", "25"]
    # A coded answer says what its code means.
    coded = rows["Sửa số liệu", "1.6 Khảo sát sự hài lòng của người dân, tổ chức"]
    assert coded[5] == "Có (1)"
    keys = {"status", "number", "date", "draft", "submitted", "I", "web"}
    assert not keys & {cell for r in rows.values() for cell in r}
    assert all(r[6] == "Nhập trên web" for r in rows.values())


def test_a_file_event_shows_the_file_name_with_its_fingerprint_only_as_a_tooltip(
        drafts: dict[str, Submission], login: Login) -> None:
    s = drafts["42.H01.X01"]  # keeps a source file whose SHA-256 is 64 zeros
    kept = s.files.get()
    AuditEvent.objects.create(submission=s, user=User.objects.get(username="xa.camhung"),
                              action="file", field="bao-cao-6-thang.docx", new=kept.sha256,
                              via="upload", comment="12 thay đổi, chế độ thay thế")
    page = _page(login("xa.camhung"), s)
    row = next(tr for tr in _table(page).xpath("./tbody/tr")
               if tr.xpath("./td")[2].text_content().strip() == "Tệp báo cáo")
    cells = row.xpath("./td")
    assert [c.text_content().strip() for c in cells[3:7]] == [
        "Tệp gốc", "", "bao-cao-6-thang.docx", "Tải tệp lên"]
    assert kept.sha256 not in cells[5].text_content()
    link = cells[5].xpath(".//a")[0]
    assert link.get("href") == reverse("source-file", kwargs={"pk": s.pk, "file_id": kept.pk})
    assert link.get("title") == f"Mã kiểm tra SHA-256: {kept.sha256}"


def test_the_trail_is_filtered_by_kind_of_change(drafts: dict[str, Submission],
                                                  login: Login) -> None:
    s = drafts["42.H01.X01"]
    _edited(s)
    client = login("xa.camhung")
    everything = _rows(_page(client, s))
    assert {r[2] for r in everything} >= {"Sửa thông tin văn bản", "Sửa số liệu",
                                          "Chuyển trạng thái", "Tạo báo cáo"}
    page = _page(client, s, "?loai=meta")
    assert [r[3] for r in _rows(page)] == ["Ngày ban hành", "Số hiệu văn bản"]
    select = page.xpath('//form[@data-testid="audit-filter"]//select[@name="loai"]')[0]
    assert [o.get("value") for o in select.xpath("./option")] == [
        "", *(code for code, _ in AUDIT_ACTIONS)]
    assert [o.text_content() for o in select.xpath("./option[@selected]")] == [
        "Sửa thông tin văn bản"]
    assert _rows(_page(client, s, "?loai=comment")) == [
        ["Không có thay đổi nào thuộc loại này."]]
    # An unknown kind is no filter at all (not an error page).
    assert _rows(_page(client, s, "?loai=khong-co")) == everything
