"""The business-hours clock: concrete cases that read as the specification, then properties
checked against a deliberately simple minute-by-minute oracle."""

import json
import time
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.calendars import ALL_WEEK, WHOLE_DAY
from bot.domain.durations import parse_duration
from bot.domain.sla import (
    HORIZON,
    BeyondHorizon,
    BusinessCalendar,
    add_business_minutes,
    add_working_days,
    business_minutes_between,
    due_at,
    working_intervals,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
MON_FRI = frozenset(range(5))

OFFICE = BusinessCalendar("Europe/Berlin", MON_FRI, ((540, 1020),), "DE", frozenset({date(2026, 12, 24)}))
SPLIT = BusinessCalendar("Europe/Berlin", MON_FRI, ((510, 720), (780, 1020)))
# 00:00-24:00 with holidays, so the per-day machinery runs (no always-open shortcut).
CLOCK_BERLIN = BusinessCalendar("Europe/Berlin", ALL_WEEK, WHOLE_DAY, "DE")
CLOCK_NEW_YORK = BusinessCalendar("America/New_York", ALL_WEEK, WHOLE_DAY, "US")
NIGHT_BERLIN = BusinessCalendar("Europe/Berlin", ALL_WEEK, ((60, 300),))
NIGHT_NEW_YORK = BusinessCalendar("America/New_York", ALL_WEEK, ((60, 300),))
EARLY_BERLIN = BusinessCalendar("Europe/Berlin", ALL_WEEK, ((0, 150),))
ALWAYS = BusinessCalendar.always_open("Europe/Berlin")


# The helpers return the instant in UTC: datetimes of different zones with fold=1 never compare equal,
# and datetimes of the same zone compare by wall clock, ignoring fold (PEP 495).


def berlin(year: int, month: int, day: int, hour: int = 0, minute: int = 0, fold: int = 0) -> datetime:
    """The instant the Berlin wall clock shows this time (``fold=1``: the second time it does)."""
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN, fold=fold).astimezone(UTC)


def new_york(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=NEW_YORK).astimezone(UTC)


# --- add_business_minutes ----------------------------------------------------------------------

