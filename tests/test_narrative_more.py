"""The narrative against the appendix for more quantities: inspections, staff, procedures
and their online levels, documents sent electronically, plans, tasks and autonomy; a row
left blank or 0 while the narrative gives the figure; rates of the narrative against the
rates the rows give."""

from __future__ import annotations

import pytest

from cchc.catalog import Catalog, load_catalog
from cchc.checks import narrative
from cchc.checks.context import Context
from cchc.model import Finding, Meta, Paragraph, Report, Row, Source, Value
from cchc.narrative import extract_facts

FORM = "ha-tinh-phu-luc-1b-2022"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def facts(text: str, level: str | None = "district") -> dict[str, float]:
    return {f.concept: f.value for f in extract_facts([Paragraph(text, Source(line=3))], level)}


def row(index: int, concept: str, raw: str, kind: str = "number", value: float | None = None,
        decimals: int = 0, item: str | None = None) -> Row:
    if value is None and kind in ("number", "percent"):
        value = float(raw.replace(".", "").replace(",", ".").rstrip("%"))
    return Row(index=index, code=f"{index + 1}", label=f"Chỉ tiêu {concept}", unit="",
               value=Value(raw=raw, kind=kind, value=value, decimals=decimals), note="",
               concept=concept, item=item)


def check(catalog: Catalog, text: str, rows: list[Row], level: str = "district",
          form: str | None = None) -> list[Finding]:
    paragraphs = [Paragraph(text, Source(line=3))]
    report = Report(source="x.txt", format="txt", meta=Meta(level=level), rows=rows,
                    narrative=extract_facts(paragraphs, level), paragraphs=paragraphs,
                    form_id=form)
    ctx = Context.build(report, catalog)
    return [f for c in narrative.CHECKS for f in c(ctx)]


# ---------------------------------------------------------------- reading more quantities


