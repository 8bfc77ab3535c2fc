"""cchc_web.bounded: a function run in a child with hard time and memory limits."""

from __future__ import annotations

import os
import time

import pytest

from cchc_web.bounded import Bounded, run


def _add(a: int, b: int) -> int:
    return a + b


def _fails() -> None:
    raise ValueError("hỏng")


def _dies() -> None:
    os._exit(3)


def _sleeps() -> None:
    time.sleep(30)


def test_the_result_and_the_exception_come_back() -> None:
    assert run(_add, 2, 3, seconds=10, memory_mb=1024) == 5
    with pytest.raises(ValueError, match="hỏng"):
        run(_fails, seconds=10, memory_mb=1024)


def test_a_child_that_dies_or_runs_over_is_reported() -> None:
    with pytest.raises(Bounded) as died:
        run(_dies, seconds=10, memory_mb=1024)
    assert died.value.reason == "crash"
    with pytest.raises(Bounded) as slow:
        run(_sleeps, seconds=0.3, memory_mb=1024)
    assert slow.value.reason == "time"
