"""A report's chart, a PNG for Slack and ``--chart``: requests filed per week, and the targets met against the goal.

Drawn on a bare ``Figure`` (saved as PNG by Agg), never through pyplot: no global state, so charts can be drawn in
worker threads at once, and nothing keeps a figure once its PNG is made. Sized to read in Slack's preview (about a
third of its width): 1200 x 800 pixels, with large type.
"""

import math
from collections.abc import Iterable
from datetime import date
from io import BytesIO
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.ticker import MaxNLocator

from bot.reports.figures import Report, Week
from bot.reports.text import clip, subject

WIDTH, HEIGHT, DPI = 12, 8, 100  # inches and dots per inch: 1200 x 800 pixels
LEGEND_ENTRIES = 12  # the departments with the most requests; the rest are summed as "Others"
LABEL_WIDTH = 18  # characters of a department's name in the legend

# tab20 without its greys, the dark half (tab10) first: neighbours in the sorted ids get distinct hues.
PALETTE = (
    *("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf"),
    *("#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d", "#9edae5"),
)
UNLISTED = "#c7c7c7"  # a department the org does not know (UNKNOWN_CUSTOMER)
OTHERS = "#7f7f7f"
FIRST_RESPONSE, RESOLUTION, GOAL = "#1b1b1b", "#8a8a8a", "#4d4d4d"  # not departments: no palette colour
GRID = "#e0e0e0"

TITLE_SIZE, LABEL_SIZE, TICK_SIZE, LEGEND_SIZE = 24, 19, 17, 16


def department_colour(department_id: str, all_department_ids: Iterable[str]) -> str:
    """The department's colour, by the place of its id among all the org's: the same in every chart of an org."""
    ids = sorted(set(all_department_ids))
    return PALETTE[ids.index(department_id) % len(PALETTE)] if department_id in ids else UNLISTED


def report_chart(report: Report) -> bytes:
    """The report's chart as PNG."""
    buffer = BytesIO()
    report_figure(report).savefig(buffer, format="png")
    return buffer.getvalue()


def report_figure(report: Report) -> Figure:
    """Two panels over the trend's weeks: requests filed, stacked by the other side; targets met, with the goal."""
    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI, layout="constrained")
    figure.suptitle(_title(report), fontsize=TITLE_SIZE, fontweight="bold", wrap=True)
    if not any(week.filed or _targets_fell(week) for week in report.trend):
        figure.text(0.5, 0.5, "No requests in this period", ha="center", va="center", fontsize=TITLE_SIZE)
        return figure
    grid = figure.add_gridspec(2, 2, height_ratios=(1.2, 1), width_ratios=(2.7, 1))
    bars = figure.add_subplot(grid[0, 0])
    targets = figure.add_subplot(grid[1, 0], sharex=bars)
    _draw_requests(bars, report)
    _draw_targets(targets, report)
    _draw_key(figure.add_subplot(grid[:, 1]), bars, targets, report.split_by)
    for axes in (bars, targets):
        _tidy(axes)
    bars.tick_params(labelbottom=False)
    targets.set_xticks(range(len(report.trend)), _week_labels([week.start for week in report.trend]))
    targets.set_xlabel("week starting", fontsize=LABEL_SIZE)
    return figure


def _title(report: Report) -> str:
    if not report.trend:
        return f"{subject(report)}: requests filed and targets met\n{report.period.label}"
    first, last = report.trend[0].start, report.trend[-1].start
    since = _day(first) if first.year == last.year else f"{_day(first)} {first.year}"
    return f"{subject(report)}: requests filed and targets met\nweeks of {since} \N{EN DASH} {_day(last)} {last.year}"


def _day(day: date) -> str:
    return f"{day.day} {day:%b}"


def _week_labels(starts: list[date]) -> list[str]:
    """Each week's first day, with its month under the first week of a month, and under the first week shown
    unless the next month's label would stand beside it: "7\\nSep", "14", ..., "5\\nOct"."""
    return [
        f"{day.day}\n{day:%b}" if day.day <= 7 or (not number and day.day <= 21) else str(day.day)
        for number, day in enumerate(starts)
    ]


def _targets_fell(week: Week) -> bool:
    return week.first_response_attainment is not None or week.resolution_attainment is not None


def _draw_requests(axes: Axes, report: Report) -> None:
    """Stacked bars, the busiest department at the bottom."""
    series = _series(report)
    floor = [0] * len(report.trend)
    for label, colour, counts in series:
        axes.bar(range(len(counts)), counts, bottom=floor, color=colour, label=label, width=0.75)
        floor = [below + count for below, count in zip(floor, counts, strict=True)]
    axes.set_ylabel("requests per week", fontsize=LABEL_SIZE)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))


def _series(report: Report) -> list[tuple[str, str, list[int]]]:
    """(name, colour, requests per week) of each department, busiest first; past the legend's room, "Others"."""
    trend = report.trend
    totals: dict[str, int] = {}
    for week in trend:
        for department, count in week.filed_by.items():
            totals[department] = totals.get(department, 0) + count
    ranked = sorted(totals, key=lambda department: (-totals[department], department))
    shown = ranked if len(ranked) <= LEGEND_ENTRIES else ranked[: LEGEND_ENTRIES - 1]
    series = [
        (
            clip(report.name(department), LABEL_WIDTH),
            department_colour(department, report.names),
            [week.filed_by.get(department, 0) for week in trend],
        )
        for department in shown
    ]
    if rest := ranked[len(shown) :]:
        series.append(
            ("Others", OTHERS, [sum(week.filed_by.get(department, 0) for department in rest) for week in trend])
        )
    return series


def _draw_targets(axes: Axes, report: Report) -> None:
    """Attainment in percent; a week where no target fell is a gap in its line, not a zero."""
    weeks = range(len(report.trend))
    for label, colour, marker, shares in (
        ("first response", FIRST_RESPONSE, "o", [week.first_response_attainment for week in report.trend]),
        ("resolution", RESOLUTION, "s", [week.resolution_attainment for week in report.trend]),
    ):
        percents = [math.nan if share is None else share * 100 for share in shares]
        axes.plot(weeks, percents, color=colour, marker=marker, markersize=8, linewidth=2.5, label=label, clip_on=False)
    goal = report.attainment_goal * 100
    axes.axhline(goal, color=GOAL, linestyle="--", linewidth=1.5, label=f"goal {goal:g} %")
    axes.set_ylim(0, 100)
    axes.set_yticks(range(0, 101, 20))
    axes.set_ylabel("targets met (%)", fontsize=LABEL_SIZE)


def _draw_key(key: Axes, bars: Axes, targets: Axes, split_by: str) -> None:
    """The legends in a column of their own, beside the panels: many departments cover no bar.

    The departments' legend is the column's own, which the layout widens the column for; the targets' is shorter.
    """
    key.axis("off")
    style: dict[str, Any] = {"fontsize": LEGEND_SIZE, "title_fontsize": LEGEND_SIZE, "frameon": False}
    handles, labels = targets.get_legend_handles_labels()
    key.add_artist(Legend(key, handles, labels, loc="lower left", **style))
    handles, labels = bars.get_legend_handles_labels()
    if handles:  # listed top to bottom as stacked
        key.legend(handles[::-1], labels[::-1], loc="upper left", title=f"{split_by.capitalize()}s", **style)


def _tidy(axes: Axes) -> None:
    """No chart junk: no top or right frame, a light grid across only."""
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color=GRID, linewidth=1)
    axes.set_axisbelow(True)
    axes.tick_params(labelsize=TICK_SIZE)
