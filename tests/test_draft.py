"""The narrative drafted from an aggregate: what it says, what it never says, and that the
core reads back from it exactly the figures it states.

The realistic aggregate is Huyện Cẩm Xuyên (Hà Tĩnh) for 6 tháng đầu năm 2022: eight
communes and a township fill the Hà Tĩnh "Phụ lục 1B" form with consistent figures, one of
them late, one not at all; the district files its own report.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter
from collections.abc import Mapping

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.aggregate import (
    Aggregate,
    ConceptTotal,
    Contribution,
    Period,
    UnitValue,
    aggregate,
)
from cchc.catalog import Catalog, load_catalog
from cchc.draft import (
    Coverage,
    Draft,
    PhrasesError,
    area_word,
    check_phrases,
    children_word,
    coverage_of,
    draft,
    draft_sections,
    load_phrases,
    parse_phrases,
    read_back,
    running_name,
)
from cchc.model import Paragraph, Source
from cchc.narrative import extract_facts
from cchc.numbers import read_number
from cchc.orgtree import Tree, Unit
from cchc.render.document import SECTION_WORDS
from cchc.units import parse_options

FORM = "ha-tinh-phu-luc-1b-2022"
HALF_2022 = Period("half_year", 2022, None, "6 tháng đầu năm 2022", dt.date(2022, 1, 1),
                   dt.date(2022, 6, 30))
COMMUNES = ("Xã Cẩm Hưng", "Xã Cẩm Thịnh", "Xã Cẩm Hà", "Xã Cẩm Quan", "Xã Cẩm Bình",
            "Xã Cẩm Vịnh", "Xã Cẩm Thành", "Xã Cẩm Dương", "Thị trấn Cẩm Xuyên")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def district_tree() -> Tree:
    units = [Unit("T", "Tỉnh Hà Tĩnh", "province"),
             Unit("H", "Huyện Cẩm Xuyên", "district", "T")]
    units += [Unit(f"X{n}", name, "commune", "H") for n, name in enumerate(COMMUNES, start=1)]
    return Tree(units)


def unit_figures(rnd: random.Random, kind: str) -> dict[str, float]:
    """One unit's figures by concept, consistent the way a careful officer's are: a part
    never exceeds its whole."""
    big = 10 if kind == "district" else 1
    f: dict[str, float] = {}

    def part(whole: str, name: str, low: float = 0.6) -> None:
        f[name] = float(rnd.randint(int(f[whole] * low), int(f[whole])))

    f["plan.tasks.planned"] = rnd.randint(20, 40)
    part("plan.tasks.planned", "plan.tasks.done", 0.8)
    f["direction.documents_issued"] = rnd.randint(10, 60)
    f["inspection.issues_found"] = rnd.randint(0, 8)
    part("inspection.issues_found", "inspection.issues_resolved")
    f["assigned_tasks.total"] = rnd.randint(10, 30)
    part("assigned_tasks.total", "assigned_tasks.on_time", 0.7)
    f["assigned_tasks.late_done"] = f["assigned_tasks.total"] - f["assigned_tasks.on_time"]
    f["assigned_tasks.overdue"] = 0.0
    f["survey.conducted"] = rnd.choice((0, 1, 1))
    f["survey.forms"] = rnd.randint(100, 800)
    f["survey.method"] = rnd.choice((0, 1, 2))
    f["dialogue.held"] = rnd.choice((0, 1))
    f["legal.documents_issued"] = rnd.randint(0, 3)
    f["legal.documents_checked"] = rnd.randint(0, 5)
    f["legal.check.to_handle"] = rnd.randint(0, 2)
    part("legal.check.to_handle", "legal.check.handled")
    f["legal.documents_reviewed"] = rnd.randint(5, 40)
    f["legal.review.to_handle"] = rnd.randint(1, 4)
    part("legal.review.to_handle", "legal.review.handled", 0.5)
    f["tthc.published_new"] = rnd.randint(0, 20)
    f["tthc.abolished"] = rnd.randint(0, 10)
    f["tthc.total_in_force"] = 2 if kind == "district" else rnd.choice((118, 120))
    f["tthc.commune"] = 118
    f["dossiers.commune.resolved"] = rnd.randint(300, 2500)
    part("dossiers.commune.resolved", "dossiers.commune.on_time", 0.95)
    f["pakn.received"] = rnd.randint(0, 5)
    part("pakn.received", "pakn.resolved", 0.5)
    f["staff.civil.assigned"] = rnd.randint(20, 23) * big
    part("staff.civil.assigned", "staff.civil.present", 0.9)
    f["staff.civil.reduced"] = rnd.randint(0, 1)
    f["staff.public.assigned"] = rnd.randint(0, 5) * big
    part("staff.public.assigned", "staff.public.present", 0.9)
    f["staff.public.reduced"] = 0
    f["recruit.civil.exam"] = rnd.randint(0, 2)
    f["recruit.public.exam"] = rnd.randint(0, 3)
    f["discipline.total"] = rnd.randint(0, 1)
    f["online.dossiers.received_total"] = rnd.randint(300, 2500)
    part("online.dossiers.received_total", "online.dossiers.received_online", 0.2)
    f["finance.autonomy.public_units"] = rnd.randint(1, 3)  # the commune's schools
    f["finance.autonomy.full_with_investment"] = 0
    f["finance.autonomy.full_recurrent"] = 0
    f["finance.autonomy.partial"] = 1
    f["finance.autonomy.state_funded"] = f["finance.autonomy.public_units"] - 1
    if kind == "district":
        f["inspection.communes_checked"] = rnd.randint(3, 9)
        f["tthc.district"] = 214
        f["dossiers.district.resolved"] = rnd.randint(3000, 4000)
        part("dossiers.district.resolved", "dossiers.district.on_time", 0.9)
        f["org.public_units.district"] = 58
    return f


def contribution(catalog: Catalog, unit: Unit, figures: Mapping[str, float],
                 status: str = "approved") -> Contribution:
    """The unit's report on the Hà Tĩnh form: its figures on the items for its level, each
    rate written as its own numerator over its denominator."""
    form = catalog.form(FORM)
    assert form is not None
    values: dict[str, float | str] = {}
    for item in form.items:
        if item.concept is None or unit.kind not in item.levels:
            continue
        if item.concept in figures:
            values[item.id] = float(figures[item.concept])
    for item in form.items:
        if item.rate and item.rate[0] in values and item.rate[1] in values:
            num, den = values[item.rate[0]], values[item.rate[1]]
            assert isinstance(num, float) and isinstance(den, float)
            if den > 0 and unit.kind in item.levels:
                values[item.id] = round(100 * num / den, 2)
    return Contribution(unit.code, FORM, status, values, ref=f"r-{unit.code}")


def show(d: Draft) -> str:
    return "\n".join(paragraphs(d))


def cam_xuyen(catalog: Catalog, seed: int = 7) -> Aggregate:
    tree = district_tree()
    rnd = random.Random(seed)
    contributions = [contribution(catalog, tree.get("H"), unit_figures(rnd, "district"))]
    for n in range(1, len(COMMUNES)):  # the last one, Thị trấn Cẩm Xuyên, has not reported
        unit = tree.get(f"X{n}")
        contributions.append(contribution(catalog, unit, unit_figures(rnd, "commune")))
    return aggregate(catalog, tree, "H", HALF_2022, contributions)


def sparse(catalog: Catalog) -> Aggregate:
    """Most figures missing: three communes gave a handful of rows, some of them 0."""
    tree = district_tree()
    contributions = [
        contribution(catalog, tree.get("X1"), {"plan.tasks.planned": 12, "plan.tasks.done": 0,
                                               "dossiers.commune.resolved": 431,
                                               "survey.conducted": 1}),
        contribution(catalog, tree.get("X2"), {"plan.tasks.planned": 9,
                                               "dossiers.commune.on_time": 0}),
        contribution(catalog, tree.get("X3"), {"survey.conducted": 0, "pakn.received": 0}),
    ]
    return aggregate(catalog, tree, "H", HALF_2022, contributions)


# ------------------------------------------------------------------ reading the text back


def paragraphs(d: Draft) -> list[str]:
    return [p for s in d.sections for p in s.paragraphs]


_TOKEN = re.compile(r"\d+(?:[.,]\d+)*")
_VIETNAMESE = re.compile(r"(?:\d{1,3}(?:\.\d{3})+|\d{1,3})(?:,\d+)?")
_OUTLINE = re.compile(r"^\d+\. ")  # "2. Cải cách thủ tục hành chính"


def numbers_in(text: str, names: tuple[str, ...] = ()) -> list[float]:
    """Every number written in `text`, each checked to be written the Vietnamese way
    ("12.653", "97,74"); the outline number of a part heading and unit names are not
    figures."""
    text = _OUTLINE.sub("", text)
    for name in sorted(names, key=len, reverse=True):  # "phường 10" before "phường 1"
        text = text.replace(name, "")
    out = []
    for token in _TOKEN.findall(text):
        assert _VIETNAMESE.fullmatch(token), f"{token!r} is not written the Vietnamese way"
        reading = read_number(token)
        assert reading is not None and not reading.ambiguous, token
        out.append(reading.candidates[0])
    return out


def data_numbers(result: Aggregate, catalog: Catalog, coverage: Coverage) -> set[float]:
    """Every number the aggregate holds: totals, their parts and coverage, coded counts,
    the coverage of the report, and each rate recomputed from the totals of its parts."""
    out: set[float] = {coverage.expected, coverage.reported, coverage.late, coverage.missing}
    for t in result.concepts.values():
        out |= {v for v in (t.value, t.numerator, t.denominator) if v is not None}
        out |= {t.reported, t.expected, *(t.counts or {}).values()}
    for concept in catalog.concepts.values():
        if concept.numerator and concept.denominator:
            num, den = (result.concepts.get(k) for k in (concept.numerator,
                                                         concept.denominator))
            if num and den and num.value is not None and den.value and den.value > 0:
                out.add(round(100 * num.value / den.value, 2))
    return out


def facts_of(d: Draft, level: str | None) -> Counter[tuple[str, float]]:
    paras = [Paragraph(text, Source(paragraph=n)) for n, text in enumerate(paragraphs(d))]
    return Counter((f.concept, round(f.value, 6)) for f in extract_facts(paras, level))


def stated_of(d: Draft) -> Counter[tuple[str, float]]:
    return Counter((s.concept, round(s.value, 6)) for s in d.stated)


def assert_only_data_numbers(d: Draft, result: Aggregate, catalog: Catalog,
                             coverage: Coverage) -> None:
    allowed = data_numbers(result, catalog, coverage)
    for text in paragraphs(d):
        for number in numbers_in(text, coverage.missing_names):
            assert any(abs(number - a) < 1e-9 for a in allowed), (number, text)


# ------------------------------------------------------------------ the realistic aggregate


def test_the_outline_has_the_five_sections_with_their_headings(catalog: Catalog) -> None:
    result = cam_xuyen(catalog)
    sections = draft_sections(result, catalog, coverage_of(result))
    assert [(s.number, s.heading) for s in sections] == list(SECTION_WORDS.items())
    parts = [p for p in sections[1].paragraphs if _OUTLINE.match(p)]
    assert parts == ["1. Cải cách thể chế", "2. Cải cách thủ tục hành chính",
                     "3. Cải cách tổ chức bộ máy hành chính nhà nước",
                     "4. Cải cách chế độ công vụ", "5. Cải cách tài chính công",
                     "6. Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"]


def test_it_writes_the_dossiers_of_each_level_the_vietnamese_way(catalog: Catalog) -> None:
    result = cam_xuyen(catalog)
    d = draft(result, catalog, coverage_of(result))
    t = result.concepts
    resolved, on_time = (t["dossiers.commune.resolved"].value,
                         t["dossiers.commune.on_time"].value)
    rate = t["dossiers.commune.on_time_rate"].value
    assert resolved is not None and on_time is not None and rate is not None
    assert resolved >= 1000  # the grouping shows
    written = f"{resolved:,.0f}".replace(",", ".")
    expected = (f"Bộ phận Một cửa cấp xã đã giải quyết xong {written} hồ sơ, trong đó giải "
                f"quyết đúng hạn {f'{on_time:,.0f}'.replace(',', '.')} hồ sơ, tỷ lệ giải "
                f"quyết đúng hạn đạt {f'{rate:g}'.replace('.', ',')}%.")
    assert expected in d.sections[1].paragraphs
    assert any(p.startswith("Bộ phận Một cửa cấp huyện") for p in d.sections[1].paragraphs)
    # every commune that reported gave every figure: the coverage sentence says it all
    assert "(số liệu" not in show(d)


def test_the_coverage_sentence_counts_reports_late_and_missing(catalog: Catalog) -> None:
    result = cam_xuyen(catalog)
    coverage = coverage_of(result, late=["X2", "Q9"])  # Q9 is not one of the units
    assert coverage == Coverage(expected=9, reported=8, late=1, missing=1,
                                children="xã, thị trấn", area="toàn huyện",
                                missing_names=("thị trấn Cẩm Xuyên",))
    first = draft_sections(result, catalog, coverage)[0].paragraphs[0]
    assert first == ("Về tình hình gửi báo cáo, 8/9 xã, thị trấn đã gửi báo cáo, 1 đơn vị gửi "
                     "muộn; còn 1 đơn vị chưa gửi báo cáo (thị trấn Cẩm Xuyên).")


def test_coverage_says_late_only_when_a_report_was_late_and_names_only_a_few(
        catalog: Catalog) -> None:
    result = cam_xuyen(catalog)
    on_time = Coverage(9, 9, 0, 0, "xã", "toàn huyện")
    assert draft_sections(result, catalog, on_time)[0].paragraphs[0] == (
        "Về tình hình gửi báo cáo, 9/9 xã đã gửi báo cáo.")
    many = Coverage(9, 3, 0, 6, "xã", "toàn huyện",
                    tuple(f"xã {c}" for c in "ABCDEF"))
    text = draft_sections(result, catalog, many)[0].paragraphs[0]
    assert text == "Về tình hình gửi báo cáo, 3/9 xã đã gửi báo cáo; còn 6 đơn vị chưa gửi báo cáo."
    nobody = Coverage(0, 0, 0, 0, "xã", "toàn xã")
    assert draft_sections(result, catalog, nobody)[0].paragraphs[0] == (
        "Số liệu tổng hợp là số liệu của chính đơn vị; không có đơn vị cấp dưới phải gửi báo cáo.")


def test_every_number_in_the_draft_is_a_figure_of_the_aggregate(catalog: Catalog) -> None:
    for seed in (1, 7, 42):
        result = cam_xuyen(catalog, seed)
        coverage = coverage_of(result, late=["X4"])
        d = draft(result, catalog, coverage)
        assert_only_data_numbers(d, result, catalog, coverage)
        for s in d.stated:  # and each is the figure of its own concept
            t = result.concepts[s.concept]
            assert t.value == s.value, s


def test_the_core_reads_back_every_figure_the_draft_states(catalog: Catalog) -> None:
    result = cam_xuyen(catalog)
    d = draft(result, catalog, coverage_of(result, late=["X1"]))
    assert len(d.stated) >= 40  # the draft says a lot: this is not a vacuous round trip
    assert facts_of(d, "district") == stated_of(d)


def test_the_round_trip_holds_when_most_figures_are_missing(catalog: Catalog) -> None:
    result = sparse(catalog)
    coverage = coverage_of(result)
    d = draft(result, catalog, coverage)
    assert facts_of(d, "district") == stated_of(d)
    # the commune on-time rate is not stated: no commune gave both of its parts
    assert {s.concept for s in d.stated} == {
        "plan.tasks.planned", "plan.tasks.done", "plan.completion_rate",
        "dossiers.commune.resolved", "dossiers.commune.on_time", "pakn.received"}
    assert_only_data_numbers(d, result, catalog, coverage)


def test_a_missing_figure_leaves_its_clause_out_never_zero(catalog: Catalog) -> None:
    result = sparse(catalog)
    d = draft(result, catalog, coverage_of(result))
    commune = next(p for p in paragraphs(d) if p.startswith("Bộ phận Một cửa cấp xã"))
    # received is missing: no "tiếp nhận"; the rate is not 0 % but over the one unit that
    # gave both parts (431 resolved, of which X2's 0 on time is not part)
    assert commune == ("Bộ phận Một cửa cấp xã đã giải quyết xong 431 hồ sơ, trong đó giải "
                       "quyết đúng hạn 0 hồ sơ (số liệu của 1/9 xã).")
    assert not any(p.startswith("Bộ phận Một cửa cấp huyện") for p in paragraphs(d))
    assert not any("văn bản quy phạm pháp luật" in p for p in paragraphs(d))


def test_zero_is_stated_as_zero(catalog: Catalog) -> None:
    result = sparse(catalog)
    d = draft(result, catalog, coverage_of(result))
    plan = next(p for p in paragraphs(d) if p.startswith("Theo kế hoạch CCHC"))
    # two communes gave the plan, one of them the tasks done: each coverage is said
    assert plan == ("Theo kế hoạch CCHC, toàn huyện đề ra 21 nhiệm vụ (số liệu của 2/9 xã, "
                    "thị trấn), đã hoàn thành 0 nhiệm vụ, tỷ lệ hoàn thành kế hoạch đạt 0% "
                    "(số liệu của 1/9 xã, thị trấn).")
    assert "tiếp nhận 0 phản ánh, kiến nghị về quy định TTHC" in " ".join(paragraphs(d))


def test_coded_answers_are_counts_of_units_with_the_answers_words(catalog: Catalog) -> None:
    result = sparse(catalog)
    text = " ".join(draft_sections(result, catalog, coverage_of(result))[0].paragraphs)
    assert ("Về khảo sát sự hài lòng của người dân, tổ chức, 1/9 xã, thị trấn đã tổ chức "
            "khảo sát; 1 xã, thị trấn chưa tổ chức khảo sát.") in text


def test_a_section_without_figures_says_so_and_judgement_is_left_to_the_officer(
        catalog: Catalog) -> None:
    result = sparse(catalog)
    sections = draft_sections(result, catalog, coverage_of(result))
    ii = sections[1].paragraphs
    assert ii[ii.index("1. Cải cách thể chế") + 1] == "Chưa có số liệu tổng hợp cho mục này."
    for section in sections[2:]:
        [note] = section.paragraphs
        assert note.startswith("(") and "không soạn tự động từ số liệu" in note
        assert not re.search(r"\d", note)


def test_procedure_lists_are_stated_only_from_the_units_own_report(catalog: Catalog) -> None:
    result = cam_xuyen(catalog)
    assert result.concepts["tthc.commune"].source == "children"  # nine communes' lists
    text = " ".join(paragraphs(draft(result, catalog, coverage_of(result))))
    assert "Về thủ tục hành chính, có 214 TTHC cấp huyện." in text
    assert "TTHC cấp xã" not in text and "công bố mới" not in text


def test_a_rate_missing_from_the_aggregate_is_recomputed_from_its_summed_parts(
        catalog: Catalog) -> None:
    unit = Unit("H", "Huyện Cẩm Xuyên", "district")
    both = [UnitValue("C0", 1, "child"), UnitValue("C1", 1, "child")]
    totals = {
        "dossiers.commune.resolved": ConceptTotal("dossiers.commune.resolved", "sum", "commune",
                                                  value=1241, reported=2, expected=2,
                                                  units=list(both)),
        "dossiers.commune.on_time": ConceptTotal("dossiers.commune.on_time", "sum", "commune",
                                                 value=1213, reported=2, expected=2,
                                                 units=list(both))}
    result = built(unit, totals)
    coverage = Coverage(2, 2, 0, 0, "xã", "toàn huyện")
    assert ("Bộ phận Một cửa cấp xã đã giải quyết xong 1.241 hồ sơ, trong đó giải quyết đúng "
            "hạn 1.213 hồ sơ, tỷ lệ giải quyết đúng hạn đạt 97,74%.") in show(
                draft(result, catalog, coverage)).split("\n")
    # parts given by different units make no rate
    totals["dossiers.commune.on_time"].units = both[:1]
    assert "tỷ lệ" not in show(draft(result, catalog, coverage))
    # 0/0 is "không phát sinh": no rate at all
    totals["dossiers.commune.on_time"].units = list(both)
    totals["dossiers.commune.resolved"].value = 0
    totals["dossiers.commune.on_time"].value = 0
    text = show(draft(result, catalog, coverage))
    assert "đúng hạn 0 hồ sơ." in text and "tỷ lệ" not in text


def test_a_coded_answer_of_a_lower_level_counts_the_units_of_that_level(
        catalog: Catalog) -> None:
    plan = ConceptTotal("egov.digital_plan_issued", "count_codes", None, reported=9,
                        expected=9, counts={1: 7, 0: 2})
    result = built(Unit("H", "Huyện Cẩm Xuyên", "district"),
                   {"egov.digital_plan_issued": plan}, expected=9)
    vi = draft_sections(result, catalog, coverage_of(result))[1].paragraphs
    assert ("7/9 xã đã ban hành kế hoạch phát triển chính quyền số, ứng dụng công nghệ "
            "thông tin; 2 xã chưa ban hành kế hoạch.") in vi
    plan.counts = {0: 9}  # the answers nobody gave are not written
    vi = draft_sections(result, catalog, coverage_of(result))[1].paragraphs
    assert "9/9 xã chưa ban hành kế hoạch." in vi
    # a commune-level concept at a province: the communes, whatever the units below are
    rate = ConceptTotal("dossiers.commune.on_time_rate", "recompute", "commune", value=99.5,
                        reported=40, expected=50, numerator=199, denominator=200)
    province = built(Unit("T", "Tỉnh Hà Tĩnh", "province"),
                     {"dossiers.commune.on_time_rate": rate}, expected=50)
    coverage = Coverage(60, 60, 0, 0, "cơ quan, đơn vị", "toàn tỉnh")
    text = show(draft(province, catalog, coverage))
    assert ("Bộ phận Một cửa cấp xã có tỷ lệ giải quyết đúng hạn đạt 99,5% (số liệu của "
            "40/50 xã).") in text


# ------------------------------------------------------------------ words for units


def test_area_and_children_words_come_from_names_and_levels() -> None:
    assert area_word(Unit("H", "Huyện Cẩm Xuyên", "district")) == "toàn huyện"
    assert area_word(Unit("K", "Thị xã Kỳ Anh", "district")) == "toàn thị xã"
    assert area_word(Unit("T", "Tỉnh Hà Tĩnh", "province")) == "toàn tỉnh"
    assert area_word(Unit("N", "Thành phố Hà Nội", "province")) == "toàn thành phố"
    assert area_word(Unit("X", "Xã Cẩm Hưng", "commune")) == "toàn xã"
    assert area_word(Unit("P", "Phường Kỳ Anh", "commune")) == "toàn phường"
    assert area_word(Unit("S", "Sở Nội vụ", "department")) == "toàn ngành"
    communes = [Unit("A", "Thị trấn Cẩm Xuyên", "commune"), Unit("B", "Xã Cẩm Hà", "commune")]
    assert children_word(communes) == "xã, thị trấn"
    assert children_word([Unit("S", "Sở Tư pháp", "department")]) == "sở, ngành"
    assert children_word([*communes, Unit("H", "Huyện Cẩm Xuyên", "district")]) == (
        "cơ quan, đơn vị")
    assert running_name("Xã Cẩm Hà") == "xã Cẩm Hà"
    assert running_name("Thị xã Kỳ Anh") == "thị xã Kỳ Anh"
    assert running_name("Sở Nội vụ") == "Sở Nội vụ"


# ------------------------------------------------------------------ the phrases file


def test_the_shipped_phrases_fit_the_catalog(catalog: Catalog) -> None:
    assert check_phrases(load_phrases(), catalog) == []


def test_a_digit_of_its_own_in_a_phrase_is_refused() -> None:
    data = {"words": {"levels": {k: k for k in ("province", "department", "district",
                                                "commune", "service_unit")},
                      "area": "toàn {word}"},
            "coverage": {k: "x" for k in ("reported", "late", "missing", "names", "nobody")},
            "parts": {"2": "Cải cách thủ tục hành chính"},
            "sentences": [{"id": "s", "section": "II.2", "lead": "Trong kỳ",
                           "clauses": ["tiếp nhận {dossiers.commune.received:n} hồ sơ, "
                                       "đạt mức độ 4"]}]}
    with pytest.raises(PhrasesError, match="chữ số ngoài ô số liệu"):
        parse_phrases(data)
    data["sentences"] = [{"id": "s", "section": "II.9", "lead": "",
                          "clauses": ["tiếp nhận {dossiers.commune.received} hồ sơ"]}]
    with pytest.raises(PhrasesError) as error:
        parse_phrases(data)
    assert "mục 'II.9' không có" in str(error.value)
    assert "ô không hợp lệ" in str(error.value)


def test_a_clause_has_its_words_for_when_it_comes_first_and_alternatives(
        catalog: Catalog) -> None:
    own = ConceptTotal("dossiers.district.on_time", "sum", "district", value=40, reported=1,
                       expected=1, source="own")
    result = built(Unit("H", "Huyện Cẩm Xuyên", "district"), {"dossiers.district.on_time": own})
    text = show(draft(result, catalog, coverage_of(result)))
    # without the resolved dossiers there is no "trong đó"
    assert "Bộ phận Một cửa cấp huyện giải quyết đúng hạn 40 hồ sơ." in text.split("\n")
    phrases = load_phrases()
    data = {"words": {"levels": dict(phrases.levels), "area": phrases.area},
            "coverage": dict(phrases.coverage), "parts": dict(phrases.parts),
            "sentences": [{"id": "a", "section": "I", "lead": "",
                           "clauses": [{"text": "đạt {plan.completion_rate:%}",
                                        "first": "có tỷ lệ {plan.tasks.done:n}"}]}]}
    with pytest.raises(PhrasesError, match="'first' phải có đúng các ô số liệu"):
        parse_phrases(data)


def test_a_phrasing_the_core_does_not_read_is_reported(catalog: Catalog) -> None:
    result = cam_xuyen(catalog)
    phrases = load_phrases()
    data = {"words": {"levels": dict(phrases.levels), "area": phrases.area},
            "coverage": dict(phrases.coverage), "parts": dict(phrases.parts),
            "sentences": [{"id": "odd", "section": "II.2", "lead": "Cấp xã",
                           "clauses": ["xong {dossiers.commune.resolved:n} bộ hồ sơ",
                                       "tiếp nhận {plan.tasks.done:n} hồ sơ"]}]}
    d = draft(result, catalog, coverage_of(result), parse_phrases(data))
    resolved = result.concepts["dossiers.commune.resolved"].value
    done = result.concepts["plan.tasks.done"].value
    assert resolved is not None and done is not None
    assert read_back(d, "district") == [
        f"không đọc lại được: dossiers.commune.resolved = {resolved:,.0f}".replace(",", "."),
        f"không đọc lại được: plan.tasks.done = {done:,.0f}".replace(",", "."),
        f"đọc thừa: dossiers.commune.received = {done:,.0f}".replace(",", ".")]
    assert read_back(draft(result, catalog, coverage_of(result)), "district") == []


def test_phrases_that_do_not_fit_the_catalog_are_listed(catalog: Catalog) -> None:
    phrases = load_phrases()
    data = {"words": {"levels": dict(phrases.levels), "area": phrases.area},
            "coverage": dict(phrases.coverage), "parts": dict(phrases.parts),
            "sentences": [
                {"id": "a", "section": "I", "lead": "",
                 "clauses": ["đạt {plan.tasks.done:%}", "có {survey.satisfaction_rate:%}",
                             "có {no.such.concept:n} việc"]},
                {"id": "b", "section": "I", "lead": "", "coded": "survey.method",
                 "answers": {0: "trực tuyến", 1: "phát phiếu"}}]}
    problems = check_phrases(parse_phrases(data), catalog)
    assert len(problems) == 4
    assert any("plan.tasks.done:%" in p for p in problems)
    assert any("survey.satisfaction_rate" in p and "rollup: none" in p for p in problems)
    assert any("no.such.concept" in p for p in problems)
    assert any("đáp án [0, 1]" in p for p in problems)


# ------------------------------------------------------------------ any figures at all


def built(unit: Unit, totals: dict[str, ConceptTotal], expected: int = 2) -> Aggregate:
    below = [Unit(f"C{n}", f"Xã {n}", "commune", unit.code) for n in range(expected)]
    return Aggregate(unit=unit, period=HALF_2022, status_rule="approved", expected=below,
                     reported=[u.code for u in below], concepts=totals, rows=[])


def _phrase_concepts() -> list[str]:
    keys: set[str] = set()
    for s in load_phrases().sentences:
        if s.coded:
            keys.add(s.coded)
        for clause in s.clauses:
            keys |= {slot.concept for slot in clause.slots}
    return sorted(keys)


_CONCEPTS = _phrase_concepts()


@st.composite
def aggregates(draw: st.DrawFn) -> tuple[Aggregate, Coverage]:
    catalog = load_catalog()
    kind = draw(st.sampled_from(["district", "province", "commune"]))
    unit = {"district": Unit("H", "Huyện Cẩm Xuyên", "district"),
            "province": Unit("T", "Tỉnh Hà Tĩnh", "province"),
            "commune": Unit("X", "Xã Cẩm Hưng", "commune")}[kind]
    expected = draw(st.integers(1, 12))
    totals: dict[str, ConceptTotal] = {}
    present = draw(st.lists(st.booleans(), min_size=len(_CONCEPTS), max_size=len(_CONCEPTS)))
    for key in (k for k, there in zip(_CONCEPTS, present, strict=True) if there):
        concept = catalog.concepts[key]
        reported = draw(st.integers(0, expected))
        source = draw(st.sampled_from(["own", "children"]))
        t = ConceptTotal(key, concept.rollup, None, reported=reported, expected=expected,
                         source=source,
                         units=[UnitValue(f"C{n}", 1, "child") for n in range(reported)])
        if concept.rollup == "sum" and reported:
            t.value = float(draw(st.integers(0, 3_000_000)))
        elif concept.rollup == "recompute" and reported:
            den = draw(st.integers(0, 100_000))
            num = draw(st.integers(0, den * 2))
            t.numerator, t.denominator = float(num), float(den)
            t.value = round(100 * num / den, 2) if den else None
        elif concept.rollup == "count_codes" and reported:
            codes = [c for c, _ in parse_options(concept.unit)]
            t.counts = {c: draw(st.integers(0, reported)) for c in codes}
        totals[key] = t
    result = built(unit, totals, expected)
    late = draw(st.integers(0, expected))
    missing = draw(st.integers(0, expected))
    coverage = Coverage(expected, expected - missing, min(late, expected - missing), missing,
                        "xã", area_word(unit),
                        tuple(f"phường {n}" for n in range(missing)) if missing < 4 else ())
    return result, coverage


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(aggregates())
def test_any_figures_give_only_their_own_numbers_read_back_exactly(
        case: tuple[Aggregate, Coverage]) -> None:
    result, coverage = case
    catalog = load_catalog()
    d = draft(result, catalog, coverage)
    assert_only_data_numbers(d, result, catalog, coverage)
    assert facts_of(d, result.unit.kind) == stated_of(d), show(d)
    for s in d.stated:
        t = result.concepts.get(s.concept)
        if t is not None and t.reported:
            assert t.value == s.value, s
        else:  # a rate no unit's form carries: its parts' totals, from the same units
            concept = catalog.concepts[s.concept]
            assert concept.numerator and concept.denominator
            num, den = (result.concepts[k] for k in (concept.numerator, concept.denominator))
            assert num.value is not None and den.value
            assert s.value == round(100 * num.value / den.value, 2)
            assert {u.code for u in num.units} == {u.code for u in den.units}
    for text in paragraphs(d):
        assert text.strip() == text and "  " not in text and "{" not in text
