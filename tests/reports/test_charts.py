"""The report's chart: a 1200 x 800 PNG with requests per week and the targets met, steady colours per department.

Each chart type is compared with its image in ``reference/`` loosely (the mean difference of 20 x 20 pixel blocks),
so type drawn a little differently on another machine passes and a missing panel or line does not. After a wanted
change to the charts: ``INHOUSE_UPDATE_REFERENCE_IMAGES=1 .venv/bin/pytest tests/reports/test_charts.py``.
"""

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from pathlib import Path

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from numpy.typing import NDArray
from PIL import Image

from bot.reports.charts import OTHERS, UNLISTED, department_colour, report_chart, report_figure
from bot.reports.figures import ALL, UNKNOWN_CUSTOMER, PairFigures, Period, Report, Week

REFERENCE = Path(__file__).parent / "reference"
BLOCK = 20  # pixels a side of the blocks compared
TOLERANCE = 0.02  # mean difference of the blocks' grey, 0..1: a type size 1 pt off is ~0.01, a missing panel 0.05

ORG = {"it": "IT Support", "sales": "Sales", "hr": "People", "fin": "Finance", "legal": "Legal"}
MANY = {f"d{number:02}": f"Department {number}" for number in range(20)}
FIRST_WEEK = date(2026, 9, 7)
PERIOD = Period(datetime(2026, 9, 7, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC), "7 Sep to 29 Nov 2026")


def make_week(
    number: int, filed_by: dict[str, int], first_response: tuple[int, int], resolution: tuple[int, int]
) -> Week:
    return Week(
        FIRST_WEEK + timedelta(weeks=number),
        sum(filed_by.values()),
        filed_by,
        *first_response,
        *resolution,
    )


def make_report(trend: list[Week], provider: str | None = "it", names: dict[str, str] = ORG) -> Report:
    return Report(PERIOD, [], PairFigures(provider or ALL, ALL), trend, provider=provider, names=names)


def it_support() -> Report:
    """IT's customers over 12 weeks; in week 4 no first response target fell."""
    return make_report(
        [
            make_week(
                number,
                {"sales": 5 + number % 4, "hr": number % 3, UNKNOWN_CUSTOMER: 1 if number % 5 == 0 else 0},
                (0, 0) if number == 4 else (8 + number % 3, number % 4),
                (5 + number % 5, 2 - number % 3),
            )
            for number in range(12)
        ]
    )


def every_provider() -> Report:
    """Twenty providers, each busier than the one before."""
    return make_report(
        [
            make_week(number, {d: 1 + i + number % 2 for i, d in enumerate(MANY)}, (9, 1), (7, 3))
            for number in range(12)
        ],
        provider=None,
        names=MANY,
    )


def quiet() -> Report:
    return make_report([Week(FIRST_WEEK + timedelta(weeks=number)) for number in range(12)])


CHARTS = {"it_support": it_support, "every_provider": every_provider, "quiet": quiet}


def grey(png: bytes) -> NDArray[np.float64]:
    image = Image.open(BytesIO(png))
    return np.asarray(image.convert("L"), dtype=np.float64) / 255