MINUTE_CASES = [
    ("friday 16:00 + 4h is monday 12:00", OFFICE, berlin(2026, 5, 15, 16), 240, berlin(2026, 5, 18, 12)),
    ("finishing exactly at closing returns the closing", OFFICE, berlin(2026, 5, 15, 16), 60, berlin(2026, 5, 15, 17)),
    ("one minute past closing continues at the next opening", OFFICE, berlin(2026, 5, 15, 16), 61,
     berlin(2026, 5, 18, 9, 1)),
    ("a saturday start counts from monday's opening", OFFICE, berlin(2026, 5, 16, 10), 30, berlin(2026, 5, 18, 9, 30)),
    ("a start before opening counts from the opening", OFFICE, berlin(2026, 5, 12, 7), 30, berlin(2026, 5, 12, 9, 30)),
    ("a start after closing counts from tomorrow", OFFICE, berlin(2026, 5, 12, 18), 30, berlin(2026, 5, 13, 9, 30)),
    ("a whole day from the opening ends at closing", OFFICE, berlin(2026, 5, 12, 9), 480, berlin(2026, 5, 12, 17)),
    ("an ascension day holiday is skipped", OFFICE, berlin(2026, 5, 13, 16), 120, berlin(2026, 5, 15, 10)),
    ("christmas eve (closed) and christmas (holidays) are skipped", OFFICE, berlin(2026, 12, 23, 16), 240,
     berlin(2026, 12, 28, 12)),
    ("new year's day is skipped", OFFICE, berlin(2026, 12, 31, 16), 120, berlin(2027, 1, 4, 10)),
    ("split shifts: the lunch break does not count", SPLIT, berlin(2026, 5, 12, 11), 90, berlin(2026, 5, 12, 13, 30)),
    ("split shifts: ending at the morning closing returns it", SPLIT, berlin(2026, 5, 12, 11), 60,
     berlin(2026, 5, 12, 12)),
    ("split shifts: a start in the break counts from the afternoon", SPLIT, berlin(2026, 5, 12, 12, 15), 15,
     berlin(2026, 5, 12, 13, 15)),
    ("spring forward (Berlin), 00:00-24:00: three real hours", CLOCK_BERLIN, berlin(2026, 3, 28, 23), 180,
     berlin(2026, 3, 29, 3)),
    ("spring forward (Berlin), 01:00-05:00 is three hours long", NIGHT_BERLIN, berlin(2026, 3, 29, 1), 180,
     berlin(2026, 3, 29, 5)),
    ("spring forward (Berlin), 01:00-05:00: a fourth hour runs into the next night", NIGHT_BERLIN,
     berlin(2026, 3, 29, 1), 181, berlin(2026, 3, 30, 1, 1)),
    ("spring forward (New York), 00:00-24:00: three real hours", CLOCK_NEW_YORK, new_york(2026, 3, 7, 23), 180,
     new_york(2026, 3, 8, 3)),
    ("spring forward (New York), 01:00-05:00 is three hours long", NIGHT_NEW_YORK, new_york(2026, 3, 8, 1), 180,
     new_york(2026, 3, 8, 5)),
    ("fall back (Berlin), 00:00-24:00: the repeated hour is counted once each time", CLOCK_BERLIN,
     berlin(2026, 10, 24, 23), 240, berlin(2026, 10, 25, 2, fold=1)),
    ("fall back (Berlin), 01:00-05:00 is five hours long", NIGHT_BERLIN, berlin(2026, 10, 25, 1), 300,
     berlin(2026, 10, 25, 5)),
    ("24/7 is plain elapsed time", ALWAYS, berlin(2026, 5, 15, 16), 3 * 1440, berlin(2026, 5, 18, 16)),
    ("24/7 over fall back is plain elapsed time", ALWAYS, berlin(2026, 10, 24, 23), 240,
     berlin(2026, 10, 25, 2, fold=1)),
    ("zero minutes outside hours is the start itself", OFFICE, berlin(2026, 5, 16, 10), 0, berlin(2026, 5, 16, 10)),
    ("zero minutes inside hours is the start itself", OFFICE, berlin(2026, 5, 12, 10), 0, berlin(2026, 5, 12, 10)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("calendar", "start", "minutes", "expected"), [case[1:] for case in MINUTE_CASES], ids=[c[0] for c in MINUTE_CASES]
)
def test_add_business_minutes(calendar: BusinessCalendar, start: datetime, minutes: int, expected: datetime) -> None:
    assert add_business_minutes(calendar, start, minutes) == expected


def test_results_are_utc_whatever_the_start_zone() -> None:
    due = add_business_minutes(OFFICE, new_york(2026, 5, 15, 10), 240)
    assert due.tzinfo is UTC
    assert due == berlin(2026, 5, 18, 12)


def test_seconds_in_the_start_are_kept() -> None:
    start = berlin(2026, 5, 12, 10).replace(second=30, microsecond=250)
    assert add_business_minutes(OFFICE, start, 30) == start + timedelta(minutes=30)


# --- business_minutes_between ------------------------------------------------------------------

BETWEEN_CASES = [
    ("a working day is eight hours", OFFICE, berlin(2026, 5, 12), berlin(2026, 5, 13), 480),
    ("a week with ascension day has four working days", OFFICE, berlin(2026, 5, 11), berlin(2026, 5, 18), 4 * 480),
    ("christmas week has three working days", OFFICE, berlin(2026, 12, 21), berlin(2026, 12, 28), 3 * 480),
    ("a split day is the sum of its shifts", SPLIT, berlin(2026, 5, 12), berlin(2026, 5, 13), 210 + 240),
    ("spring-forward day (Berlin) has 23 hours", CLOCK_BERLIN, berlin(2026, 3, 29), berlin(2026, 3, 30), 1380),
    ("fall-back day (Berlin) has 25 hours", CLOCK_BERLIN, berlin(2026, 10, 25), berlin(2026, 10, 26), 1500),
    ("spring-forward night shift (Berlin) has 3 hours", NIGHT_BERLIN, berlin(2026, 3, 29), berlin(2026, 3, 30), 180),
    ("fall-back night shift (Berlin) has 5 hours", NIGHT_BERLIN, berlin(2026, 10, 25), berlin(2026, 10, 26), 300),
    ("spring-forward day (New York) has 23 hours", CLOCK_NEW_YORK, new_york(2026, 3, 8), new_york(2026, 3, 9), 1380),
    ("spring-forward night (New York) has 3 hours", NIGHT_NEW_YORK, new_york(2026, 3, 8), new_york(2026, 3, 9), 180),
    ("fall-back night (New York) has 5 hours", NIGHT_NEW_YORK, new_york(2026, 11, 1), new_york(2026, 11, 2), 300),
    ("an end before the start is zero", OFFICE, berlin(2026, 5, 13), berlin(2026, 5, 12), 0),
    ("24/7 across fall back is elapsed time", ALWAYS, berlin(2026, 10, 25), berlin(2026, 10, 26), 1500),
]


@pytest.mark.parametrize(
    ("calendar", "start", "end", "expected"), [case[1:] for case in BETWEEN_CASES], ids=[c[0] for c in BETWEEN_CASES]
)
def test_business_minutes_between(calendar: BusinessCalendar, start: datetime, end: datetime, expected: int) -> None:
    assert business_minutes_between(calendar, start, end) == expected


# --- how local shifts become UTC intervals on DST days -----------------------------------------


def periods_on(calendar: BusinessCalendar, day: date) -> list[tuple[datetime, datetime]]:
    return list(calendar.periods(day))


def test_a_shift_starting_in_the_spring_gap_opens_at_the_jump() -> None:
    calendar = BusinessCalendar("Europe/Berlin", ALL_WEEK, ((150, 300),))  # 02:30-05:00
    assert periods_on(calendar, date(2026, 3, 29)) == [(berlin(2026, 3, 29, 3), berlin(2026, 3, 29, 5))]


def test_a_shift_ending_in_the_spring_gap_closes_at_the_jump() -> None:
    assert periods_on(EARLY_BERLIN, date(2026, 3, 29)) == [(berlin(2026, 3, 29), berlin(2026, 3, 29, 3))]


def test_a_shift_ending_at_the_repeated_hour_does_not_get_it() -> None:
    calendar = BusinessCalendar("Europe/Berlin", ALL_WEEK, ((0, 120),))  # 00:00-02:00
    assert periods_on(calendar, date(2026, 10, 25)) == [(berlin(2026, 10, 25), berlin(2026, 10, 25, 2))]


def test_an_ambiguous_shift_start_opens_at_its_first_occurrence() -> None:
    calendar = BusinessCalendar("Europe/Berlin", ALL_WEEK, ((120, 300),))  # 02:00-05:00
    assert periods_on(calendar, date(2026, 10, 25)) == [(berlin(2026, 10, 25, 2), berlin(2026, 10, 25, 5))]
    assert business_minutes_between(calendar, berlin(2026, 10, 25), berlin(2026, 10, 26)) == 240


def test_a_shift_boundary_inside_the_repeated_hour_follows_the_wall_clock() -> None:
    # 02:30-05:00: open while the clock shows 02:30 or later, closed again while it shows 02:00-02:30 a second time.
    calendar = BusinessCalendar("Europe/Berlin", ALL_WEEK, ((150, 300),))
    assert periods_on(calendar, date(2026, 10, 25)) == [
        (berlin(2026, 10, 25, 2, 30), berlin(2026, 10, 25, 2, fold=1)),
        (berlin(2026, 10, 25, 2, 30, fold=1), berlin(2026, 10, 25, 5)),
    ]


def test_working_intervals_are_clipped_to_the_range() -> None:
    assert list(working_intervals(SPLIT, berlin(2026, 5, 12, 10), berlin(2026, 5, 12, 14))) == [
        (berlin(2026, 5, 12, 10), berlin(2026, 5, 12, 12)),
        (berlin(2026, 5, 12, 13), berlin(2026, 5, 12, 14)),
    ]


def test_always_open_yields_one_interval_however_long() -> None:
    start = berlin(2026, 1, 1)
    assert list(working_intervals(ALWAYS, start, start + timedelta(days=3000))) == [
        (start, start + timedelta(days=3000))
    ]


# --- add_working_days --------------------------------------------------------------------------

DAY_CASES = [
    ("the same clock time two working days later", OFFICE, berlin(2026, 9, 8, 10), 2, berlin(2026, 9, 10, 10)),
    ("the weekend is skipped", OFFICE, berlin(2026, 9, 10, 10), 2, berlin(2026, 9, 14, 10)),
    ("holidays and closed days are skipped", OFFICE, berlin(2026, 12, 23, 10), 1, berlin(2026, 12, 28, 10)),
    ("a saturday start is due at the close of the second working day", OFFICE, berlin(2026, 9, 12, 10), 2,
     berlin(2026, 9, 15, 17)),
    ("a start after closing is due at the close of the next working day", OFFICE, berlin(2026, 9, 11, 18), 1,
     berlin(2026, 9, 14, 17)),
    ("a start before opening counts that day", OFFICE, berlin(2026, 9, 8, 7), 1, berlin(2026, 9, 8, 17)),
    ("a start exactly at opening counts that day", OFFICE, berlin(2026, 9, 8, 9), 1, berlin(2026, 9, 8, 17)),
    ("a start in the lunch break is due at the morning close", SPLIT, berlin(2026, 9, 8, 12, 30), 1,
     berlin(2026, 9, 9, 12)),
    ("split shifts keep the clock time", SPLIT, berlin(2026, 9, 8, 14), 1, berlin(2026, 9, 9, 14)),
    ("the local clock time is kept across a DST change", OFFICE, berlin(2026, 3, 27, 10), 1, berlin(2026, 3, 30, 10)),
    ("a clock time the day does not have maps forward", NIGHT_BERLIN, berlin(2026, 3, 28, 2, 30), 1,
     berlin(2026, 3, 29, 3)),
    ("an ambiguous clock time is its first occurrence", NIGHT_BERLIN, berlin(2026, 10, 24, 2, 30), 1,
     berlin(2026, 10, 25, 2, 30)),
    ("capped at the end of that day's last shift", EARLY_BERLIN, berlin(2026, 3, 28, 2, 15), 1,
     berlin(2026, 3, 29, 3)),
    ("24/7 counts calendar days", ALWAYS, berlin(2026, 9, 12, 10), 3, berlin(2026, 9, 15, 10)),
    ("zero days is the start itself", OFFICE, berlin(2026, 9, 12, 10), 0, berlin(2026, 9, 12, 10)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("calendar", "start", "days", "expected"), [case[1:] for case in DAY_CASES], ids=[c[0] for c in DAY_CASES]
)
def test_add_working_days(calendar: BusinessCalendar, start: datetime, days: int, expected: datetime) -> None:
    assert add_working_days(calendar, start, days) == expected


def test_the_cap_is_the_last_closing_of_that_day() -> None:
    due = add_working_days(EARLY_BERLIN, berlin(2026, 3, 28, 2, 15), 1)
    assert due == EARLY_BERLIN.periods(date(2026, 3, 29))[-1][1]


# --- due_at ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("30m", berlin(2026, 5, 15, 16, 30)), ("4h", berlin(2026, 5, 18, 12)), ("2d", berlin(2026, 5, 19, 16))],
)
def test_due_at_dispatches_on_the_unit(text: str, expected: datetime) -> None:
    assert due_at(OFFICE, berlin(2026, 5, 15, 16), parse_duration(text)) == expected


def test_due_at_five_working_days_is_fast() -> None:
    five_days = parse_duration("5d")
    starts = [berlin(2026, 1, 1, 10) + timedelta(hours=7 * i) for i in range(500)]  # ~5 months, mostly cold caches
    began = time.perf_counter()
    for start in starts:
        due_at(OFFICE, start, five_days)
    assert (time.perf_counter() - began) / len(starts) < 0.001


# --- the calendar itself -----------------------------------------------------------------------


def test_working_days() -> None:
    bavaria = BusinessCalendar("Europe/Berlin", MON_FRI, ((540, 1020),), "DE-BY")
    assert OFFICE.is_working_day(date(2026, 1, 6))
    assert not bavaria.is_working_day(date(2026, 1, 6))  # Epiphany, Bavaria only
    assert not OFFICE.is_working_day(date(2026, 12, 24))  # closed
    assert not OFFICE.is_working_day(date(2026, 12, 25))  # holiday
    assert not OFFICE.is_working_day(date(2026, 5, 16))  # Saturday


def test_calendar_round_trips_through_json() -> None:
    restored = BusinessCalendar.from_dict(json.loads(json.dumps(OFFICE.to_dict())))
    assert restored == OFFICE
    assert hash(restored) == hash(OFFICE)
    assert OFFICE.to_dict() == {
        "timezone": "Europe/Berlin",
        "weekdays": [0, 1, 2, 3, 4],
        "shifts": [[540, 1020]],
        "holiday_country": "DE",
        "closed": ["2026-12-24"],
    }


def test_lists_are_normalised_so_calendars_stay_hashable() -> None:
    calendar = BusinessCalendar("UTC", [0, 1], [[540, 1020]], None, [date(2026, 1, 2)])  # type: ignore[arg-type]
    assert calendar == BusinessCalendar("UTC", frozenset({0, 1}), ((540, 1020),), None, frozenset({date(2026, 1, 2)}))
    assert hash(calendar)


def test_always_open_is_mon_sun_00_24() -> None:
    assert ALWAYS.weekdays == frozenset(range(7))
    assert ALWAYS.shifts == ((0, 1440),)
    assert ALWAYS.is_always_open
    assert not CLOCK_BERLIN.is_always_open


@pytest.mark.parametrize(
    "data",
    [
        {"weekdays": [0], "shifts": [[540, 1020]]},
        {"timezone": "UTC", "weekdays": ["mon"], "shifts": [[540, 1020]]},
        {"timezone": "UTC", "weekdays": [True], "shifts": [[540, 1020]]},
        {"timezone": "UTC", "weekdays": [0], "shifts": [[540, 1020, 1]]},
        {"timezone": "UTC", "weekdays": [0], "shifts": [[540, 1020]], "closed": ["tomorrow"]},
        {"timezone": "UTC", "weekdays": [0], "shifts": [[540, 1020]], "holiday_country": 49},
    ],
)
def test_from_dict_rejects_malformed_data(data: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"."):
        BusinessCalendar.from_dict(data)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weekdays": frozenset()}, "working weekday"),
        ({"weekdays": frozenset({7})}, "working weekday"),
        ({"shifts": ()}, "at least one shift"),
        ({"shifts": ((600, 540),)}, "start before it ends"),
        ({"shifts": ((540, 1441),)}, "within 00:00-24:00"),
        ({"shifts": ((540, 800), (720, 1020))}, "must not overlap"),
        ({"shifts": ((780, 1020), (510, 720))}, "must be in order"),
        ({"timezone": "Europe/Atlantis"}, "not a time zone"),
        ({"holiday_country": "XX"}, "not a holiday country"),
        ({"holiday_country": "DE-ZZ"}, "not a holiday country"),
        ({"closed": frozenset({datetime(2026, 1, 1, tzinfo=UTC)})}, "must be dates"),
    ],
)
def test_invalid_calendars_are_rejected(kwargs: dict[str, Any], message: str) -> None:
    fields: dict[str, Any] = {"timezone": "Europe/Berlin", "weekdays": MON_FRI, "shifts": ((540, 1020),)} | kwargs
    with pytest.raises(ValueError, match=message):
        BusinessCalendar(**fields)


