"""Business calendars: which instants are business time for a department.

The one rule everything else follows: **an instant is business time when the wall clock of the
calendar's time zone, at that instant, shows a working day and a time inside one of its shifts.**

Every instant has exactly one wall-clock reading, so no instant is ever counted twice, and all
daylight-saving cases follow from that rule:

* Spring forward (the clock jumps from 02:00 to 03:00): the skipped readings never occur. A shift
  spanning the gap is an hour shorter in real time; a shift starting (or ending) inside the gap
  opens (closes) at the jump, i.e. non-existent local times map forward to the first real instant
  whose reading is later.
* Fall back (the clock shows 02:00-03:00 twice): a shift spanning the repeated hour is an hour
  longer in real time. A shift starting at an ambiguous time opens at its first occurrence
  (``fold=0``). A shift boundary strictly inside the repeated hour gives two pieces: the shift is
  open whenever the clock shows a time inside it, so after the clock falls back below the start it
  is closed again until it reaches the start a second time.

Shifts are the same on every working day and are given in minutes from local midnight; ``1440``
means 24:00 (the readings of the next day are not included).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

Interval = tuple[datetime, datetime]
"""A half-open UTC interval ``[start, end)``."""

MINUTES_PER_DAY = 1440
ALL_WEEK = frozenset(range(7))
WHOLE_DAY: tuple[tuple[int, int], ...] = ((0, MINUTES_PER_DAY),)

_DAY = timedelta(days=1)
# Offsets in the tz database stay within -12h..+14h: every instant whose reading falls on a local
# date lies within these margins of that date's midnight taken as if it were UTC.
_BEFORE = timedelta(hours=15)
_AFTER = timedelta(hours=13)


@dataclass(frozen=True)
class BusinessCalendar:
    timezone: str
    weekdays: frozenset[int]
    shifts: tuple[tuple[int, int], ...]
    holiday_country: str | None = None
    closed: frozenset[date] = frozenset()
    _zone: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Normalise what callers may hand in as lists (org files, JSON) so the calendar stays hashable.
        object.__setattr__(self, "weekdays", frozenset(self.weekdays))
        object.__setattr__(self, "shifts", tuple((int(s), int(e)) for s, e in self.shifts))
        object.__setattr__(self, "closed", frozenset(self.closed))
        object.__setattr__(self, "_zone", _zone(self.timezone))
        if not self.weekdays or not self.weekdays <= ALL_WEEK:
            raise ValueError("a calendar needs at least one working weekday, numbered 0 (Monday) to 6 (Sunday)")
        if not self.shifts:
            raise ValueError("a calendar needs at least one shift")
        previous_end = 0
        for start, end in self.shifts:
            if not 0 <= start < end <= MINUTES_PER_DAY:
                raise ValueError(f"shift {_hhmm(start)}-{_hhmm(end)} must start before it ends, within 00:00-24:00")
            if start < previous_end:
                raise ValueError("shifts must be in order and must not overlap")
            previous_end = end
        if any(isinstance(day, datetime) or not isinstance(day, date) for day in self.closed):
            raise ValueError("closed days must be dates")
        if self.holiday_country is not None:
            _check_holiday_country(self.holiday_country)

    @classmethod
    def always_open(cls, timezone: str = "UTC") -> "BusinessCalendar":
        """24/7: ``days = "mon-sun"``, ``hours = "00:00-24:00"``, no holidays."""
        return cls(timezone=timezone, weekdays=ALL_WEEK, shifts=WHOLE_DAY)

    @property
    def zone(self) -> ZoneInfo:
        return self._zone

    @property
    def is_always_open(self) -> bool:
        """Every instant is business time (whatever the time zone): no per-day walk needed."""
        return (
            self.weekdays == ALL_WEEK and self.shifts == WHOLE_DAY and self.holiday_country is None and not self.closed
        )

    def is_working_day(self, day: date) -> bool:
        """A working weekday that is neither a public holiday nor an extra closed day."""
        if day.weekday() not in self.weekdays or day in self.closed:
            return False
        if self.holiday_country is None:
            return True
        return day not in _holidays(self.holiday_country, day.year)

    def periods(self, day: date) -> tuple[Interval, ...]:
        """The business time (UTC, in order) whose wall-clock reading falls on local ``day``."""
        return _periods(self, day)

    def to_dict(self) -> dict[str, Any]:
        return {
            "timezone": self.timezone,
            "weekdays": sorted(self.weekdays),
            "shifts": [[start, end] for start, end in self.shifts],
            "holiday_country": self.holiday_country,
            "closed": [day.isoformat() for day in sorted(self.closed)],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "BusinessCalendar":
        try:
            country = data.get("holiday_country")
            if country is not None and not isinstance(country, str):
                raise TypeError("holiday_country must be a string")
            return cls(
                timezone=str(data["timezone"]),
                weekdays=frozenset(_as_int(day) for day in data["weekdays"]),
                shifts=tuple((_as_int(start), _as_int(end)) for start, end in data["shifts"]),
                holiday_country=country,
                closed=frozenset(date.fromisoformat(day) for day in data.get("closed", ())),
            )
        except (KeyError, TypeError) as error:
            raise ValueError(f"not a calendar: {error}") from error


def _as_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{value!r} is not a whole number")
    return value


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@lru_cache(maxsize=256)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"{name!r} is not a time zone (use an IANA name such as Europe/Berlin)") from error


def _split_country(code: str) -> tuple[str, str | None]:
    country, _, subdivision = code.partition("-")
    return country.upper(), subdivision.upper() or None


@lru_cache(maxsize=256)
def _check_holiday_country(code: str) -> None:
    country, subdivision = _split_country(code)
    try:
        holidays.country_holidays(country, subdiv=subdivision)
    except NotImplementedError as error:
        raise ValueError(f"{code!r} is not a holiday country (e.g. DE or DE-BY): {error}") from error


@lru_cache(maxsize=1024)
def _holidays(code: str, year: int) -> frozenset[date]:
    country, subdivision = _split_country(code)
    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year))


@lru_cache(maxsize=8192)
def _periods(calendar: BusinessCalendar, day: date) -> tuple[Interval, ...]:
    if not calendar.is_working_day(day):
        return ()
    spans = [(timedelta(minutes=start), timedelta(minutes=end)) for start, end in calendar.shifts]
    return wall_spans_to_utc(calendar.zone, day, spans)


def wall_midnight(day: date) -> datetime:
    """Local midnight of ``day`` as a wall-clock reading, written as a UTC datetime (no offset applied)."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def wall_spans_to_utc(zone: ZoneInfo, day: date, spans: Iterable[tuple[timedelta, timedelta]]) -> tuple[Interval, ...]:
    """The instants whose reading in ``zone`` falls on ``day`` inside one of ``spans`` (from midnight).

    The result is sorted, and touching pieces are merged.
    """
    midnight = wall_midnight(day)
    pieces: list[Interval] = []
    for span_start, span_end in spans:
        first, last = midnight + span_start, midnight + span_end
        for begin, end, offset in _offset_segments(zone, day):
            lo, hi = max(begin, first - offset), min(end, last - offset)
            if lo < hi:
                pieces.append((lo, hi))
    pieces.sort()
    merged: list[Interval] = []
    for lo, hi in pieces:
        if merged and merged[-1][1] >= lo:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return tuple(merged)


