"""The terminal's report: department names, targets as percent with counts, times in business hours, hidden ratings."""

import re
from datetime import UTC, datetime

import pytest

from bot.reports.figures import ALL, UNKNOWN_CUSTOMER, OldestOpen, PairFigures, Period, Report
from bot.reports.text import RULE, as_text, duration, percent

PERIOD = Period(datetime(2026, 10, 24, tzinfo=UTC), datetime(2026, 11, 23, tzinfo=UTC), "the last 30 days")
NAMES = {"it": "IT Support", "sales": "Sales", "hr": "People"}
DASH = "\N{EN DASH}"


def make_pair(customer: str = "sales", **overrides: object) -> PairFigures:
    fields: dict[str, object] = {
        "provider": "it",
        "customer": customer,
        "filed": 30,
        "resolved": 25,
        "open": 5,
        "first_response_met": 23,
        "first_response_breached": 2,
        "resolution_met": 16,
        "resolution_breached": 4,
        "median_first_response_minutes": 12.0,
        "p90_first_response_minutes": 95.0,
        "median_resolution_minutes": 600.0,
        "p90_resolution_minutes": 3120.0,
        "waiting_on_requester_minutes": 45.0,
        "transfers_in": 2,
        "transfers_out": 1,
        "reopens": 1,
        "rating_average": 4.333,
        "rating_count": 6,
        "request_rating_average": 3.5,
        "request_rating_count": 4,
        "customer_response_met": 4,
        "customer_response_breached": 1,
    }
    return PairFigures(**{**fields, **overrides})  # type: ignore[arg-type]


def make_report(*pairs: PairFigures, provider: str | None = "it", customer: str | None = None) -> Report:
    total = make_pair(ALL, provider=provider or ALL, filed=sum(pair.filed for pair in pairs))
    return Report(PERIOD, pairs, total, provider=provider, customer=customer, names=NAMES)


def table(text: str, title: str) -> list[list[str]]:
    """The rows of a table under its title, each cut into its cells (cells are apart by two spaces or more)."""
    lines = text.split(f"\n{title}\n", 1)[1].split("\n\n", 1)[0].splitlines()
    return [re.split(r" {2,}", line.strip()) for line in lines[2:] if not line.startswith(RULE)]


def test_the_title_names_whose_service_and_the_period() -> None:
    assert as_text(make_report(make_pair())).startswith("Service report: IT Support · the last 30 days\n")
    title = as_text(make_report(make_pair(), customer="sales")).splitlines()[0]
    assert title == "Service report: IT Support for Sales · the last 30 days"
    assert as_text(make_report(make_pair(), provider=None)).startswith("Service report: All departments ·")


def test_each_pair_is_a_line_with_department_names_then_the_total() -> None:
    text = as_text(make_report(make_pair(), make_pair(UNKNOWN_CUSTOMER, filed=3), make_pair("finance", filed=1)))
    rows = table(text, "Requests and targets")
    assert [row[:3] for row in rows[:-1]] == [
        ["IT Support", "Sales", "30"],
        ["IT Support", "Unknown department", "3"],
        ["IT Support", "finance", "1"],
    ]
    assert rows[-1][:2] == ["Total", "34"]


def test_volume_targets_transfers_and_reopens_of_a_pair() -> None:
    (row, _total) = table(as_text(make_report(make_pair())), "Requests and targets")
    assert row == ["IT Support", "Sales", "30", "25", "5", "92% (23/2)", "80% (16/4)", "2/1", "1"]


def test_a_target_that_never_fell_is_a_dash_not_zero_percent() -> None:
    pair = make_pair(first_response_met=0, first_response_breached=0, resolution_met=0, resolution_breached=3)
    (row, _total) = table(as_text(make_report(pair)), "Requests and targets")
    assert row[5:7] == [DASH, "0% (0/3)"]


def test_times_in_business_hours_and_ratings_with_their_counts() -> None:
    text = as_text(make_report(make_pair()))
    (row, _total) = table(text, "Times (business hours) and ratings")
    assert row == ["IT Support", "Sales", "12m / 1h 35m", "10h / 52h", "45m", "4.33 (6)", "3.50 (4)", "80% (4/1)"]
    assert "business hours on the provider's calendar" in text


def test_answers_owed_by_requesters_show_like_targets() -> None:
    never = make_pair(customer_response_met=0, customer_response_breached=0)
    (row, _total) = table(as_text(make_report(never)), "Times (business hours) and ratings")
    assert row[-1] == DASH
    assert "Answers owed: by requesters while a request waited on them" in as_text(make_report(never))


def test_an_average_rated_by_too_few_people_is_hidden_and_no_ratings_is_a_dash() -> None:
    pair = make_pair(rating_average=None, rating_count=2, request_rating_average=None, request_rating_count=0)
    (row, _total) = table(as_text(make_report(pair)), "Times (business hours) and ratings")
    assert row[5:7] == [f"{DASH} (2)", DASH]


def test_nothing_resolved_shows_dashes_for_its_times() -> None:
    pair = make_pair(median_resolution_minutes=None, p90_resolution_minutes=None)
    (row, _total) = table(as_text(make_report(pair)), "Times (business hours) and ratings")
    assert row[3] == DASH


def test_the_oldest_open_request_of_each_pair_with_one() -> None:
    pairs = (
        make_pair(oldest_open=OldestOpen(123, datetime(2026, 11, 2, 9, 30, tzinfo=UTC))),
        make_pair("hr", open=0),
    )
    text = as_text(make_report(*pairs))
    assert "Oldest open request\n  IT Support \N{RIGHTWARDS ARROW} Sales: #123 filed 2026-11-02\n\n" in text
    assert "Oldest open request: none open" in as_text(make_report(make_pair("hr", open=0)))


def test_long_names_and_large_numbers_stay_within_120_columns() -> None:
    names = {**NAMES, "cs": "Customer Success and Onboarding, Europe"}
    big = make_pair("cs", filed=12345, first_response_met=9999, first_response_breached=9999, transfers_in=999,
                    customer_response_met=9999, customer_response_breached=9999)  # fmt: skip
    report = Report(PERIOD, [big], big, provider="it", names=names)
    text = as_text(report)
    assert max(len(line) for line in text.splitlines()) <= 120
    assert "Customer Success …" in text


def test_a_report_without_requests_says_so() -> None:
    assert as_text(make_report()) == "Service report: IT Support · the last 30 days\n\nNo requests in this period.\n"


@pytest.mark.parametrize(
    ("share", "shown"),
    [(1.0, "100%"), (0.92, "92%"), (0.996, "99%"), (0.004, "1%"), (0.0, "0%"), (0.5, "50%")],
)
def test_a_percent_never_rounds_to_all_or_none_met_when_it_is_not(share: float, shown: str) -> None:
    assert percent(share) == shown


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [
        (None, DASH),
        (0.0, "0m"),
        (0.2, "<1m"),
        (45.4, "45m"),
        (59.7, "1h"),
        (135.0, "2h 15m"),
        (1650.0, "27h 30m"),
        (2879.9, "48h"),
        (3120.0, "52h"),
    ],
)
def test_durations_read_as_hours_and_minutes(minutes: float | None, shown: str) -> None:
    assert duration(minutes) == shown
