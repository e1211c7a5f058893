"""The map's picture draws what its JSON says (an arrow per edge, coloured by its health, a circle per department),
its DOT and text read the same edges, and its Slack text is escaped and within Slack's limits."""

from datetime import UTC, datetime
from io import BytesIO

from matplotlib.colors import to_hex
from matplotlib.image import imread
from matplotlib.patches import FancyArrowPatch

from bot.relationships.blocks import finding_text, map_message
from bot.relationships.chart import map_chart, map_figure
from bot.relationships.export import HEALTH_COLOURS, as_dot, as_text
from bot.relationships.figures import Context, Department, Edge, RelationshipMap
from bot.relationships.findings import findings, health
from tests.fakes import block_limits

HOSTILE = 'IT <!channel> & "co"'
EDGES = [
    Edge("it", "sales", requests=40, agreement=True, first_response_attainment=0.95),
    Edge("sales", "it", requests=3, agreement=False, p80_first_response_minutes=50, p80_resolution_minutes=500),
    Edge("hr", "sales", requests=0, declared_by_provider=0.8, declared_by_customer=0.9),
    Edge("it", "hr", requests=12, agreement=True, rating_average=2.0),
]


def drawn() -> RelationshipMap:
    names = {"it": HOSTILE, "sales": "Sales", "hr": "People & Culture"}
    context = Context(
        days=90,
        names=names,
        day_minutes=dict.fromkeys(names, 480),
        channels=dict.fromkeys(names, "C0X"),
        pair_retros=frozenset(),
        checkup=True,
    )
    departments = [Department("hr", names["hr"], 4), Department("it", HOSTILE, 12), Department("sales", "Sales", 2)]
    start, end = datetime(2026, 9, 1, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC)
    return RelationshipMap(start, end, 90, departments, EDGES, findings(EDGES, context), end, context)


def test_the_picture_has_an_arrow_per_edge_in_the_colour_of_its_health_and_a_circle_per_department() -> None:
    relationships = drawn()

    axes = map_figure(relationships).axes[0]

    arrows = [patch for patch in axes.patches if isinstance(patch, FancyArrowPatch)]
    assert len(arrows) == len(relationships.edges)
    by_width = sorted(relationships.edges, key=lambda e: e.requests)  # drawn thinnest first
    assert [to_hex(a.get_edgecolor()) for a in arrows] == [
        HEALTH_COLOURS[health(e, relationships.findings)] for e in by_width
    ]
    assert arrows[0].get_linestyle() == "--"  # the declared pair without requests
    assert len(axes.collections) == len(relationships.departments)
    legend = axes.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == [
        "healthy",
        "strained",
        "no agreement, one-sided or undeclared",
        "declared, no requests",
    ]


def test_the_picture_is_a_png_sized_for_slacks_preview() -> None:
    image = imread(BytesIO(map_chart(drawn())), format="png")

    assert image.shape[:2] == (1000, 1200)


def test_dot_and_text_list_the_same_edges() -> None:
    relationships = drawn()

    dot, text = as_dot(relationships), as_text(relationships)

    assert dot.count(" -> ") == len(relationships.edges)
    assert '"it" [label="IT <!channel> & \\"co\\"\\n12 people"];' in dot
    assert '"hr" -> "sales" [label="0", color="#9e9e9e", penwidth=1.0, style="dashed"];' in dot
    assert "Findings (3)" in text
    assert '\n- no_agreement: Sales → IT <!channel> & "co": 3 requests in the last 90 days' in text


def test_findings_in_slack_are_escaped_and_fit() -> None:
    relationships = drawn()

    message = map_message(relationships, "F0MAP", relationships.findings, ["it"]).as_kwargs()

    assert block_limits.message_errors(message["blocks"]) == []
    texts = [finding_text(relationships, finding) for finding in relationships.findings]
    assert all("<!channel>" not in text for text in texts)
    assert any('IT &lt;!channel&gt; &amp; "co"' in text for text in texts)
