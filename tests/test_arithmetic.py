"""The narrative's own arithmetic: totals and their parts, shares and their bases, received =
resolved + pending. Sentences are written the way reports and press summaries of many
provinces write them; each check has cases it must flag and near misses it must not."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.api import check
from cchc.catalog import Catalog
from cchc.checks import arithmetic
from cchc.checks.context import Context
from cchc.model import Finding, Meta, Paragraph, Report, Source
from cchc.numbers import format_number, format_percent

CODES = ("narrative-sum-mismatch", "narrative-part-exceeds-total", "narrative-share-mismatch",
         "narrative-balance-mismatch")
EMPTY = Catalog(concepts={}, forms=())


def findings(*texts: str) -> list[Finding]:
    """The arithmetic findings of a narrative made of these paragraphs."""
    paragraphs = [Paragraph(t, Source(line=i + 1)) for i, t in enumerate(texts)]
    report = Report(source="x.txt", format="txt", meta=Meta(), rows=[], narrative=[],
                    paragraphs=paragraphs, has_table=False)
    ctx = Context.build(report, EMPTY)
    return [f for check_ in arithmetic.CHECKS for f in check_(ctx)]


def one(*texts: str) -> Finding:
    found = findings(*texts)
    assert len(found) == 1, [f.message for f in found]
    return found[0]


def clean(*texts: str) -> None:
    found = findings(*texts)
    assert found == [], [f.message for f in found]


# ---------------------------------------------------------------- totals and parts


def test_it_flags_parts_in_parentheses_that_do_not_add_up_to_the_total() -> None:
    f = one("Năm 2023, Sở Nội vụ tổ chức kiểm tra công tác cải cách hành chính tại 24 đơn vị "
            "(Phòng chuyên môn 12, UBND cấp xã 9, khối đảng 7).")
    assert (f.code, f.severity) == ("narrative-sum-mismatch", "error")
    assert "12 + 9 + 7 = 28, khác tổng 24" in f.message
    assert "Sở Nội vụ tổ chức kiểm tra" in f.message
    assert f.params["narrative_source"] == {"line": 1}
    assert (f.expected, f.actual) == (28, 24)


def test_it_flags_on_time_and_late_that_do_not_make_the_resolved_total() -> None:
    f = one("Trung tâm Phục vụ hành chính công tỉnh đã giải quyết 10.455 hồ sơ (đúng hạn 10.133 "
            "hồ sơ, quá hạn 612 hồ sơ), đạt tỷ lệ đúng hạn 96,92%.")
    assert "10.133 + 612 = 10.745, khác tổng 10.455" in f.message


def test_it_flags_new_and_carried_over_that_do_not_make_the_dossiers_to_resolve() -> None:
    f = one("Tổng số hồ sơ phải giải quyết là 8.214, trong đó tiếp nhận mới 7.902, kỳ trước "
            "chuyển sang 321.")
    assert f.code == "narrative-sum-mismatch"
    assert "7.902 + 321 = 8.223, khác tổng 8.214" in f.message


def test_it_flags_a_list_after_gom_that_misses_one() -> None:
    f = one("Trong 6 tháng, UBND huyện đã ban hành 18 văn bản chỉ đạo, điều hành CCHC, gồm: 6 "
            "kế hoạch, 5 quyết định, 4 công văn và 2 báo cáo.")
    assert "6 + 5 + 4 + 2 = 17, khác tổng 18" in f.message


def test_it_reads_bullet_lines_under_an_introduction() -> None:
    f = one("Tổng số biên chế được giao năm 2023 là 1.245 người, gồm:",
            "- Công chức: 96 người;", "- Viên chức: 1.120 người;",
            "- Hợp đồng lao động theo Nghị định 111: 31 người.")
    assert "96 + 1.120 + 31 = 1.247, khác tổng 1.245" in f.message


def test_it_flags_parts_of_fractions_whose_numerators_do_not_add_up() -> None:
    f = one("Số người dùng thường xuyên phần mềm quản lý văn bản là 109/245 (cấp huyện 40/89, "
            "cấp xã 70/156).")
    assert "40 + 70 = 110, khác tổng 109" in f.message


def test_it_flags_parts_of_a_figure_written_with_a_scale_word() -> None:
    f = one("Trong quý III, toàn tỉnh tiếp nhận 3,18 ngàn hồ sơ (trực tuyến 1.200 hồ sơ, trực "
            "tiếp 1.900 hồ sơ).")
    assert "1.200 + 1.900 = 3,1 ngàn, khác tổng 3,18 ngàn" in f.message


def test_a_sum_of_money_is_written_in_the_scale_of_its_total() -> None:
    f = one("Tổng kinh phí thực hiện là 1,25 tỷ đồng, gồm ngân sách tỉnh 850 triệu đồng, ngân "
            "sách huyện 450 triệu đồng.")
    assert "850 triệu + 450 triệu = 1,3 tỷ, khác tổng 1,25 tỷ" in f.message


def test_an_approximate_total_is_compared_with_a_tolerance_and_only_warned() -> None:
    clean("Toàn huyện tiếp nhận hơn 2,5 ngàn hồ sơ (trực tuyến 1.400 hồ sơ, trực tiếp 1.250 "
          "hồ sơ).")
    clean("Năm 2023, tỉnh tiếp nhận khoảng 1,2 triệu hồ sơ (trực tuyến 620.000 hồ sơ, trực "
          "tiếp 575.000 hồ sơ).")
    f = one("Toàn huyện tiếp nhận hơn 2,5 ngàn hồ sơ (trực tuyến 1.200 hồ sơ, trực tiếp 300 "
            "hồ sơ).")
    assert (f.code, f.severity) == ("narrative-sum-mismatch", "warning")
    assert "khác tổng hơn 2,5 ngàn" in f.message


def test_duoc_before_a_figure_is_not_an_approximation() -> None:
    f = one("Đã giải quyết được 1.000 hồ sơ (đúng hạn 900 hồ sơ, quá hạn 90 hồ sơ).")
    assert (f.code, f.severity) == ("narrative-sum-mismatch", "error")


def test_it_flags_of_which_parts_that_exceed_the_total() -> None:
    f = one("Tiếp nhận 10.455 hồ sơ, trong đó trực tuyến 10.133 hồ sơ, trực tiếp 612 hồ sơ.")
    assert (f.code, f.severity) == ("narrative-part-exceeds-total", "warning")
    assert "10.133 + 612 = 10.745, lớn hơn tổng 10.455" in f.message


def test_a_single_of_which_part_larger_than_its_total_is_flagged() -> None:
    f = one("Năm 2022, Cổng dịch vụ công tỉnh tiếp nhận 2.450 hồ sơ, trong đó 2.540 hồ sơ "
            "trực tuyến.")
    assert "2.540 = 2.540, lớn hơn tổng 2.450" in f.message


@pytest.mark.parametrize("text", [
    # consistent figures, in the shapes reports use
    "Năm 2023, huyện kiểm tra 16 đơn vị (phòng ban chuyên môn 04 đơn vị, đơn vị sự nghiệp 08 "
    "đơn vị, UBND cấp xã 04 đơn vị).",
    "Đã ban hành 35 văn bản gồm: 7 Quyết định, 4 quy chế, 8 kế hoạch, 1 chương trình, 5 công "
    "văn, 5 báo cáo, 5 thông báo.",
    "Tổng số hồ sơ phải giải quyết là 8.223, trong đó tiếp nhận mới 7.902, kỳ trước chuyển "
    "sang 321.",
    "Ban hành quyết định nghỉ hưu, thôi việc, tinh giản biên chế đối với 13 cán bộ, công chức, "
    "viên chức (trong đó: nghỉ hưu: 5; tinh giản biên chế: 7; thôi việc: 01).",
    "Tiếp nhận 13 cán bộ, công chức, viên chức (ngành giáo dục: 8; cán bộ, công chức thị xã 3; "
    "cấp xã: 2).",
    "Số tài khoản trên phần mềm là 245 (trong đó cấp huyện là 89 người, cấp xã là 156 người), "
    "người dùng thường xuyên là 109/245 (trong đó cấp huyện là 40/89, cấp xã là 69/156).",
    "Giảm 695 biên chế (trong đó: 671 biên chế viên chức và 24 biên chế HĐ68).",
    # a list that is only some of the whole: "trong đó" of one kind, partial
    "Trung tâm tiếp nhận tổng số 8.850 hồ sơ. Trong đó hồ sơ đã giải quyết trước hạn: 4.509 "
    "hồ sơ; đã giải quyết đúng hạn: 2.571 hồ sơ; đã giải quyết trễ hạn: 1.152 hồ sơ.",
    "Có tất cả 16 quy trình, trong đó đã ứng dụng công nghệ thông tin 08 quy trình.",
    # open lists are not totals
    "Tham gia kiểm tra có 20 người gồm các đơn vị như: Phòng Nội vụ 5 người, Phòng Tư pháp 3 "
    "người, …",
    "Đã ban hành 12 văn bản gồm 5 kế hoạch, 4 quyết định, v.v.",
    "Năm 2023 có 40 đơn vị được kiểm tra (Sở Tư pháp 2, Sở Nội vụ 3...).",
    # a member without a figure: the list is not whole
    "Huyện có tổng số 26 đơn vị áp dụng ISO, trong đó 12/12 phòng chuyên môn, Chi nhánh Văn "
    "phòng đăng ký đất đai và 13/13 xã, thị trấn.",
    # figures about different things in one sentence
    "Tổng số 30 cán bộ, công chức, trong đó nữ 12 người, đảng viên 25 người.",
    "Tiếp nhận 500 hồ sơ, trong đó trực tuyến 300 hồ sơ, đã giải quyết 450 hồ sơ.",
    "Tiếp nhận 1.500 hồ sơ (trực tuyến 300 hồ sơ, đúng hạn 1.450 hồ sơ).",
    "Vị trí việc làm thuộc nhóm lãnh đạo, quản lý: 12 vị trí (42 biên chế).",
    "Mô hình tiếp nhận hồ sơ lưu động (được 9 cuộc, giải quyết được 31 hồ sơ).",
    "Đã tiếp nhận 1.500 hồ sơ (tăng 2.000 hồ sơ so với cùng kỳ).",
    "Kỷ luật 4 trường hợp (viên chức cấp thị xã 2 trường hợp cảnh cáo; viên chức giáo dục 2 "
    "trường hợp buộc thôi việc).",
    # press summaries of other provinces
    "Toàn tỉnh có 1.856 TTHC, trong đó cấp tỉnh 1.452 thủ tục, cấp huyện 278 thủ tục, cấp xã "
    "126 thủ tục.",
    "Đã bố trí 1.120 công chức làm việc tại Bộ phận một cửa các cấp (cấp tỉnh 120, cấp huyện "
    "350, cấp xã 650).",
    "Thực hiện tinh giản biên chế 25 người (12 công chức, 13 viên chức) theo Nghị định "
    "29/2023/NĐ-CP.",
    "Về công tác tuyên truyền, đã đăng tải 156 tin, bài (trong đó 45 tin, bài trên Cổng thông "
    "tin điện tử tỉnh, 111 tin, bài trên các trang thông tin điện tử cấp huyện).",
    "Đã cấp 2.560 chứng thư số (trong đó 560 chứng thư số cho tổ chức, 2.000 cho cá nhân).",
    "Tổng kinh phí thực hiện là 1,25 tỷ đồng, trong đó ngân sách tỉnh 850 triệu đồng, ngân "
    "sách huyện 400 triệu đồng.",
    "UBND huyện đã ban hành 45 văn bản chỉ đạo, điều hành về CCHC (tăng 5 văn bản so với năm "
    "2022).",
    "Tỉnh đã cắt giảm 12 phòng chuyên môn (từ 148 xuống 136 phòng).",
    "Hội nghị có sự tham gia của 150 đại biểu (gồm lãnh đạo các sở, ngành, UBND cấp huyện...).",
    "Trong kỳ, có 3 đơn vị (Sở Tư pháp, Sở Y tế, UBND huyện Châu Thành) chậm gửi báo cáo.",
    "Trong quý, tổ chức 3 lớp tập huấn cho 240 học viên (mỗi lớp 80 học viên).",
    "Đã giải quyết 150 hồ sơ (trong tổng số 200 hồ sơ đã tiếp nhận).",
    "Kiểm tra 12 đơn vị (bổ sung mới 15 đơn vị so với kế hoạch đầu năm).",
    # dates and document numbers are not figures
    "Thực hiện Kế hoạch số 30/KH-UBND ngày 18/01/2022 (sửa đổi bởi Kế hoạch số 45/KH-UBND ngày "
    "3/3/2022), UBND xã đã ban hành 4 văn bản (2 kế hoạch, 2 công văn).",
    "Nghị định số 61/2018/NĐ-CP (sửa đổi tại Nghị định 107/2021/NĐ-CP) quy định 3 cấp độ.",
])
def test_consistent_or_not_comparable_lists_are_never_flagged(text: str) -> None:
    clean(text)


# ---------------------------------------------------------------- shares


def test_it_flags_a_share_that_its_own_fraction_does_not_give() -> None:
    f = one("Số lượng văn bản có ký số gửi liên thông trên tổng số văn bản đi tại cấp huyện là "
            "1.889/5.838 đạt tỉ lệ 31,81%, cấp xã 302/2.113 chiếm tỷ lệ 14,29%.")
    assert (f.code, f.severity) == ("narrative-share-mismatch", "error")
    assert "Ghi 31,81% nhưng 1.889/5.838 = 32,36%" in f.message
    assert (f.expected, f.actual) == (32.36, 31.81)


def test_it_flags_a_share_written_before_its_fraction() -> None:
    f = one("Tỷ lệ hồ sơ giải quyết đúng hạn đạt 88,2% (7.080/8.232 hồ sơ).")
    assert "Ghi 88,2% nhưng 7.080/8.232 = 86,01%" in f.message


def test_it_flags_a_share_of_a_count_against_the_bases_the_passage_gives() -> None:
    f = one("Năm 2023, Bộ phận một cửa tiếp nhận 1.250 phản ánh, kiến nghị; đã xử lý 1.180 "
            "phản ánh, kiến nghị, đạt 95,6%.")
    assert "Ghi 95,6% nhưng 1.180/1.250 = 94,4%" in f.message


def test_it_flags_a_share_of_a_part_against_its_total() -> None:
    f = one("Trung tâm tiếp nhận 1.500 hồ sơ, trong đó 450 hồ sơ trực tuyến, chiếm 35%.")
    assert "Ghi 35% nhưng 450/1.500 = 30%" in f.message


def test_an_approximate_share_off_beyond_its_tolerance_is_only_a_warning() -> None:
    clean("Tiếp nhận 1.000 hồ sơ, trong đó 490 hồ sơ trực tuyến, chiếm gần 50%.")
    f = one("Tiếp nhận 1.000 hồ sơ, trong đó 300 hồ sơ trực tuyến, chiếm gần 50%.")
    assert (f.code, f.severity) == ("narrative-share-mismatch", "warning")


@pytest.mark.parametrize("text", [
    "Thu phí, lệ phí: 8,487 tỉ/14,800 tỉ, đạt 57,34%; lệ phí trước bạ thu 7,423 tỉ/13,5 tỉ, "
    "đạt 54,98%.",
    "Tổng số 32/32 đơn vị, đạt tỷ lệ 100%.",
    "Theo kế hoạch có 34 nội dung, nhiệm vụ; đến nay đã hoàn thành 34 nhiệm vụ (đạt 100%).",
    "Kế hoạch đề ra 25 nhiệm vụ, đến nay đã hoàn thành 12 nhiệm vụ, đạt 48%.",
    # rounded or truncated to the digits written
    "Đã giải quyết 1.241 hồ sơ, trong đó đúng hạn 1.213 hồ sơ, đạt 97,7%.",
    "Đã giải quyết 1.241 hồ sơ, trong đó đúng hạn 1.213 hồ sơ, đạt 97%.",
    # a share of another base: the resolved, not the received
    "Tiếp nhận 1.000 hồ sơ, đã giải quyết 950 hồ sơ, trong đó đúng hạn 931 hồ sơ, đạt 98%.",
    # a share of something the sentence does not give
    "Tiếp nhận 1.000 hồ sơ, đã giải quyết 950 hồ sơ; tỷ lệ giải quyết đúng hạn đạt 90%.",
    "Thu ngân sách 3,6 tỷ đồng, đạt 50,3% kế hoạch.",
    "Tiếp nhận 1.200 hồ sơ, tăng 15% so với cùng kỳ.",
    "Năm 2023 tiếp nhận 1.000 hồ sơ; tỷ lệ hài lòng đạt 98,5%.",
    # both readings of an ambiguous denominator are tried
    "Số hồ sơ trực tuyến là 12,641/12,653 hồ sơ, đạt 99,9%.",
    "Giải quyết đúng hạn đạt 95% (950/1.000 hồ sơ).",
    # press summaries: shares of a list's total, of a change, of something not written
    "Trong 9 tháng năm 2023, Trung tâm Phục vụ hành chính công tỉnh đã tiếp nhận 125.430 hồ "
    "sơ, trong đó hồ sơ trực tuyến 98.210 hồ sơ (chiếm 78,3%); đã giải quyết 121.560 hồ sơ, "
    "đúng hạn 120.870 hồ sơ (đạt 99,43%).",
    "Hiện nay, tỉnh có 1.235 đơn vị sự nghiệp công lập, giảm 156 đơn vị (tương ứng 11,2%) so "
    "với năm 2015.",
    "Năm 2023, tỉnh giải quyết 245.600 hồ sơ; hồ sơ quá hạn 368 hồ sơ, chiếm 0,15%.",
    "Chỉ số hài lòng (SIPAS) năm 2023 đạt 86,5%, tăng 2,1% so với năm 2022.",
    "Số thủ tục hành chính được cắt giảm thời gian giải quyết là 156/1.890 TTHC (8,25%).",
    "Toàn tỉnh hiện có 8.520 biên chế công chức được giao, có mặt 8.105 người (95,13%).",
    "Năm 2022 tiếp nhận 10.200 hồ sơ; năm 2023 tiếp nhận 12.400 hồ sơ, tăng 21,6%.",
    "Đã thực hiện 1.230 cuộc gọi (chiếm khoảng 15% tổng số cuộc gọi đến).",
    "Cổng dịch vụ công tiếp nhận 85.000 hồ sơ, trong đó 60% là hồ sơ trực tuyến.",
    "Kết quả xếp hạng Chỉ số CCHC năm 2022 của tỉnh đạt 85,13%, xếp thứ 12/63 tỉnh, thành phố.",
    # the base comes later in the sentence, or has no noun of its own
    "Trong tháng 5/2023, Bộ phận một cửa các cấp đã tiếp nhận mới 12.480 hồ sơ, hồ sơ trả trước "
    "và đúng hạn là 12.030 hồ sơ (đạt 97,1%), hồ sơ đến hạn giải quyết 12.390 hồ sơ, hồ sơ quá "
    "hạn chưa có kết quả 360 hồ sơ chiếm 2,91%.",
    "Năm 2022, huyện giải quyết trên 95 ngàn hồ sơ, trong đó đúng hạn trên 93 ngàn (đạt trên "
    "97%). Cấp xã có tổng số hồ sơ giải quyết trên 61 ngàn, hồ sơ đúng hạn là gần 60 ngàn (đạt "
    "98%), hồ sơ trễ hạn gần 1,1 ngàn hồ sơ (chiếm 1,8%).",
])
def test_shares_that_agree_or_belong_to_other_bases_are_never_flagged(text: str) -> None:
    clean(text)


@pytest.mark.parametrize(("text", "message"), [
    ("Trung tâm đã tiếp nhận 125.430 hồ sơ, trong đó hồ sơ trực tuyến 98.210 hồ sơ (chiếm "
     "80%).", "Ghi 80% nhưng 98.210/125.430 = 78,3%"),
    ("Toàn tỉnh hiện có 8.520 biên chế công chức được giao, có mặt 8.105 người (96,13%).",
     "Ghi 96,13% nhưng 8.105/8.520 = 95,13%"),
    ("Số vụ việc giải quyết: 45/52 vụ, đạt 88,5%; còn 7 vụ đang giải quyết.",
     "Ghi 88,5% nhưng 45/52 = 86,54%"),
])
def test_press_style_shares_off_by_more_than_their_digits_are_flagged(text: str,
                                                                     message: str) -> None:
    assert message in one(text).message


# ---------------------------------------------------------------- received = resolved + pending


def test_it_flags_received_that_is_not_resolved_plus_pending() -> None:
    f = one("Trong kỳ, Trung tâm Hành chính công tiếp nhận 1.000 hồ sơ; đã giải quyết 950 hồ "
            "sơ; đang giải quyết 40 hồ sơ.")
    assert (f.code, f.severity) == ("narrative-balance-mismatch", "warning")
    assert ("Tiếp nhận 1.000 hồ sơ nhưng đã giải quyết 950 + đang giải quyết 40 = 990, chênh "
            "10") in f.message


def test_it_adds_on_time_and_late_parts_when_the_resolved_total_is_not_written() -> None:
    f = one("Trung tâm tiếp nhận tổng số hồ sơ: 8850 hồ sơ. Trong đó hồ sơ đã giải quyết trước "
            "hẹn: 4509 hồ sơ; đã giải quyết đúng hẹn: 2571 hồ sơ; đã giải quyết trễ hẹn: 1152 "
            "hồ sơ", "Hồ sơ đang giải quyết: 615 hồ sơ trong đó đúng hạn 591 hồ sơ.")
    assert "đã giải quyết 8.232 (4.509 + 2.571 + 1.152) + đang giải quyết 615 = 8.847" in (
        f.message)
    assert "… Hồ sơ đang giải quyết: 615 hồ sơ" in f.message


def test_dossier_sets_carried_over_and_resolved_in_press_wording() -> None:
    intake = ("Trong năm 2022, tổng số hồ sơ yêu cầu giải quyết thủ tục hành chính trong kỳ của "
              "toàn huyện là 24.310 bộ. Trong đó, số hồ sơ mới tiếp nhận là 23.500 bộ; số hồ sơ "
              "từ kỳ trước chuyển qua là {} bộ.")
    result = ("Kết quả, đã giải quyết được 23.690 bộ hồ sơ (23.600 hồ sơ giải quyết đúng hạn, "
              "90 hồ sơ giải quyết quá hạn); {} hồ sơ đang giải quyết (580 hồ sơ chưa đến hạn, 40 "
              "hồ sơ quá hạn).")
    clean(intake.format("810"), result.format("620"))
    assert "23.500 + 800 = 24.300, khác tổng 24.310" in one(intake.format("800")).message
    assert "chênh 10" in one(intake.format("810"), result.format("610")).message


def test_on_and_before_time_with_late_make_the_resolved_dossiers() -> None:
    text = ("Toàn tỉnh đã tiếp nhận 412.300 hồ sơ, đã giải quyết 405.120 hồ sơ; trong đó, số hồ "
            "sơ giải quyết đúng và trước hạn có 401.000 hồ sơ, chiếm tỷ lệ 98,98%; số hồ sơ quá "
            "hạn có {} hồ sơ, chiếm tỷ lệ 1,02%.")
    clean(text.format("4.120"))
    assert "401.000 + 4.118 = 405.118, khác tổng 405.120" in one(text.format("4.118")).message


def test_it_reads_no_late_dossiers_as_a_late_part_of_zero() -> None:
    text = ("Bộ phận Một cửa huyện tiếp nhận tổng số 3.327 hồ sơ, kết quả xử lý trước hạn và "
            "đúng hạn là 2.546 hồ sơ (không có hồ sơ trễ hạn), hồ sơ đang xử lý {} hồ sơ; Bộ "
            "phận một cửa cấp xã tiếp nhận tổng số 44.002 hồ sơ, kết quả xử lý trước hạn và "
            "đúng hạn là 44.002 hồ sơ (không có hồ sơ trễ hạn).")
    clean(text.format(781))
    assert "chênh 1" in one(text.format(780)).message


def test_it_balances_tasks_assigned_done_and_in_progress() -> None:
    f = one("Năm 2023, UBND tỉnh giao 45 nhiệm vụ; đến nay đã hoàn thành 40 nhiệm vụ, đang "
            "thực hiện 3 nhiệm vụ.")
    assert f.message.startswith("Được giao 45 nhiệm vụ nhưng đã hoàn thành 40 + đang thực "
                                "hiện 3 = 43, chênh 2")


@pytest.mark.parametrize("texts", [
    ("- Tổng số hồ sơ TTHC đã tiếp nhận trong kỳ báo cáo: xã tiếp nhận là 1.241 hồ sơ; Trong "
     "đó: Số mới tiếp nhận trong kỳ: 1.241 hồ sơ (trực tuyến: 2 hồ sơ; trực tiếp và qua dịch vụ "
     "bưu chính: 1.239 hồ sơ); số từ kỳ trước chuyển qua: 0 hồ sơ.",
     "- Số lượng hồ sơ đã giải quyết: 1.213 hồ sơ; còn 28 hồ sơ đang giải quyết trong hạn."),
    ("Về phản ánh trên hệ thống đô thị thông minh: đã tiếp nhận 190 phản ánh, đã giải quyết 172 "
     "phản ánh (đúng hạn 103, quá hạn 69), đang giải quyết 18 (trong hạn 12, quá hạn 6).",),
    # withdrawn or returned dossiers counted, or named without a figure
    ("Tiếp nhận 1.000 hồ sơ, đã giải quyết 950 hồ sơ, đang giải quyết 45 hồ sơ, trả lại 5 hồ "
     "sơ.",),
    ("Tiếp nhận 1.000 hồ sơ, đã giải quyết 950 hồ sơ, đang giải quyết 40 hồ sơ; một số hồ sơ "
     "công dân rút để bổ sung.",),
    ("Tiếp nhận 150 hồ sơ; đã giải quyết 140 hồ sơ; còn 10 hồ sơ đang giải quyết, không có hồ "
     "sơ bị trả lại.",),
    # two levels in one paragraph are two balances
    ("Cấp huyện tiếp nhận 500 hồ sơ, đã giải quyết 480 hồ sơ, đang giải quyết 20 hồ sơ; cấp xã "
     "tiếp nhận 2.000 hồ sơ, đã giải quyết 1.990 hồ sơ, đang giải quyết 10 hồ sơ.",),
    # only two of the three figures: nothing to balance
    ("Tiếp nhận 1.000 hồ sơ, đã giải quyết 950 hồ sơ.",),
])
def test_balances_that_hold_or_cannot_be_judged_are_never_flagged(texts: tuple[str, ...]
                                                                   ) -> None:
    clean(*texts)


# ---------------------------------------------------------------- a narrative-only document


def test_a_document_without_appendix_still_gets_these_checks(tmp_path: Path) -> None:
    path = tmp_path / "bao-cao.txt"
    path.write_text("\n".join([
        "ỦY BAN NHÂN DÂN", "XÃ HÒA BÌNH", "Số: 41/BC-UBND", "Hòa Bình, ngày 15 tháng 6 năm 2023",
        "BÁO CÁO", "Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2023",
        "Ủy ban nhân dân xã Hòa Bình báo cáo như sau:",
        "Trong kỳ, Bộ phận một cửa xã tiếp nhận 620 hồ sơ (trực tuyến 410 hồ sơ, trực tiếp 200 "
        "hồ sơ).", "Nơi nhận:", "- Lưu: VT."]) + "\n", encoding="utf-8")
    report = check(path)
    codes = [f.code for f in report.findings]
    assert "no-appendix" in codes
    assert codes.count("no-appendix") == 1
    assert "narrative-sum-mismatch" in codes


# ---------------------------------------------------------------- consistent sentences


_UNITS = ("hồ sơ", "văn bản", "đơn vị", "người", "nhiệm vụ", "phản ánh, kiến nghị")
_LABELS = ("Văn phòng HĐND và UBND", "Phòng Nội vụ", "Phòng Tư pháp", "UBND cấp xã",
           "khối đoàn thể", "các trường học", "Trạm Y tế", "Công an xã")
_LEADS = ("Trong năm 2023, toàn huyện", "6 tháng đầu năm, Sở", "Trong kỳ báo cáo, UBND thị xã",
          "Quý I/2024, Trung tâm Phục vụ hành chính công tỉnh")


def _n(value: int) -> str:
    return format_number(value, 0)


@st.composite
def consistent_text(draw: st.DrawFn) -> str:
    lead = draw(st.sampled_from(_LEADS))
    unit = draw(st.sampled_from(_UNITS))
    parts = draw(st.lists(st.integers(0, 30000), min_size=2, max_size=5))
    total = sum(parts)
    labels = draw(st.permutations(_LABELS))[:len(parts)]
    shape = draw(st.integers(0, 4))
    items = [f"{label} {_n(v)} {unit}" for label, v in zip(labels, parts, strict=False)]
    if shape == 0:
        return f"{lead} thực hiện {_n(total)} {unit} ({', '.join(items)})."
    if shape == 1:
        return f"{lead} thực hiện {_n(total)} {unit}, gồm: {'; '.join(items)}."
    if shape == 2:
        received = total + draw(st.integers(0, 5000))
        pending = received - total
        return (f"{lead} tiếp nhận {_n(received)} hồ sơ, đã giải quyết {_n(total)} hồ sơ "
                f"(đúng hạn {_n(parts[0])} hồ sơ, quá hạn {_n(total - parts[0])} hồ sơ), "
                f"đang giải quyết {_n(pending)} hồ sơ.")
    base = max(total, 1)
    decimals = draw(st.integers(0, 2))
    share = format_percent(round(100 * parts[0] / base, decimals), decimals)
    if shape == 3:
        return f"{lead} đạt {_n(parts[0])}/{_n(base)} {unit}, chiếm tỷ lệ {share}."
    return (f"{lead} thực hiện {_n(base)} {unit}, trong đó {labels[0]} {_n(parts[0])} {unit}, "
            f"chiếm {share}.")


@settings(max_examples=300, deadline=None)
@given(consistent_text())
def test_a_consistent_generated_sentence_is_never_flagged(text: str) -> None:
    clean(text)


def test_every_arithmetic_kind_is_produced_here() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    for code in CODES:
        assert f'"{code}"' in source
