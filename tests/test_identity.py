"""The file's own unit, level and period against the report it is put in."""

from __future__ import annotations

from cchc.identity import Expected, compare, same_unit
from cchc.model import Meta, Period

HALF_2022 = Period(kind="half_year", year=2022, label="6 tháng đầu năm 2022")


def _codes(meta: Meta, unit: str, level: str, period: Period = HALF_2022) -> list[str]:
    return [f.code for f in compare(meta, Expected(unit, level, period))]


def test_the_same_unit_written_in_other_ways_is_the_same_unit() -> None:
    for written in ("UBND xã Cẩm Hưng", "Ủy ban nhân dân xã Cẩm Hưng", "UBND XÃ CẨM HƯNG",
                    "Uỷ ban nhân dân xã Cẩm  Hưng", "Xã Cẩm Hưng"):
        assert same_unit(written, "Xã Cẩm Hưng"), written
    assert same_unit("Ban Quản lý Khu du lịch bán đảo Cam Ranh",
                     "Ban Quản lý Khu du lịch bán đảo Cam Ranh tỉnh Khánh Hòa")


def test_a_neighbouring_unit_is_another_unit() -> None:
    assert not same_unit("UBND xã Cẩm Hưng", "Xã Cẩm Hà")
    assert not same_unit("UBND xã Cẩm Hưng", "Xã Kỳ Xuân")
    meta = Meta(unit="UBND xã Cẩm Hưng", level="commune", period=HALF_2022)
    assert _codes(meta, "Xã Kỳ Xuân", "commune") == ["file-of-other-unit"]


def test_another_level_with_the_same_name_is_flagged() -> None:
    meta = Meta(unit="UBND huyện Kế Sách", level="district", period=HALF_2022)
    assert _codes(meta, "Xã Kế Sách", "commune") == ["file-of-other-level"]


def test_another_period_kind_year_or_quarter_is_flagged() -> None:
    meta = Meta(unit="UBND xã Cẩm Hưng", level="commune", period=HALF_2022)
    year = Period(kind="year", year=2022, label="Năm 2022")
    assert _codes(meta, "Xã Cẩm Hưng", "commune", year) == ["file-of-other-period"]
    last_year = Period(kind="half_year", year=2021, label="6 tháng đầu năm 2021")
    assert _codes(meta, "Xã Cẩm Hưng", "commune", last_year) == ["file-of-other-period"]
    q3 = Meta(unit="UBND xã Cẩm Hưng", period=Period(kind="quarter", year=2022, number=3))
    q2 = Period(kind="quarter", year=2022, number=2, label="Quý II năm 2022")
    assert _codes(q3, "Xã Cẩm Hưng", "commune", q2) == ["file-of-other-period"]


def test_what_the_file_does_not_state_is_never_a_mismatch() -> None:
    assert _codes(Meta(), "Xã Cẩm Hưng", "commune") == []
    # a period without its year: the kind agrees, the year is not contradicted
    no_year = Meta(unit="UBND xã Cẩm Hưng", period=Period(kind="half_year"))
    assert _codes(no_year, "Xã Cẩm Hưng", "commune") == []
    every = Meta(unit="UBND xã Cẩm Hưng", level="commune", period=HALF_2022)
    assert _codes(every, "Xã Cẩm Hưng", "commune") == []
