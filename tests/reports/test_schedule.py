"""A department's periodic report is due at 09:00 on the first working day of the month (or week) on its own
calendar, and reports the month (or week) before."""

from datetime import UTC, date, datetime

from bot.domain.calendars import BusinessCalendar
from bot.reports.schedule import MONTHLY, OFF, WEEKLY, Due, due

OFFICE = BusinessCalendar("Europe/Berlin", frozenset(range(5)), ((540, 1020),), "DE")


def berlin(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=OFFICE.zone)


def test_the_monthly_report_waits_for_nine_on_the_first_working_day() -> None:
    # 1 November 2026 is a Sunday (and All Saints' is no holiday in Germany as a whole): Monday the 2nd.
    assert due(OFFICE, MONTHLY, berlin(date(2026, 11, 2), 8, 59)) is None
    assert due(OFFICE, MONTHLY, berlin(date(2026, 11, 2), 9)) == Due(
        date(2026, 10, 1), date(2026, 10, 31), berlin(date(2026, 11, 2), 9)
    )


def test_a_holiday_moves_it_to_the_next_working_day() -> None:
    # 1 January 2027 is a Friday and New Year's Day: the December report comes on Monday the 4th.
    assert due(OFFICE, MONTHLY, berlin(date(2027, 1, 1), 12)) is None
    found = due(OFFICE, MONTHLY, berlin(date(2027, 1, 4), 9, 30))
    assert found == Due(date(2026, 12, 1), date(2026, 12, 31), berlin(date(2027, 1, 4), 9))


def test_it_stays_due_for_the_rest_of_the_month_so_a_scheduler_down_that_morning_still_posts_it() -> None:
    found = due(OFFICE, MONTHLY, datetime(2026, 11, 20, 16, tzinfo=UTC))
    assert found is not None
    assert found.first == date(2026, 10, 1)


def test_the_weekly_report_covers_last_monday_to_sunday() -> None:
    found = due(OFFICE, WEEKLY, berlin(date(2026, 11, 25), 10))  # a Wednesday
    assert found == Due(date(2026, 11, 16), date(2026, 11, 22), berlin(date(2026, 11, 23), 9))


def test_off_means_never() -> None:
    assert due(OFFICE, OFF, berlin(date(2026, 11, 2), 10)) is None
