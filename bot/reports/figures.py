"""What a report holds: the figures of each provider x customer pair over a period, and a weekly trend. Pure.

Every figure is computed in SQL (``storage/reports.py``); these are the shapes the views, the CSV and the
charts read. Attainment is met / (met + breached), over the targets that fell in the period; None when no
target did. Averages of ratings are None unless at least ``anonymity_min`` people gave them.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

UNKNOWN_CUSTOMER = "unknown"  # a requester whose department Inhouse does not know
ALL = "*"  # the total over every pair in a report
DEFAULT_ATTAINMENT_GOAL = 0.9  # `[organization] attainment_goal` in the org file

# The CSV's and the JSON's columns, in this order (issue 12; the customer's side of issue 13 after them).
COLUMNS = (
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
    "customer_response_met",
    "customer_response_breached",
    "customer_response_attainment",
)


def attainment(met: int, breached: int) -> float | None:
    """The share of targets met, 0..1; None when no target counts."""
    return met / (met + breached) if met + breached else None


@dataclass(frozen=True)
class Period:
    """From ``start`` (included) to ``end`` (excluded), instants in UTC; ``label`` says it in the org's time zone."""

    start: datetime
    end: datetime
    label: str


@dataclass(frozen=True)
class OldestOpen:
    number: int
    filed_at: datetime


@dataclass(frozen=True)
class PairFigures:
    """One provider x customer pair over the period (``customer`` is ALL in a total, UNKNOWN_CUSTOMER if unknown)."""

    provider: str
    customer: str
    filed: int = 0
    resolved: int = 0
    open: int = 0
    oldest_open: OldestOpen | None = None
    first_response_met: int = 0
    first_response_breached: int = 0
    resolution_met: int = 0
    resolution_breached: int = 0
    median_first_response_minutes: float | None = None
    p90_first_response_minutes: float | None = None
    median_resolution_minutes: float | None = None
    p90_resolution_minutes: float | None = None
    waiting_on_requester_minutes: float = 0.0
    transfers_in: int = 0
    transfers_out: int = 0
    reopens: int = 0
    rating_average: float | None = None
    rating_count: int = 0
    request_rating_average: float | None = None
    request_rating_count: int = 0
    customer_response_met: int = 0  # the requesters' answers owed while requests waited on them
    customer_response_breached: int = 0

    @property
    def first_response_attainment(self) -> float | None:
        return attainment(self.first_response_met, self.first_response_breached)

    @property
    def resolution_attainment(self) -> float | None:
        return attainment(self.resolution_met, self.resolution_breached)

    @property
    def customer_response_attainment(self) -> float | None:
        return attainment(self.customer_response_met, self.customer_response_breached)

    @property
    def transfers(self) -> int:
        return self.transfers_in + self.transfers_out

    def row(self) -> dict[str, Any]:
        """The CSV's and JSON's row: COLUMNS in order; None where nothing counts."""
        return {column: getattr(self, column) for column in COLUMNS}


@dataclass(frozen=True)
class Week:
    """One week of the trend: requests filed, and the targets that fell in it.

    ``filed_by`` splits ``filed`` by the other side: by customer in one provider's report, else by provider.
    """

    start: date
    filed: int = 0
    filed_by: Mapping[str, int] = field(default_factory=dict)
    first_response_met: int = 0
    first_response_breached: int = 0
    resolution_met: int = 0
    resolution_breached: int = 0

    @property
    def first_response_attainment(self) -> float | None:
        return attainment(self.first_response_met, self.first_response_breached)

    @property
    def resolution_attainment(self) -> float | None:
        return attainment(self.resolution_met, self.resolution_breached)


@dataclass(frozen=True)
class Report:
    """A report as asked: for one provider (or all), optionally one customer, over a period."""

    period: Period
    pairs: Sequence[PairFigures]
    total: PairFigures
    trend: Sequence[Week] = ()
    provider: str | None = None
    customer: str | None = None
    names: Mapping[str, str] = field(default_factory=dict)  # department id -> name
    attainment_goal: float = DEFAULT_ATTAINMENT_GOAL  # the share of targets to meet, drawn on the charts

    @property
    def split_by(self) -> str:
        """What ``Week.filed_by`` is keyed by: the customers of one provider, or the providers."""
        return "customer" if self.provider else "provider"

    def name(self, department: str) -> str:
        if department == UNKNOWN_CUSTOMER:
            return "Unknown department"
        if department == ALL:
            return "All departments"
        return self.names.get(department, department)