def test_naive_datetimes_are_rejected() -> None:
    naive = berlin(2026, 5, 12).replace(tzinfo=None)
    with pytest.raises(ValueError, match="aware"):
        add_business_minutes(OFFICE, naive, 30)
    with pytest.raises(ValueError, match="aware"):
        business_minutes_between(OFFICE, naive, berlin(2026, 5, 13))


def test_negative_amounts_are_rejected() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_business_minutes(OFFICE, berlin(2026, 5, 12), -1)
    with pytest.raises(ValueError, match="negative"):
        add_working_days(OFFICE, berlin(2026, 5, 12), -1)


def test_searches_give_up_after_ten_years() -> None:
    start = berlin(2026, 1, 1)
    weekdays = (date(2026, 1, 1) + timedelta(days=i) for i in range(12 * 366))
    closed_for_a_decade = BusinessCalendar("Europe/Berlin", MON_FRI, ((540, 1020),), closed=frozenset(weekdays))
    with pytest.raises(ValueError, match="days"):
        add_business_minutes(closed_for_a_decade, start, 1)
    with pytest.raises(ValueError, match="days"):
        add_working_days(closed_for_a_decade, start, 1)
    with pytest.raises(ValueError, match="days"):
        add_business_minutes(OFFICE, start, 10**7)  # ~80 years of office hours
    with pytest.raises(ValueError, match="days"):
        add_business_minutes(ALWAYS, start, 11 * 366 * 1440)
    with pytest.raises(ValueError, match="days"):
        business_minutes_between(OFFICE, start, start + timedelta(days=11 * 366))


