"""Reports typed into a form: the same checks as a read file, values written back the
Vietnamese way, computed rates offered; the outline split; Vietnamese sorting."""

from __future__ import annotations

from cchc.catalog import load_catalog
from cchc.checks import run_checks
from cchc.entry import derived_from_entries, derived_rates, normalise, report_from_entries
from cchc.model import Meta, Paragraph, Source
from cchc.outline import split_sections
from cchc.vietnamese import sort_key

FORM = load_catalog().form("ha-tinh-phu-luc-1b-2022")
assert FORM is not None


def test_typed_values_are_checked_like_a_read_report() -> None:
    assert FORM is not None
    report = report_from_entries(FORM, {"1.2.1": "25", "1.2.2": "24", "1.2": "60"},
                                 Meta(unit="Xã Cẩm Hưng", level="commune"))
    codes = {(f.code, report.rows[f.row].item) for f in run_checks(report, load_catalog())
             if f.row is not None}
    assert ("rate-mismatch", "1.2") in codes
    assert not any(code.startswith("numbering") for code, _ in codes)


def test_the_narrative_is_checked_against_the_typed_appendix() -> None:
    assert FORM is not None
    report = report_from_entries(FORM, {}, Meta(level="commune"),
                                 {"II": "Tiếp nhận 1.241 hồ sơ TTHC."})
    assert report.paragraphs[0].text == "Tiếp nhận 1.241 hồ sơ TTHC."


def test_numbers_are_written_back_the_vietnamese_way() -> None:
    assert FORM is not None
    count, rate = FORM.item("1.1"), FORM.item("1.2")
    assert count is not None and rate is not None
    assert normalise(count, "1241") == "1.241"
    assert normalise(count, " 1.241 ") == "1.241"
    assert normalise(rate, "97.74") == "97,74"
    assert normalise(rate, "97,74%") == "97,74"
    assert normalise(rate, "100,00") == "100"
    assert normalise(rate, "85%") == "85"
    assert normalise(count, "12,641") == "12,641"  # ambiguous: never rewritten
    assert normalise(count, "không phát sinh") == "không phát sinh"


def test_a_rate_is_offered_from_its_own_parts() -> None:
    assert FORM is not None
    report = report_from_entries(FORM, {"1.2.1": "1.300", "1.2.2": "1.241"}, Meta())
    offered = derived_rates(FORM, report)["1.2"]
    assert (offered.value, offered.text) == (95.46, "95,46")
    zero = report_from_entries(FORM, {"1.2.1": "0", "1.2.2": "0"}, Meta())
    assert "1.2" not in derived_rates(FORM, zero)  # 0/0 is "không phát sinh", not a rate


def _paras(*texts: str) -> list[Paragraph]:
    return [Paragraph(t, Source(paragraph=i)) for i, t in enumerate(texts, 1)]


def test_the_outline_goes_by_topic_not_by_number() -> None:
    sections = split_sections(_paras(
        "UBND XÃ CẨM HƯNG", "I. TÌNH HÌNH TRIỂN KHAI", "1. Kế hoạch", "II. KẾT QUẢ THỰC HIỆN",
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ", "IV. KIẾN NGHỊ, ĐỀ XUẤT", "Đề nghị UBND huyện …",
        "Nơi nhận:", "- Như trên;", "PHỤ LỤC"))
    assert list(sections) == ["I", "II", "IV", "V"]
    assert sections["V"] == "IV. KIẾN NGHỊ, ĐỀ XUẤT\nĐề nghị UBND huyện …"
    assert "UBND XÃ" not in sections["I"]


def test_vietnamese_names_sort_in_dictionary_order() -> None:
    names = ["Đức Thọ", "Cẩm Xuyên", "Can Lộc", "Hương Khê", "Ân Thi", "An Nhơn", "Âu Cơ",
             "Ba Vì", "Cam Lâm", "Dầu Tiếng"]
    assert sorted(names, key=sort_key) == ["An Nhơn", "Ân Thi", "Âu Cơ", "Ba Vì", "Cam Lâm",
                                           "Can Lộc", "Cẩm Xuyên", "Dầu Tiếng", "Đức Thọ",
                                           "Hương Khê"]


def test_rates_derived_from_entries_equal_those_of_the_whole_report() -> None:
    assert FORM is not None
    entries = {"1.2.1": "25", "1.2.2": "24", "1.1": "1.241", "2.1": "12,641", "3.1": "x"}
    report = report_from_entries(FORM, entries, Meta(level="commune"))
    derived = derived_from_entries(FORM, entries)
    assert derived == derived_rates(FORM, report)
    assert derived["1.2"].text == "96"


def test_typed_entries_are_checked_by_one_verb() -> None:
    from cchc.catalog import load_catalog
    from cchc.entry import check_entries

    assert FORM is not None
    done = check_entries(FORM, {"1.2": "60", "1.2.1": "25", "1.2.2": "24"}, Meta(),
                         load_catalog())
    codes = {(f.code, item) for f, item in zip(done.findings, done.items, strict=True)}
    assert ("rate-mismatch", "1.2") in codes
    assert done.derived["1.2"].text == "96"
    assert done.report.rows[0].item == FORM.items[0].id
