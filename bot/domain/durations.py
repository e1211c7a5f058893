"""Durations as written in the org file: ``30m``, ``4h``, ``2d`` (d = working days of a calendar)."""

import re
from dataclasses import dataclass
from enum import StrEnum


class Unit(StrEnum):
    MINUTES = "m"
    HOURS = "h"
    WORKING_DAYS = "d"


@dataclass(frozen=True)
class Duration:
    amount: int
    unit: Unit

    def __str__(self) -> str:
        return f"{self.amount}{self.unit.value}"

    @property
    def business_minutes(self) -> int:
        """Minutes of business time; only for ``m`` and ``h``, working days are counted by the calendar."""
        if self.unit is Unit.WORKING_DAYS:
            raise ValueError("working days have no fixed length in minutes")
        return self.amount * (60 if self.unit is Unit.HOURS else 1)


_DURATION = re.compile(r"\s*(\d+)\s*([mhd])\s*")


def parse_duration(text: str) -> Duration:
    """Parse ``30m``/``4h``/``2d``; raises ValueError with a message fit for an admin."""
    match = _DURATION.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not a duration: write a whole number and m, h or d (e.g. 30m, 4h, 2d)")
    amount = int(match.group(1))
    if amount <= 0:
        raise ValueError(f"{text!r} must be longer than zero")
    return Duration(amount, Unit(match.group(2)))