@pytest.mark.parametrize(("text", "expected"), [
    ("Kết quả đã kiểm tra được 8/16 đơn vị, các đơn vị còn lại kiểm tra trong quý III.",
     {"inspection.units_checked": 8}),
    ("Đoàn kiểm tra của huyện đã kiểm tra CCHC tại 12 xã, thị trấn.",
     {"inspection.communes_checked": 12}),
    ("Năm 2023, huyện tổ chức kiểm tra công vụ được 3 cuộc tại 9 cơ quan, đơn vị.",
     {"inspection.personnel.units_checked": 9}),
    ("+ Biên chế công chức: 79 biên chế;", {"staff.civil.assigned": 79}),
    ("Số công chức hiện có mặt: 80 người.", {"staff.civil.present": 80}),
    ("Trong năm thực hiện tinh giản biên chế đối với 3 công chức theo Nghị định 29/2023/NĐ-CP.",
     {"staff.civil.reduced": 3}),
    ("UBND các xã đã niêm yết công khai thủ tục hành chính thuộc thẩm quyền giải quyết cấp xã "
     "tại Bộ phận một cửa với tổng số TTHC được công bố là: 119 TTHC của 33 lĩnh vực.",
     {"tthc.commune": 119}),
    ("Toàn huyện có 179 TTHC cung cấp trực tuyến mức độ 3 và 112 TTHC trực tuyến mức độ 4.",
     {"online.level3.provided": 179, "online.level4.provided": 112}),
    ("Đến nay có 291 TTHC được cung cấp dịch vụ công trực tuyến mức độ 3, 4.",
     {"online.level34.provided": 291}),
    ("Tỷ lệ văn bản có ký số gửi liên thông trên tổng số văn bản đi tại cấp huyện là "
     "1.889/5.938 đạt 31,81%, cấp xã 302/2.113 chiếm 14,29%.",
     {"egov.edoc.district.sent_electronic": 1889, "egov.edoc.district.sent_total": 5938,
      "egov.edoc.commune.sent_electronic": 302, "egov.edoc.commune.sent_total": 2113}),
    ("Thực hiện cơ chế tự chủ về tài chính theo Nghị định số 60/2021/NĐ-CP đối với các đơn vị "
     "sự nghiệp công lập tổng số 59/59 đơn vị, đạt tỷ lệ 100%.",
     {"finance.autonomy.public_units": 59}),
    ("Thực hiện chế độ tự chủ về sử dụng kinh phí quản lý hành chính đối với các cơ quan hành "
     "chính thuộc UBND huyện tổng số 32/32 đơn vị.", {"finance.admin_autonomy.agencies": 32}),
    ("Kế hoạch CCHC năm 2023 đến nay đã hoàn thành 20/25 nhiệm vụ.",
     {"plan.tasks.done": 20, "plan.tasks.planned": 25}),
    ("Tổng số nhiệm vụ UBND tỉnh giao: 30 nhiệm vụ.", {"assigned_tasks.total": 30}),
    ("Số lượng chữ ký số được cấp cho cán bộ, công chức, viên chức đến nay là 88 trường hợp.",
     {"egov.certificates.issued": 88}),
    ("Bộ phận một cửa đã giải quyết xong 1.213/1.241 hồ sơ.",
     {"dossiers.district.resolved": 1213}),
])
def test_it_reads_more_quantities_in_the_ways_reports_write_them(
        text: str, expected: dict[str, float]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize("text", [
    "Theo kế hoạch, năm 2023 huyện kiểm tra tổng số 16 đơn vị (phòng ban chuyên môn 04 đơn "
    "vị, đơn vị sự nghiệp 08 đơn vị, UBND cấp xã 04 đơn vị).",
    "Ban hành quyết định tinh giản biên chế đối với 13 cán bộ, công chức, viên chức.",
    "Biên chế viên chức: 1.160 biên chế (gồm sự nghiệp giáo dục 1.109).",
    "UBND tỉnh đã công bố 1.850 TTHC, trong đó có 117 TTHC liên thông.",
    "Toàn tỉnh có 100% TTHC đủ điều kiện được cung cấp trực tuyến mức độ 3, 4.",
    "UBND cấp huyện có tỷ lệ văn bản gửi hoàn toàn dưới dạng điện tử đạt 0% (số liệu của 1/2 "
    "huyện).",
    "Số cán bộ, công chức có mặt 95 người; tinh giản biên chế 2 cán bộ, công chức cấp xã.",
    "Trong đó 500 hồ sơ được tiếp nhận trực tuyến mức độ 4.",
])
def test_figures_of_other_quantities_are_not_read_as_these(text: str) -> None:
    found = facts(text)
    for concept in ("inspection.offices_checked", "inspection.units_checked",
                    "staff.civil.reduced", "staff.public.reduced", "staff.public.assigned",
                    "staff.civil.present", "online.dossiers.received_online",
                    "tthc.district", "online.level34.provided",
                    "egov.edoc.district.sent_electronic"):
        assert concept not in found, (concept, found)


# ---------------------------------------------------------------- against the rows


def test_a_rate_row_is_compared_with_the_narrative_within_its_rounding(
        catalog: Catalog) -> None:
    text = "Tỷ lệ hồ sơ giải quyết đúng hạn đạt {}%."
    rate = "dossiers.district.on_time_rate"
    assert check(catalog, text.format("97,7"), [row(0, rate, "97,74", "percent",
                                                    decimals=2)]) == []
    assert check(catalog, text.format("97,74"), [row(0, rate, "97.7%", "percent", value=97.7,
                                                     decimals=1)]) == []
    [f] = check(catalog, text.format("95,5"), [row(0, rate, "97,74", "percent", decimals=2)])
    assert f.code == "narrative-disagrees"
    assert "ghi 95,5" in f.message and "phụ lục ghi 97,74" in f.message


def test_a_blank_row_while_the_narrative_gives_the_figure_is_flagged(catalog: Catalog) -> None:
    text = ("Số lượng văn bản có ký số gửi liên thông trên tổng số văn bản đi tại cấp huyện là "
            "1.889/5.938 đạt 31,81%, cấp xã 302/2.113 chiếm tỷ lệ 14,29%.")
    rows = [row(0, "egov.edoc.district.sent_total", "5.938"),
            row(1, "egov.edoc.district.sent_electronic", "1.889"),
            row(2, "egov.edoc.commune.sent_total", "", "empty"),
            row(3, "egov.edoc.commune.sent_electronic", "0")]
    found = {f.row: f for f in check(catalog, text, rows)}
    assert set(found) == {2, 3}
    assert found[2].code == found[3].code == "narrative-figure-not-in-appendix"
    assert found[2].message.startswith(
        "Dòng phụ lục \"Chỉ tiêu egov.edoc.commune.sent_total\" để trống nhưng phần thuyết "
        "minh ghi 2.113 (\"Số lượng văn bản có ký số")
    assert "ghi 0 nhưng phần thuyết minh ghi 302" in found[3].message
    assert found[2].params["narrative_source"] == {"line": 3}


def test_a_blank_row_meant_for_another_level_is_left_alone(catalog: Catalog) -> None:
    form = catalog.form(FORM)
    assert form is not None
    item = next(i for i in form.items if i.concept == "tthc.province")
    assert "commune" not in item.levels
    rows = [row(0, "tthc.province", "", "empty", item=item.id)]
    text = "UBND tỉnh đã công bố 1.850 TTHC cấp tỉnh."
    assert check(catalog, text, rows, level="commune", form=FORM) == []
    assert [f.code for f in check(catalog, text, rows, level="province", form=FORM)] == [
        "narrative-figure-not-in-appendix"]


def test_a_stated_rate_is_checked_against_its_numerator_and_denominator_rows(
        catalog: Catalog) -> None:
    rows = [row(0, "online.dossiers.received_online", "300"),
            row(1, "online.dossiers.received_total", "1.000")]
    text = "Tỷ lệ hồ sơ tiếp nhận trực tuyến đạt {}%."
    assert check(catalog, text.format("30"), rows) == []
    [f] = check(catalog, text.format("40"), rows)
    assert (f.code, f.row, f.related) == ("narrative-rate-disagrees", 0, [0, 1])
    assert "nhưng theo phụ lục 300/1.000 = 30%" in f.message


def test_all_procedures_online_is_checked_against_every_base_the_rows_give(
        catalog: Catalog) -> None:
    rows = [row(0, "online.level34.provided", "291"), row(1, "tthc.district", "319"),
            row(2, "tthc.total_in_force", "471")]
    text = ("Đến nay {} TTHC được triển khai dịch vụ công mức 3, 4 và tiếp nhận, trả kết quả "
            "tại Trung tâm hành chính công.")
    [f] = check(catalog, text.format("100%"), rows)
    assert (f.code, f.severity) == ("narrative-rate-disagrees", "warning")
    assert f.message.startswith("Phần thuyết minh ghi 100% TTHC được cung cấp trực tuyến "
                                "mức độ 3, 4")
    assert "theo phụ lục 291/319 = 91,22%" in f.message
    assert check(catalog, text.format("91,2%"), rows) == []
    assert check(catalog, text.format("61,8%"), rows) == []  # of all levels' procedures
    rows[0] = row(0, "online.level34.provided", "319")
    assert check(catalog, text.format("100%"), rows) == []


def test_a_share_of_eligible_procedures_has_another_base(catalog: Catalog) -> None:
    rows = [row(0, "online.level34.provided", "55"), row(1, "tthc.district", "319")]
    text = "100% TTHC đủ điều kiện đã được cung cấp dịch vụ công trực tuyến mức độ 3, 4."
    assert check(catalog, text, rows) == []


def test_units_inspected_of_two_kinds_add_up_across_a_cut_paragraph(catalog: Catalog) -> None:
    paragraphs = [Paragraph("Trong năm, Đoàn Kiểm tra đã hoàn thành việc kiểm tra CCHC theo "
                            "Quyết định số 93/QĐ-UBND ngày 22/01/2021 đối với 4 xã, phường",
                            Source(line=28)),
                  Paragraph("và 6 cơ quan thuộc thị xã.", Source(line=30))]
    [fact] = extract_facts(paragraphs, "district")
    assert (fact.concept, fact.value, fact.raw, fact.source) == (
        "inspection.units_checked", 10, "4 + 6", Source(line=28))


def test_the_on_time_rate_the_narrative_counts_give_is_checked_against_the_row(
        catalog: Catalog) -> None:
    text = ("Trung tâm hành chính công thị xã tiếp nhận tổng số hồ sơ: 8850 hồ sơ. Trong đó hồ "
            "sơ đã giải quyết trước hẹn: 4509 hồ sơ; đã giải quyết đúng hẹn: 2571 hồ sơ; đã "
            "giải quyết trễ hẹn: 1152 hồ sơ.")
    rate = "dossiers.district.on_time_rate"
    [f] = check(catalog, text, [row(0, rate, "86.1%", "percent", value=86.1, decimals=1)])
    assert (f.code, f.severity, f.row) == ("narrative-implied-rate-disagrees", "warning", 0)
    assert "tỷ lệ giải quyết đúng hạn là 7.080/8.232 = 86,01%" in f.message
    assert "nhưng phụ lục ghi 86,1%" in f.message
    for written in ("86", "86,0", "86,01"):  # rounded or truncated to the digits written
        value = float(written.replace(",", "."))
        assert check(catalog, text, [row(0, rate, written, "percent", value=value,
                                         decimals=len(written.partition(",")[2]))]) == []
    # a rate of the dossiers received, not resolved: another honest reading
    assert check(catalog, text, [row(0, rate, "80", "percent", value=80.0)]) == []
    # the commune's rate is another level's
    assert check(catalog, text, [row(0, "dossiers.commune.on_time_rate", "95", "percent",
                                     value=95.0)]) == []


def test_every_narrative_kind_is_produced_here() -> None:
    from pathlib import Path

    source = Path(__file__).read_text(encoding="utf-8")
    for code in ("narrative-figure-not-in-appendix", "narrative-rate-disagrees",
                 "narrative-implied-rate-disagrees"):
        assert f'"{code}"' in source
