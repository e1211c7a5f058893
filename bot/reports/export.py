"""A report as CSV and JSON: one row per provider x customer pair, the columns of ``figures.COLUMNS`` in order."""

import csv
import io
import json
from typing import Any

from bot.reports.figures import COLUMNS, Report

# Decimals kept per column; the other columns are counts. Minutes to a tenth, shares to a hundredth of a percent.
_DECIMALS = {
    "first_response_attainment": 4,
    "resolution_attainment": 4,
    "customer_response_attainment": 4,
    "median_first_response_minutes": 1,
    "p90_first_response_minutes": 1,
    "median_resolution_minutes": 1,
    "p90_resolution_minutes": 1,
    "waiting_on_requester_minutes": 1,
    "rating_average": 2,
    "request_rating_average": 2,
}


def rows(report: Report) -> list[dict[str, Any]]:
    """The pairs' rows with their floats rounded; None stays None (nothing counts)."""
    return [{column: _rounded(column, value) for column, value in pair.row().items()} for pair in report.pairs]


def as_csv(report: Report) -> str:
    """RFC 4180 CSV with a header; an empty cell where nothing counts."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows(report))
    return buffer.getvalue()


def as_json(report: Report) -> str:
    """A JSON array of the rows, each an object with the columns in order; null where nothing counts."""
    return json.dumps(rows(report), ensure_ascii=False, indent=2)


def _rounded(column: str, value: Any) -> Any:
    decimals = _DECIMALS.get(column)
    return value if decimals is None or value is None else round(value, decimals)