# --- properties against the oracle -------------------------------------------------------------

ZONES = {
    "Europe/Berlin": "DE",
    "America/New_York": "US-NY",
    "Asia/Kolkata": "IN",
    "Australia/Lord_Howe": "AU-NSW",  # DST moves the clock by 30 minutes
    "UTC": "GB",
}
# DST transitions of the zones above, a holiday season, and an ordinary week (UTC).
ANCHORS = [
    datetime(2026, 3, 29, 1, tzinfo=UTC),
    datetime(2026, 10, 25, 1, tzinfo=UTC),
    datetime(2026, 3, 8, 7, tzinfo=UTC),
    datetime(2026, 11, 1, 6, tzinfo=UTC),
    datetime(2026, 4, 4, 15, tzinfo=UTC),
    datetime(2026, 10, 3, 15, 30, tzinfo=UTC),
    datetime(2026, 12, 24, 12, tzinfo=UTC),
    datetime(2026, 6, 10, 12, tzinfo=UTC),
]
CLOSABLE = [date(2026, 3, 30), date(2026, 10, 26), date(2026, 3, 9), date(2026, 11, 2), date(2026, 12, 28)]
# Shift boundaries that hit DST gaps and repeated hours (01:00-03:00), lunch breaks and midnight.
BOUNDARIES = [0, 60, 90, 120, 135, 150, 180, 300, 510, 720, 780, 1020, 1380, 1440]
MINUTE = timedelta(minutes=1)


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    zone = draw(st.sampled_from(sorted(ZONES)))
    count = draw(st.integers(1, 3))
    cuts = sorted(draw(st.lists(st.sampled_from(BOUNDARIES), min_size=2 * count, max_size=2 * count, unique=True)))
    return BusinessCalendar(
        timezone=zone,
        weekdays=draw(st.frozensets(st.integers(0, 6), min_size=3)),
        shifts=tuple(zip(cuts[::2], cuts[1::2], strict=True)),
        holiday_country=draw(st.sampled_from([None, ZONES[zone]])),
        closed=draw(st.frozensets(st.sampled_from(CLOSABLE), max_size=2)),
    )


