"""Vietnamese numbers: reading with the unit as context, writing, and round trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.numbers import format_number, format_percent, parse_value, read_number
from cchc.units import classify

COUNT = classify("Hồ sơ")
PERCENT = classify("%")
CODED = classify("Có = 1; Không = 0")


@pytest.mark.parametrize(("raw", "unit", "kind", "value"), [
    ("1.241", COUNT, "number", 1241),
    ("97,74", PERCENT, "percent", 97.74),
    ("12,5%", PERCENT, "percent", 12.5),
    ("86.1%", PERCENT, "percent", 86.1),
    ("100%", PERCENT, "percent", 100),
    ("02", COUNT, "number", 2),
    ("1.500.050,30", classify("Đồng"), "number", 1500050.30),
    ("   117", COUNT, "number", 117),
    ("1", CODED, "coded", 1),
    ("Có", CODED, "coded", 1),
    ("12 hồ sơ", COUNT, "number", 12),
])
def test_it_reads_values_the_vietnamese_way(raw: str, unit, kind: str, value: float) -> None:
    parsed = parse_value(raw, unit)
    assert parsed.kind == kind
    assert parsed.value == pytest.approx(value)
    assert parsed.raw == raw


def test_it_reads_a_fraction_with_its_numerator_and_denominator() -> None:
    parsed = parse_value("149/149", PERCENT)
    assert (parsed.kind, parsed.value, parsed.numerator, parsed.denominator) == (
        "fraction", 100.0, 149, 149)


@pytest.mark.parametrize(("raw", "unit", "candidates"), [
    ("8.333", PERCENT, [8333, 8.333]),
    ("12,641", COUNT, [12641, 12.641]),
])
def test_it_refuses_to_guess_a_number_that_reads_two_ways(raw, unit, candidates) -> None:
    parsed = parse_value(raw, unit)
    assert parsed.kind == "ambiguous"
    assert parsed.value is None
    assert parsed.candidates == pytest.approx(candidates)


@pytest.mark.parametrize("raw", ["", "  ", "-", "…"])
def test_it_keeps_missing_apart_from_zero(raw: str) -> None:
    parsed = parse_value(raw, COUNT)
    assert parsed.kind == "empty"
    assert parsed.value is None


@pytest.mark.parametrize("raw", ["Đang hoàn thiện hồ sơ", "1.2.3.4,5,6", "12 và 13"])
def test_it_keeps_text_that_is_not_one_number_as_text(raw: str) -> None:
    assert parse_value(raw, COUNT).kind == "text"


def test_it_remembers_the_decimals_written_for_rounding_tolerance() -> None:
    assert parse_value("97,74", PERCENT).decimals == 2
    assert parse_value("60", PERCENT).decimals == 0


def test_it_writes_numbers_with_dot_groups_and_decimal_comma() -> None:
    assert format_number(1241) == "1.241"
    assert format_number(1500050.3) == "1.500.050,3"
    assert format_number(97.74, 2) == "97,74"
    assert format_percent(97.74) == "97,74%"
    assert format_number(0) == "0"


@given(st.integers(min_value=0, max_value=10**12))
def test_whole_numbers_round_trip(n: int) -> None:
    parsed = parse_value(format_number(n), COUNT)
    assert parsed.kind == "number"
    assert parsed.value == n


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=99))
def test_decimals_round_trip(whole: int, cents: int) -> None:
    value = whole + cents / 100
    text = format_number(value, 2)
    parsed = parse_value(text, classify("Triệu đồng"))
    assert parsed.value == pytest.approx(value)


@given(st.integers(min_value=0, max_value=10000).map(lambda n: n / 100))
def test_percentages_round_trip(value: float) -> None:
    parsed = parse_value(format_percent(value), PERCENT)
    assert parsed.kind == "percent"
    assert parsed.value == pytest.approx(value)


@given(st.text(alphabet="0123456789.,% -/", max_size=14))
def test_reading_never_crashes_and_never_guesses(text: str) -> None:
    parsed = parse_value(text, PERCENT)
    assert parsed.kind in {"number", "percent", "fraction", "empty", "text", "ambiguous"}
    if parsed.kind == "ambiguous":
        assert parsed.value is None and len(parsed.candidates) == 2


def test_a_token_with_broken_groups_is_not_a_number() -> None:
    assert read_number("1.24.1") is None
    assert read_number("12.34,5.6") is None
