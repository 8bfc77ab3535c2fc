"""The unit tree: CSV import (all or nothing, every bad line named), subtree paths that
follow moves, the tree before and after the 2025 reform with lineage."""

from __future__ import annotations

from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cchc_web.models import Lineage, OrgUnit
from cchc_web.units_csv import import_units

Login = Callable[[str], Client]

GOOD = """ma,ten,loai,ma_cap_tren,hieu_luc_tu,hieu_luc_den,sap_nhap_vao,email
99.X1,Xã Mới Một,xã,99.H,,30/06/2025,99.P1,
99.H,Huyện Thử,huyện,99,,30/06/2025,,
99,Tỉnh Thử,tỉnh,,,,,
99.P1,Phường Hợp Nhất,phường,99,01/07/2025,,,phuong@example.vn
99.S1,Sở Nội vụ,sở,99,,,,
"""


def test_a_good_file_creates_the_tree_children_first_or_not(db: None) -> None:
    result = import_units(GOOD.encode("utf-8-sig"))
    assert result.problems == []
    assert (result.created, result.lineages) == (5, 1)
    commune = OrgUnit.objects.get(code="99.X1")
    assert [u.code for u in commune.ancestors()] == ["99", "99.H"]
    assert commune.kind == "commune" and commune.valid_to is not None
    link = Lineage.objects.get(source=commune)
    assert link.target.code == "99.P1" and link.date.isoformat() == "2025-07-01"
    again = import_units(GOOD.encode())
    assert (again.created, again.updated) == (0, 5)


def test_every_bad_line_is_reported_and_nothing_is_imported(db: None) -> None:
    bad = ("ma;ten;loai;ma_cap_tren;hieu_luc_tu;hieu_luc_den\n"
           "1;Tỉnh A;tỉnh;;;\n"
           "2;;huyện;1;;\n"
           "3;Xã B;làng;1;;\n"
           "4;Xã C;xã;77;31/13/2025;\n"
           "1;Tỉnh A lặp;tỉnh;;;\n")
    result = import_units(bad.encode())
    assert OrgUnit.objects.count() == 0
    text = "\n".join(result.problems)
    assert "Dòng 3: thiếu ten." in text
    assert "Dòng 4: loại đơn vị “làng” không hợp lệ." in text
    assert "Dòng 5: hieu_luc_tu “31/13/2025” không đúng dạng ngày/tháng/năm." in text
    assert "Dòng 5: ma_cap_tren “77” không có" in text
    assert "Dòng 6: mã 1 lặp lại trong tệp." in text


def test_a_parent_cycle_is_refused(db: None) -> None:
    data = "ma,ten,loai,ma_cap_tren\nA,Huyện A,huyện,B\nB,Huyện B,huyện,A\n"
    result = import_units(data.encode())
    assert any("vòng lặp" in p for p in result.problems)
    assert OrgUnit.objects.count() == 0


def test_a_file_that_is_not_utf8_or_lacks_columns_is_explained(db: None) -> None:
    legacy = "ma,ten,loai\n1,Tỉnh Hà Tĩnh,tỉnh\n".encode("utf-16")
    assert "UTF-8" in import_units(legacy).problems[0]
    assert "thiếu cột loai" in import_units(b"ma,ten\n1,A\n").problems[0]


def test_moving_a_unit_moves_its_subtree(tree: dict[str, OrgUnit]) -> None:
    district, commune = tree["42.H01"], tree["42.H01.X01"]
    district.parent = tree["46"]
    district.save()
    commune.refresh_from_db()
    assert commune.path.startswith(tree["46"].path)
    assert tree["46"].subtree().filter(pk=commune.pk).exists()


def test_the_admin_imports_through_the_page(tree: dict[str, OrgUnit], login: Login) -> None:
    client = login("quantri")
    response = client.post(reverse("units-import"),
                           {"file": SimpleUploadedFile("dv.csv", GOOD.encode())})
    assert response.status_code == 200
    assert "5 đơn vị mới" in response.content.decode()
    bad = client.post(reverse("units-import"),
                      {"file": SimpleUploadedFile("dv.csv", b"ma,ten,loai\n,,\n")})
    assert bad.status_code == 422 and "Dòng 2" in bad.content.decode()


def test_the_tree_page_shows_before_and_after_the_reform(tree: dict[str, OrgUnit],
                                                         login: Login) -> None:
    html = login("tinh.hatinh").get(reverse("units")).content.decode()
    before, after = html.split('data-testid="tree-after"')
    assert "Huyện Cẩm Xuyên" in before and "Huyện Cẩm Xuyên" not in after
    assert "Xã Cẩm Thịnh" in before and "sáp nhập vào <b>Xã Cẩm Hưng</b>" in before
    assert "Xã Cẩm Hưng" in after and "Xã Cẩm Thịnh" not in after