def starts(spread_minutes: int = 3 * 1440) -> st.SearchStrategy[datetime]:
    return st.builds(
        lambda anchor, offset: anchor + offset * MINUTE,
        st.sampled_from(ANCHORS),
        st.integers(-spread_minutes, 1440),
    )


@cache
def oracle_holidays(code: str, year: int) -> frozenset[date]:
    country, _, subdivision = code.partition("-")
    return frozenset(holidays.country_holidays(country, subdiv=subdivision or None, years=year))


@cache
def oracle_is_open(calendar: BusinessCalendar, minute: datetime) -> bool:
    """Is the UTC minute starting at ``minute`` business time? Read the wall clock and check."""
    local = minute.astimezone(ZoneInfo(calendar.timezone))
    day = local.date()
    if day.weekday() not in calendar.weekdays or day in calendar.closed:
        return False
    if calendar.holiday_country and day in oracle_holidays(calendar.holiday_country, day.year):
        return False
    clock = local.hour * 60 + local.minute
    return any(start <= clock < end for start, end in calendar.shifts)


def oracle_add(calendar: BusinessCalendar, start: datetime, minutes: int) -> datetime:
    moment, remaining = start, minutes
    while remaining:
        if oracle_is_open(calendar, moment):
            remaining -= 1
        moment += MINUTE
        assert moment - start < timedelta(days=60), "oracle walked too far"
    return moment