@lru_cache(maxsize=8192)
def _offset_segments(zone: ZoneInfo, day: date) -> tuple[tuple[datetime, datetime, timedelta], ...]:
    """UTC stretches, each with one UTC offset, covering every instant whose reading falls on ``day``."""
    midnight = wall_midnight(day)
    offsets = {
        _offset(zone, wall, fold) for wall in (midnight, midnight + _DAY) for fold in (0, 1)
    }  # the readings, made local
    if len(offsets) == 1:
        # No transition touches this date (one that jumps away and back within a day is not supported).
        (offset,) = offsets
        return ((midnight - offset, midnight + _DAY - offset, offset),)
    lo = int((midnight - _BEFORE).timestamp())
    hi = int((midnight + _DAY + _AFTER).timestamp())
    changes = _transitions(zone, lo, hi, _offset_at(zone, lo), _offset_at(zone, hi))
    bounds = [lo, *(at for at, _ in changes), hi]
    values = [_offset_at(zone, lo), *(offset for _, offset in changes)]
    return tuple(
        (datetime.fromtimestamp(begin, UTC), datetime.fromtimestamp(end, UTC), offset)
        for begin, end, offset in zip(bounds[:-1], bounds[1:], values, strict=True)
    )


def _offset(zone: ZoneInfo, wall: datetime, fold: int) -> timedelta:
    offset = wall.replace(tzinfo=zone, fold=fold).utcoffset()
    assert offset is not None
    return offset


def _offset_at(zone: ZoneInfo, timestamp: int) -> timedelta:
    offset = datetime.fromtimestamp(timestamp, zone).utcoffset()
    assert offset is not None
    return offset


def _transitions(zone: ZoneInfo, lo: int, hi: int, at_lo: timedelta, at_hi: timedelta) -> list[tuple[int, timedelta]]:
    """Offset changes in ``(lo, hi]`` as (first second of the new offset, new offset), by bisection."""
    if at_lo == at_hi:
        return []
    if hi - lo <= 1:
        return [(hi, at_hi)]
    mid = (lo + hi) // 2
    at_mid = _offset_at(zone, mid)
    return _transitions(zone, lo, mid, at_lo, at_mid) + _transitions(zone, mid, hi, at_mid, at_hi)
