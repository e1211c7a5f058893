"""A report as fixed-width text for a terminal (``inhouse report``), readable at 120 columns.

Two tables with a line per pair and the total under them (requests and targets; times and ratings: all of it
on one line would take some 160 columns), then the oldest open request of each pair and what the marks mean.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.reports.figures import ALL, PairFigures, Report

DASH = "\N{EN DASH}"  # nothing counts, or too few people rated to show an average
RULE = "\N{BOX DRAWINGS LIGHT HORIZONTAL}"
ARROW = "\N{RIGHTWARDS ARROW}"
NAME_WIDTH = 18  # longer department names are cut, with an ellipsis
GAP = "  "

FOOTNOTE = (
    "Targets: the share met of those that fell in the period, with (met/breached).",
    "Times: business hours on the provider's calendar, pauses excluded; median / 90th percentile.",
    "Answers owed: by requesters while a request waited on them (customer_response), the share in time.",
    f"Ratings: average (people who rated); {DASH} where nothing counts, or fewer people rated than the anonymity",
    "minimum to show an average.",
)


def as_text(report: Report) -> str:
    lines = [f"Service report: {subject(report)} · {report.period.label}", ""]
    if not report.pairs:
        return "\n".join([*lines, "No requests in this period.", ""])
    lines += ["Requests and targets", *_table(report, _VOLUME), ""]
    lines += ["Times (business hours) and ratings", *_table(report, _TIMES), ""]
    lines += [*_oldest_open(report), "", *FOOTNOTE, ""]
    return "\n".join(lines)


def subject(report: Report) -> str:
    """Whose service: "IT Support", "IT Support for Sales", "All departments", "All departments for Sales"."""
    provider = report.name(report.provider or ALL)
    return f"{provider} for {report.name(report.customer)}" if report.customer else provider


def percent(share: float) -> str:
    """A share as a whole percent that never reads 100 % with a breach, nor 0 % with a target met."""
    value = min(max(round(share * 100), 1 if share > 0 else 0), 99 if share < 1 else 100)
    return f"{value}%"


def duration(minutes: float | None) -> str:
    """Minutes as "45m", "2h 15m", and whole hours from two days' worth ("52h")."""
    if minutes is None:
        return DASH
    if 0 < minutes < 0.5:
        return "<1m"
    hours, rest = divmod(round(minutes), 60)
    if not hours:
        return f"{rest}m"
    return f"{round(minutes / 60)}h" if hours >= 48 or not rest else f"{hours}h {rest}m"


def clip(name: str, width: int = NAME_WIDTH) -> str:
    """A department's name cut to ``width`` characters, with an ellipsis where cut."""
    return name if len(name) <= width else name[: width - 1] + "\N{HORIZONTAL ELLIPSIS}"


@dataclass(frozen=True)
class _Column:
    heading: tuple[str, str]
    cell: Callable[[PairFigures], str]
    numeric: bool = True  # right-aligned


def _table(report: Report, figures: Sequence[_Column]) -> list[str]:
    columns = (
        _Column(("", "Provider"), lambda pair: clip(report.name(pair.provider)), numeric=False),
        _Column(("", "Customer"), lambda pair: clip(report.name(pair.customer)), numeric=False),
        *figures,
    )
    headings = [[column.heading[0] for column in columns], [column.heading[1] for column in columns]]
    body = [[column.cell(pair) for column in columns] for pair in report.pairs]
    total = ["Total", "", *(column.cell(report.total) for column in figures)]
    widths = [max(map(len, cells)) for cells in zip(*headings, *body, total, strict=True)]

    def line(cells: Sequence[str]) -> str:
        aligned = (
            cell.rjust(width) if column.numeric else cell.ljust(width)
            for cell, width, column in zip(cells, widths, columns, strict=True)
        )
        return GAP.join(aligned).rstrip()

    rule = RULE * (sum(widths) + len(GAP) * (len(widths) - 1))
    return [*map(line, headings), rule, *map(line, body), rule, line(total)]


def _target(met: int, breached: int, share: float | None) -> str:
    return DASH if share is None else f"{percent(share)} ({met}/{breached})"


def _times(median: float | None, p90: float | None) -> str:
    return DASH if median is None else f"{duration(median)} / {duration(p90)}"


def _rating(average: float | None, count: int) -> str:
    if not count:
        return DASH
    return f"{DASH if average is None else f'{average:.2f}'} ({count})"


def _oldest_open(report: Report) -> list[str]:
    lines = [
        f"  {report.name(pair.provider)} {ARROW} {report.name(pair.customer)}: "
        f"#{pair.oldest_open.number} filed {pair.oldest_open.filed_at.date().isoformat()}"
        for pair in report.pairs
        if pair.oldest_open is not None
    ]
    return ["Oldest open request", *lines] if lines else ["Oldest open request: none open"]


_VOLUME = (
    _Column(("", "Filed"), lambda pair: str(pair.filed)),
    _Column(("", "Resolved"), lambda pair: str(pair.resolved)),
    _Column(("", "Open"), lambda pair: str(pair.open)),
    _Column(
        ("First response", "% met (met/br.)"),
        lambda p: _target(p.first_response_met, p.first_response_breached, p.first_response_attainment),
    ),
    _Column(
        ("Resolution", "% met (met/br.)"),
        lambda p: _target(p.resolution_met, p.resolution_breached, p.resolution_attainment),
    ),
    _Column(("Transfers", "in/out"), lambda pair: f"{pair.transfers_in}/{pair.transfers_out}"),
    _Column(("", "Reopens"), lambda pair: str(pair.reopens)),
)

_TIMES = (
    _Column(
        ("First response", "median / p90"),
        lambda pair: _times(pair.median_first_response_minutes, pair.p90_first_response_minutes),
    ),
    _Column(
        ("Resolution", "median / p90"),
        lambda pair: _times(pair.median_resolution_minutes, pair.p90_resolution_minutes),
    ),
    _Column(("Waiting on", "requester"), lambda pair: duration(pair.waiting_on_requester_minutes)),
    _Column(("Rated by", "requesters"), lambda pair: _rating(pair.rating_average, pair.rating_count)),
    _Column(("Rated by", "provider"), lambda pair: _rating(pair.request_rating_average, pair.request_rating_count)),
    _Column(
        ("Answers owed", "% met (met/br.)"),
        lambda p: _target(p.customer_response_met, p.customer_response_breached, p.customer_response_attainment),
    ),
)