def oracle_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> int:
    count, moment = 0, start
    while moment < end:
        count += oracle_is_open(calendar, moment)
        moment += MINUTE
    return count


def daily_minutes(calendar: BusinessCalendar) -> int:
    return sum(end - start for start, end in calendar.shifts)


@given(calendars(), starts(), st.integers(0, 2), st.integers(0, 1440))
def test_add_business_minutes_agrees_with_the_oracle(
    calendar: BusinessCalendar, start: datetime, days: int, extra: int
) -> None:
    minutes = days * daily_minutes(calendar) + min(extra, daily_minutes(calendar))
    assert add_business_minutes(calendar, start, minutes) == oracle_add(calendar, start, minutes)


@given(calendars(), starts(), st.integers(0, 3 * 1440))
def test_business_minutes_between_agrees_with_the_oracle(
    calendar: BusinessCalendar, start: datetime, length: int
) -> None:
    end = start + length * MINUTE
    assert business_minutes_between(calendar, start, end) == oracle_between(calendar, start, end)


@given(calendars(), starts(), st.integers(0, 20 * 1440), st.integers(0, 59_999_999))
def test_between_inverts_add(calendar: BusinessCalendar, start: datetime, minutes: int, microseconds: int) -> None:
    start += timedelta(microseconds=microseconds)
    try:
        due = add_business_minutes(calendar, start, minutes)
    except BeyondHorizon:  # a calendar of a few minutes a week holds fewer minutes than that in ten years
        assert business_minutes_between(calendar, start, start + HORIZON) < minutes
        return
    assert business_minutes_between(calendar, start, due) == minutes
    if minutes:  # the last moment before the due time is business time
        assert oracle_is_open(calendar, (due - timedelta(microseconds=1)).replace(second=0, microsecond=0))


