from cchc.units import classify, parse_options
from cchc.vietnamese import clean, fold, key, starts_lower, title_case


def test_tone_mark_placement_does_not_matter_but_tones_do() -> None:
    assert key("Đơn giản hoá TTHC") == key("Đơn giản hóa TTHC")
    assert key("Uỷ ban nhân dân") == key("Ủy ban nhân dân")
    assert key("mức độ 3") != key("mức độ 4")
    assert key("Số hồ sơ") != key("Sổ hồ sơ")


def test_composed_and_decomposed_text_compare_equal() -> None:
    import unicodedata

    text = "Thủ tục hành chính"
    assert key(unicodedata.normalize("NFD", text)) == key(text)


def test_folding_removes_every_mark_including_d_bar() -> None:
    assert fold("Đường Điện Biên") == "duong dien bien"


def test_markup_and_spaces_are_cleaned() -> None:
    assert clean("<b>1.</b>\t**Cải cách**  thể chế ") == "1. Cải cách thể chế"


def test_title_case_and_lower_start() -> None:
    assert title_case("HƯƠNG TRÀ") == "Hương Trà"
    assert starts_lower("hiện vị trí việc làm")
    assert not starts_lower("- Số TTHC")


def test_coded_units_give_their_options() -> None:
    assert parse_options("Chưa có = 0 2 cấp = 1 3 cấp = 2") == (
        (0, "Chưa có"), (1, "2 cấp"), (2, "3 cấp"))
    assert classify("Tốt =1 Có vi phạm = 0").options == ((1, "Tốt"), (0, "Có vi phạm"))
    assert classify("Có = 1; Không = 0").kind == "coded"
    assert classify("%").kind == "percent"
    assert classify("Triệu đồng").kind == "money"
    assert classify("Cơ quan, đơn vị").kind == "count"
    assert classify("").kind == "none"
