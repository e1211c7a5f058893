"""The map as a picture (PNG) for Slack and ``inhouse map --format png``: a node per department, sized by its people
and coloured as in every report's chart, an arrow provider -> customer per edge, as wide as its requests and
coloured by its health (its most urgent finding).

networkx lays the graph out (a spring layout, heavier edges pulling their departments closer, seeded: the same org
gives the same picture); matplotlib draws it on a bare ``Figure`` (Agg, no pyplot: safe in worker threads, as
``bot.reports.charts``). 1200 x 1000 pixels with large type, to read in Slack's preview.
"""

import math
from io import BytesIO

import networkx as nx
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from bot.relationships.export import HEALTH_COLOURS, HEALTH_LABELS
from bot.relationships.figures import RelationshipMap
from bot.relationships.findings import health
from bot.reports.charts import department_colour
from bot.reports.text import clip

WIDTH, HEIGHT, DPI = 12, 10, 100
TITLE_SIZE, LABEL_SIZE, LEGEND_SIZE = 24, 15, 15
NODE_AREA = (500, 3000)  # points², the smallest department and the largest
EDGE_WIDTH = (1.5, 10.0)  # points, from no requests to the most (by square root: the middle stays visible)
LABEL_WIDTH = 16
SEED = 13
MIN_GAP = 0.19  # the least distance between two departments, as a share of the picture's width


def map_chart(relationships: RelationshipMap) -> bytes:
    buffer = BytesIO()
    map_figure(relationships).savefig(buffer, format="png")
    return buffer.getvalue()


def map_figure(relationships: RelationshipMap) -> Figure:
    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI, layout="constrained")
    figure.suptitle(_title(relationships), fontsize=TITLE_SIZE, fontweight="bold")
    axes = figure.add_subplot()
    axes.axis("off")
    if not relationships.departments:
        axes.text(0.5, 0.5, "No departments yet", ha="center", va="center", fontsize=TITLE_SIZE)
        return figure
    positions = _layout(relationships)
    areas = _areas(relationships)
    _draw_edges(axes, relationships, positions, areas)
    _draw_nodes(axes, relationships, positions, areas)
    _legend(axes, relationships)
    axes.margins(0.12)
    return figure


def _title(relationships: RelationshipMap) -> str:
    declared = (
        f"check-up of {relationships.checkup_closed:%d %b %Y}"
        if relationships.checkup_closed is not None
        else "no check-up yet"
    )
    return f"Who serves whom\nrequests of the last {relationships.days} days, {declared}"


def _layout(relationships: RelationshipMap) -> dict[str, tuple[float, float]]:
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(d.id for d in relationships.departments)
    for edge in relationships.edges:
        weight = 1 + math.log1p(edge.requests)
        if graph.has_edge(edge.provider, edge.customer):
            weight += graph[edge.provider][edge.customer]["weight"]
        graph.add_edge(edge.provider, edge.customer, weight=weight)
    spacing = 4 / math.sqrt(max(graph.number_of_nodes(), 1))
    start = nx.circular_layout(graph)  # from a circle, the spring keeps the departments apart
    layout = nx.spring_layout(graph, k=spacing, pos=start, weight="weight", seed=SEED, iterations=100)
    return _apart({node: (float(x), float(y)) for node, (x, y) in layout.items()})


def _apart(positions: dict[str, tuple[float, float]], rounds: int = 60) -> dict[str, tuple[float, float]]:
    """Departments the spring left too close (their circles and names would overlap) pushed apart, a little a round."""
    nodes = sorted(positions)
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    gap = MIN_GAP * max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    moved = dict(positions)
    for _ in range(rounds):
        pushed = False
        for index, one in enumerate(nodes):
            for other in nodes[index + 1 :]:
                (x1, y1), (x2, y2) = moved[one], moved[other]
                distance = math.hypot(x2 - x1, y2 - y1)
                if distance >= gap:
                    continue
                pushed = True
                dx, dy = ((x2 - x1) / distance, (y2 - y1) / distance) if distance else (1.0, 0.0)
                step = (gap - distance) / 2
                moved[one], moved[other] = (x1 - dx * step, y1 - dy * step), (x2 + dx * step, y2 + dy * step)
        if not pushed:
            break
    return moved


def _scaled(value: float, most: float, bounds: tuple[float, float]) -> float:
    low, high = bounds
    return low + (high - low) * (value / most if most else 0.0)


def _areas(relationships: RelationshipMap) -> dict[str, float]:
    most = max(d.people for d in relationships.departments)
    return {d.id: _scaled(d.people, most, NODE_AREA) for d in relationships.departments}


def _draw_nodes(
    axes: Axes, relationships: RelationshipMap, positions: dict[str, tuple[float, float]], areas: dict[str, float]
) -> None:
    ids = [d.id for d in relationships.departments]
    for department in relationships.departments:
        x, y = positions[department.id]
        colour = department_colour(department.id, ids)
        axes.scatter([x], [y], s=areas[department.id], color=colour, edgecolors="white", linewidths=2, zorder=3)
        label = f"{clip(department.name, LABEL_WIDTH)}\n{department.people} people"
        axes.annotate(
            label,
            (x, y),
            xytext=(0, -math.sqrt(areas[department.id]) / 2 - 4),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=LABEL_SIZE,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.75},
            zorder=4,
        )


def _draw_edges(
    axes: Axes, relationships: RelationshipMap, positions: dict[str, tuple[float, float]], areas: dict[str, float]
) -> None:
    most = max((edge.requests for edge in relationships.edges), default=0)
    for edge in sorted(relationships.edges, key=lambda e: e.requests):
        kind = health(edge, relationships.findings)
        arrow = FancyArrowPatch(
            positions[edge.provider],
            positions[edge.customer],
            arrowstyle="-|>",
            mutation_scale=22,
            connectionstyle="arc3,rad=0.15",  # both directions of a pair stay apart
            linewidth=_scaled(math.sqrt(edge.requests), math.sqrt(most), EDGE_WIDTH),
            linestyle="--" if kind == "no_traffic" else "-",
            color=HEALTH_COLOURS[kind],
            alpha=0.85,
            shrinkA=math.sqrt(areas[edge.provider]) / 2 + 2,
            shrinkB=math.sqrt(areas[edge.customer]) / 2 + 2,
            zorder=2,
        )
        axes.add_patch(arrow)


def _legend(axes: Axes, relationships: RelationshipMap) -> None:
    shown = {health(edge, relationships.findings) for edge in relationships.edges}
    shown = {"no_agreement" if kind in ("one_sided", "undeclared") else kind for kind in shown}
    handles = [
        Line2D([], [], color=HEALTH_COLOURS[kind], linewidth=4, linestyle="--" if kind == "no_traffic" else "-")
        for kind in HEALTH_LABELS
        if kind in shown
    ]
    labels = [label for kind, label in HEALTH_LABELS.items() if kind in shown]
    title = "arrow: provider → customer, as wide as its requests\ncircle: a department, as big as its people"
    axes.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.01),
        ncols=min(2, max(1, len(handles))),
        fontsize=LEGEND_SIZE,
        title=title,
        title_fontsize=LEGEND_SIZE - 2,
        frameon=False,
    )
