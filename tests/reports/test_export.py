"""CSV and JSON of a report: the columns of issue 12 in order (then issue 13's), one row per pair, empty where
nothing counts."""

import csv
import io
import json
from datetime import UTC, datetime

from bot.reports.export import as_csv, as_json
from bot.reports.figures import COLUMNS, UNKNOWN_CUSTOMER, PairFigures, Period, Report

PERIOD = Period(datetime(2026, 10, 24, tzinfo=UTC), datetime(2026, 11, 23, tzinfo=UTC), "the last 30 days")

# As issue 12 lists them.
ISSUE_COLUMNS = [
    "provider",
    "customer",
    "filed",
    "resolved",
    "open",
    "first_response_met",
    "first_response_breached",
    "first_response_attainment",
    "resolution_met",
    "resolution_breached",
    "resolution_attainment",
    "median_first_response_minutes",
    "p90_first_response_minutes",
    "median_resolution_minutes",
    "p90_resolution_minutes",
    "waiting_on_requester_minutes",
    "transfers",
    "reopens",
    "rating_average",
    "rating_count",
    "request_rating_average",
    "request_rating_count",
    # The customer's side (issue 13), after them: the columns above keep their places.
    "customer_response_met",
    "customer_response_breached",
    "customer_response_attainment",
]


def make_report(*pairs: PairFigures) -> Report:
    return Report(period=PERIOD, pairs=pairs, total=PairFigures("it", "*"), provider="it")


def busy_pair(**overrides: object) -> PairFigures:
    fields: dict[str, object] = {
        "provider": "it",
        "customer": "sales",
        "filed": 30,
        "resolved": 25,
        "open": 5,
        "first_response_met": 2,
        "first_response_breached": 1,
        "resolution_met": 1,
        "resolution_breached": 2,
        "median_first_response_minutes": 12.3456,
        "p90_first_response_minutes": 95.04,
        "median_resolution_minutes": 600.0,
        "p90_resolution_minutes": 1234.56,
        "waiting_on_requester_minutes": 45.678,
        "transfers_in": 2,
        "transfers_out": 1,
        "reopens": 1,
        "rating_average": 4.3333,
        "rating_count": 6,
        "request_rating_average": 3.6667,
        "request_rating_count": 3,
        "customer_response_met": 3,
        "customer_response_breached": 4,
    }
    return PairFigures(**{**fields, **overrides})  # type: ignore[arg-type]


def quiet_pair() -> PairFigures:
    """Nothing resolved, no target fell, too few ratings: every figure that can be None is."""
    return PairFigures("it", UNKNOWN_CUSTOMER, filed=1, open=1, rating_count=1)


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_columns_are_those_of_the_issue_in_order() -> None:
    assert list(COLUMNS) == ISSUE_COLUMNS
    assert next(csv.reader(io.StringIO(as_csv(make_report())))) == ISSUE_COLUMNS
    assert list(json.loads(as_json(make_report(busy_pair())))[0]) == ISSUE_COLUMNS


def test_one_row_per_pair_in_the_reports_order_without_the_total() -> None:
    report = make_report(busy_pair(), quiet_pair(), busy_pair(customer="hr"))
    assert [row["customer"] for row in read_csv(as_csv(report))] == ["sales", "unknown", "hr"]
    assert [row["customer"] for row in json.loads(as_json(report))] == ["sales", "unknown", "hr"]


def test_an_empty_report_has_the_header_only_and_an_empty_array() -> None:
    assert as_csv(make_report()).splitlines() == [",".join(ISSUE_COLUMNS)]
    assert json.loads(as_json(make_report())) == []


def test_json_rounds_minutes_to_a_tenth_attainment_to_four_places_ratings_to_two() -> None:
    (row,) = json.loads(as_json(make_report(busy_pair())))
    assert row == {
        "provider": "it",
        "customer": "sales",
        "filed": 30,
        "resolved": 25,
        "open": 5,
        "first_response_met": 2,
        "first_response_breached": 1,
        "first_response_attainment": 0.6667,
        "resolution_met": 1,
        "resolution_breached": 2,
        "resolution_attainment": 0.3333,
        "median_first_response_minutes": 12.3,
        "p90_first_response_minutes": 95.0,
        "median_resolution_minutes": 600.0,
        "p90_resolution_minutes": 1234.6,
        "waiting_on_requester_minutes": 45.7,
        "transfers": 3,
        "reopens": 1,
        "rating_average": 4.33,
        "rating_count": 6,
        "request_rating_average": 3.67,
        "request_rating_count": 3,
        "customer_response_met": 3,
        "customer_response_breached": 4,
        "customer_response_attainment": 0.4286,
    }


def test_csv_holds_the_same_values_as_text() -> None:
    (row,) = read_csv(as_csv(make_report(busy_pair())))
    assert (row["first_response_attainment"], row["p90_resolution_minutes"], row["rating_average"]) == (
        "0.6667",
        "1234.6",
        "4.33",
    )
    assert (row["filed"], row["transfers"], row["waiting_on_requester_minutes"]) == ("30", "3", "45.7")


def test_attainment_is_a_fraction_and_all_met_is_one() -> None:
    (row,) = json.loads(as_json(make_report(busy_pair(first_response_breached=0, resolution_met=0))))
    assert (row["first_response_attainment"], row["resolution_attainment"]) == (1.0, 0.0)


def test_what_nothing_counts_for_is_null_in_json_and_an_empty_cell_in_csv() -> None:
    report = make_report(quiet_pair())
    nothing = [
        "first_response_attainment",
        "resolution_attainment",
        "median_first_response_minutes",
        "p90_first_response_minutes",
        "median_resolution_minutes",
        "p90_resolution_minutes",
        "rating_average",
        "request_rating_average",
        "customer_response_attainment",
    ]
    (json_row,) = json.loads(as_json(report))
    (csv_row,) = read_csv(as_csv(report))
    assert [column for column, value in json_row.items() if value is None] == nothing
    assert [column for column, value in csv_row.items() if value == ""] == nothing
    assert (json_row["rating_count"], csv_row["rating_count"]) == (1, "1")


def test_department_ids_with_commas_quotes_and_newlines_survive_the_round_trip() -> None:
    awkward = 'r&d, "labs"\nnorth'
    report = make_report(busy_pair(provider=awkward, customer="sales;eu"))
    (csv_row,) = read_csv(as_csv(report))
    (json_row,) = json.loads(as_json(report))
    assert (csv_row["provider"], csv_row["customer"]) == (awkward, "sales;eu")
    assert (json_row["provider"], json_row["customer"]) == (awkward, "sales;eu")