def blocks(pixels: NDArray[np.float64]) -> NDArray[np.float64]:
    rows, columns = pixels.shape
    means: NDArray[np.float64] = pixels.reshape(rows // BLOCK, BLOCK, columns // BLOCK, BLOCK).mean(axis=(1, 3))
    return means


# A chart's figure holds three axes: the requests, the targets, and the column of legends beside them.


def stacks(figure: Figure) -> list[BarContainer]:
    """The requests' bars, one stack layer per department, from the bottom."""
    return [container for container in figure.axes[0].containers if isinstance(container, BarContainer)]


def target_lines(figure: Figure) -> dict[str, list[float]]:
    lines = figure.axes[1].get_lines()
    return {str(line.get_label()): np.asarray(line.get_ydata(), dtype=np.float64).tolist() for line in lines}


def departments_listed(figure: Figure) -> list[str]:
    legend = figure.axes[2].get_legend()
    return [] if legend is None else [text.get_text() for text in legend.get_texts()]


def targets_listed(figure: Figure) -> list[str]:
    (legend,) = [artist for artist in figure.axes[2].artists if isinstance(artist, Legend)]
    return [text.get_text() for text in legend.get_texts()]


def bar_colours(report: Report) -> dict[str, tuple[float, float, float, float]]:
    """The colour of each department's bars, by its name."""
    return {
        str(stack.get_label()): to_rgba(stack.patches[0].get_facecolor()) for stack in stacks(report_figure(report))
    }


@pytest.mark.parametrize("name", CHARTS)
def test_a_chart_is_a_1200_by_800_png(name: str) -> None:
    image = Image.open(BytesIO(report_chart(CHARTS[name]())))
    assert (image.format, image.size) == ("PNG", (1200, 800))
    image.verify()


@pytest.mark.parametrize("name", CHARTS)
def test_a_chart_looks_like_its_reference(name: str) -> None:
    png = report_chart(CHARTS[name]())
    reference = REFERENCE / f"{name}.png"
    if os.environ.get("INHOUSE_UPDATE_REFERENCE_IMAGES"):
        reference.write_bytes(png)
    difference = np.abs(blocks(grey(png)) - blocks(grey(reference.read_bytes()))).mean()
    assert difference < TOLERANCE


def test_the_title_says_whose_what_and_which_weeks_and_the_axes_their_units() -> None:
    figure = report_figure(it_support())
    assert figure.get_suptitle() == (
        "IT Support: requests filed and targets met\nweeks of 7 Sep \N{EN DASH} 23 Nov 2026"
    )
    bars, targets = figure.axes[:2]
    assert (bars.get_ylabel(), targets.get_ylabel(), targets.get_xlabel()) == (
        "requests per week",
        "targets met (%)",
        "week starting",
    )
    assert targets.get_ylim() == (0, 100)


def test_each_week_is_labelled_by_its_first_day_and_the_month_under_its_first_week() -> None:
    def labels(report: Report) -> list[str]:
        return [label.get_text() for label in report_figure(report).axes[1].get_xticklabels()]

    assert labels(it_support()) == ["7\nSep", "14", "21", "28", "5\nOct", "12", "19", "26", "2\nNov", "9", "16", "23"]
    week = make_week(0, {"sales": 1}, (1, 0), (1, 0))
    new_year = [replace(week, start=date(2025, 12, 29) + timedelta(weeks=number)) for number in range(3)]
    assert labels(make_report(new_year)) == ["29", "5\nJan", "12"]  # no "Dec" beside "Jan"


def test_requests_are_stacked_by_customer_busiest_first_and_listed_as_stacked() -> None:
    figure = report_figure(it_support())
    assert [str(stack.get_label()) for stack in stacks(figure)] == ["Sales", "People", "Unknown department"]
    assert departments_listed(figure) == ["Unknown department", "People", "Sales"]
    assert [patch.get_height() for patch in stacks(figure)[0].patches][:4] == [5, 6, 7, 8]


def test_attainment_is_in_percent_and_a_week_without_a_target_is_a_gap() -> None:
    lines = target_lines(report_figure(it_support()))
    first_response = lines["first response"]
    assert first_response[:3] == [100.0, 90.0, pytest.approx(1000 / 12)]
    assert math.isnan(first_response[4])
    assert not any(math.isnan(value) for value in lines["resolution"])


@pytest.mark.parametrize(("goal", "label"), [(0.9, "goal 90 %"), (0.95, "goal 95 %"), (0.875, "goal 87.5 %")])
def test_the_goal_is_a_labelled_reference_line(goal: float, label: str) -> None:
    figure = report_figure(replace(it_support(), attainment_goal=goal))
    assert target_lines(figure)[label] == [pytest.approx(goal * 100)] * 2
    assert targets_listed(figure) == ["first response", "resolution", label]


def test_past_twelve_departments_the_quietest_are_summed_as_others() -> None:
    figure = report_figure(every_provider())
    assert departments_listed(figure) == ["Others", *(f"Department {number}" for number in range(9, 20))]
    others = stacks(figure)[-1]
    assert others.patches[0].get_height() == sum(1 + i for i in range(9))  # d00 to d08, in week 0
    assert others.patches[0].get_facecolor() == to_rgba(OTHERS)


def test_a_period_without_requests_says_so_instead_of_drawing_empty_panels() -> None:
    figure = report_figure(quiet())
    assert "No requests in this period" in [text.get_text() for text in figure.texts]
    assert figure.axes == []


def test_a_department_keeps_its_colour_from_chart_to_chart() -> None:
    as_customer = bar_colours(it_support())["Sales"]
    sales_as_provider = make_report([make_week(0, {"sales": 2, "legal": 1}, (1, 0), (1, 0))], provider=None)
    assert bar_colours(sales_as_provider)["Sales"] == as_customer == to_rgba(department_colour("sales", ORG))


def test_colours_follow_the_sorted_ids_of_the_whole_org_whatever_their_order() -> None:
    colours = {department: department_colour(department, ORG) for department in ORG}
    assert colours == {department: department_colour(department, reversed(list(ORG))) for department in ORG}
    assert [colours[department] for department in sorted(ORG)] == [
        "#1f77b4",
        "#ff7f0e",
        "#2ca02c",
        "#d62728",
        "#9467bd",
    ]
    assert department_colour(UNKNOWN_CUSTOMER, ORG) == UNLISTED


def test_charts_drawn_in_threads_at_once_are_those_drawn_one_by_one() -> None:
    reports = [factory() for factory in CHARTS.values()] * 2
    with ThreadPoolExecutor(max_workers=len(reports)) as pool:
        at_once = list(pool.map(report_chart, reports))
    assert at_once == [report_chart(report) for report in reports]
