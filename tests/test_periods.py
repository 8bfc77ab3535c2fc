"""Periods: bounds, the legal data windows, one way of naming them, the command-line form."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.periods import PeriodError, bounds, data_window, label, parse_spec


def test_bounds_of_every_kind() -> None:
    assert bounds("quarter", 2022, 3) == (dt.date(2022, 7, 1), dt.date(2022, 9, 30))
    assert bounds("month", 2024, 2) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert bounds("half_year", 2022) == (dt.date(2022, 1, 1), dt.date(2022, 6, 30))
    assert bounds("nine_months", 2022) == (dt.date(2022, 1, 1), dt.date(2022, 9, 30))
    assert bounds("year", 2021) == (dt.date(2021, 1, 1), dt.date(2021, 12, 31))


def test_data_windows_follow_decree_09() -> None:
    assert data_window("half_year", 2022) == (dt.date(2021, 12, 15), dt.date(2022, 6, 14))
    assert data_window("quarter", 2022, 1) == (dt.date(2021, 12, 15), dt.date(2022, 3, 14))
    assert data_window("quarter", 2022, 3) == (dt.date(2022, 6, 15), dt.date(2022, 9, 14))
    assert data_window("year", 2022) == (dt.date(2021, 12, 15), dt.date(2022, 12, 14))


def test_one_way_of_naming() -> None:
    assert label("quarter", 2022, 1) == "Quý I năm 2022"
    assert label("month", 2022, 5) == "Tháng 5 năm 2022"
    assert label("half_year", 2022) == "6 tháng đầu năm 2022"
    assert label("nine_months", 2022) == "9 tháng năm 2022"
    assert label("year", 2022) == "Năm 2022"
    assert label("quarter", None, 2) == "Quý II"


def test_the_command_line_form() -> None:
    assert parse_spec("quarter:2022:3") == ("quarter", 2022, 3)
    assert parse_spec("year:2021") == ("year", 2021, None)
    for bad in ("quarter:2022:5", "month:2022", "year", "year:abc", "week:2022",
                "year:2022:1"):
        with pytest.raises(PeriodError):
            parse_spec(bad)