@given(calendars(), starts(), st.lists(st.integers(0, 3 * 1440), min_size=2, max_size=2))
def test_between_is_additive(calendar: BusinessCalendar, start: datetime, lengths: list[int]) -> None:
    middle, end = sorted(start + length * MINUTE for length in lengths)
    whole = business_minutes_between(calendar, start, end)
    assert whole == business_minutes_between(calendar, start, middle) + business_minutes_between(calendar, middle, end)


@given(calendars(), starts(), st.integers(0, 4 * 1440))
def test_working_intervals_are_sorted_disjoint_open_and_inside_the_range(
    calendar: BusinessCalendar, start: datetime, length: int
) -> None:
    end = start + length * MINUTE
    intervals = list(working_intervals(calendar, start, end))
    for (lo, hi), following in zip(intervals, [*intervals[1:], None], strict=False):
        assert start <= lo < hi <= end
        assert lo.tzinfo is UTC
        assert oracle_is_open(calendar, lo)
        assert oracle_is_open(calendar, hi - MINUTE)
        if following is not None:
            assert hi <= following[0]


@given(calendars(), starts(), st.integers(1, 5))
def test_working_days_land_in_business_time_or_at_a_closing(
    calendar: BusinessCalendar, start: datetime, days: int
) -> None:
    due = add_working_days(calendar, start, days)
    assert due > start
    assert oracle_is_open(calendar, due) or oracle_is_open(calendar, due - MINUTE)
    assert add_working_days(calendar, start, days + 1) > due
    # At least days-1 whole working days of business time lie in between (the first day may be partial).
    assert business_minutes_between(calendar, start, due) >= (days - 1) * daily_minutes(calendar) - 60 * days


def test_a_due_time_beyond_the_horizon_says_so_plainly() -> None:
    """15 minutes a day, 3 days a week: 23,491 business minutes is more than ten years of it."""
    sparse = BusinessCalendar("Europe/Berlin", frozenset({0, 2, 4}), ((540, 555),))
    start = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    with pytest.raises(BeyondHorizon, match="looks at most 3653 days"):
        add_business_minutes(sparse, start, 23_491)
    assert add_business_minutes(sparse, start, 23_000) < start + HORIZON
    with pytest.raises(BeyondHorizon):
        add_working_days(OFFICE, start, 5000)
