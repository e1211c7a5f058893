"""Proposed targets: the observed 80th percentile rounded up to a duration people write."""

import pytest

from bot.domain.durations import Duration, Unit
from bot.domain.targets import proposed, working_minutes_a_day

OFFICE = 480  # 09:00-17:00


@pytest.mark.parametrize(
    ("minutes", "day", "target"),
    [
        (0, OFFICE, "15m"),
        (14.5, OFFICE, "15m"),
        (16, OFFICE, "30m"),
        (31, OFFICE, "1h"),
        (61, OFFICE, "2h"),
        (200, OFFICE, "4h"),
        (241, OFFICE, "6h"),
        (361, OFFICE, "1d"),  # 8h is a whole working day here
        (480, OFFICE, "1d"),
        (481, OFFICE, "2d"),
        (5 * 480 + 1, OFFICE, "7d"),
        (31 * 480, OFFICE, "40d"),
        (7 * 60, 1440, "8h"),  # around the clock, hours go up to 12h
        (13 * 60, 1440, "1d"),
    ],
)
def test_the_time_is_rounded_up_to_a_sensible_step(minutes: float, day: int, target: str) -> None:
    assert str(proposed(minutes, day)) == target


def test_a_proposal_is_a_duration_the_org_file_reads() -> None:
    assert proposed(90, OFFICE) == Duration(2, Unit.HOURS)


def test_a_working_day_is_its_shifts() -> None:
    assert working_minutes_a_day([(510, 720), (780, 1020)]) == 450
