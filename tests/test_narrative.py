"""Figures stated in the narrative, with the level each clause talks about."""

from __future__ import annotations

from cchc.model import Paragraph, Source
from cchc.narrative import clause_level, extract_facts


def _facts(text: str, level: str | None = "district") -> dict[str, float]:
    facts = extract_facts([Paragraph(text, Source(line=7))], level)
    assert all(f.source == Source(line=7) for f in facts)
    return {f.concept: f.value for f in facts}


def test_dossier_figures_are_read_per_level() -> None:
    text = ("Trong 6 tháng đầu năm, Bộ phận Một cửa huyện tiếp nhận tổng số 3.327 hồ sơ, kết "
            "quả xử lý trước hạn và đúng hạn là 2.546 hồ sơ (không có hồ sơ trễ hạn), hồ sơ "
            "đang xử lý 781 hồ sơ; Bộ phận một cửa cấp xã tiếp nhận tổng số 44.002 hồ sơ, "
            "kết quả xử lý trước hạn và đúng hạn là 44.002 hồ sơ.")
    assert _facts(text) == {
        "dossiers.district.received": 3327, "dossiers.district.on_time": 2546,
        "dossiers.district.pending": 781, "dossiers.commune.received": 44002,
        "dossiers.commune.on_time": 44002}


def test_an_on_time_count_inside_the_pending_dossiers_is_not_an_on_time_total() -> None:
    facts = _facts("Hồ sơ đang giải quyết: 615 hồ sơ trong đó giải quyết đúng hạn 591 hồ sơ.")
    assert facts == {"dossiers.district.pending": 615}


def test_the_units_own_level_applies_when_the_clause_names_none() -> None:
    facts = _facts("Số lượng hồ sơ đã giải quyết: 1.213 hồ sơ; còn 28 hồ sơ đang giải quyết "
                   "trong hạn.", level="commune")
    assert facts == {"dossiers.commune.resolved": 1213, "dossiers.commune.pending": 28}


def test_plans_documents_and_staff() -> None:
    assert _facts("Theo kế hoạch có 34 nội dung, nhiệm vụ; đến nay đã hoàn thành 34 nhiệm "
                  "vụ.") == {"plan.tasks.planned": 34, "plan.tasks.done": 34}
    assert _facts("UBND xã đã chỉ đạo ban hành các văn bản chỉ đạo, điều hành CCHC, đã ban "
                  "hành 35 văn bản gồm: 7 Quyết định") == {"direction.documents_issued": 35}
    assert _facts("UBND huyện ban hành 02 văn bản quy phạm pháp luật.") == {
        "legal.documents_issued": 2}
    assert _facts("UBND xã được bố trí 19 cán bộ, công chức theo quy định") == {
        "staff.civil.assigned": 19}


def test_a_figure_without_its_context_is_not_a_fact() -> None:
    assert _facts("Đã gửi 6553 văn bản đi trên phần mềm quản lý văn bản.") == {}


def test_thi_xa_is_a_district_not_a_commune() -> None:
    assert clause_level("trung tam hanh chinh cong thi xa tiep nhan") == "district"
    assert clause_level("bo phan mot cua cap xa") == "commune"
