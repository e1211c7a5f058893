"""The map as JSON (issue 13's shape), as text for a terminal, and as Graphviz DOT."""

import json

from bot.relationships.figures import Edge, RelationshipMap
from bot.relationships.findings import health
from bot.reports.text import ARROW, DASH, clip, percent

# An edge's colour by its most urgent finding; the picture, the DOT and the legend share them.
HEALTH_COLOURS = {
    None: "#2e7d32",  # nothing to act on
    "strained": "#c62828",
    "no_agreement": "#ef8f00",
    "one_sided": "#ef8f00",
    "undeclared": "#ef8f00",
    "no_traffic": "#9e9e9e",  # drawn dashed: nothing flows through Inhouse
}
HEALTH_LABELS = {
    None: "healthy",
    "strained": "strained",
    "no_agreement": "no agreement, one-sided or undeclared",
    "no_traffic": "declared, no requests",
}


def as_json(relationships: RelationshipMap) -> str:
    return json.dumps(relationships.as_json(), indent=2, ensure_ascii=False) + "\n"


def _share(value: float | None) -> str:
    return percent(value) if value is not None else DASH


def _edge_line(relationships: RelationshipMap, edge: Edge) -> str:
    pair = f"{clip(relationships.name(edge.provider))} {ARROW} {clip(relationships.name(edge.customer))}"
    rating = f"{edge.rating_average:.1f}" if edge.rating_average is not None else DASH
    cells = [
        f"{pair:<39}",
        f"{edge.requests:>8}",
        f"{_share(edge.first_response_attainment):>6}",
        f"{_share(edge.resolution_attainment):>6}",
        f"{rating:>6}",
        f"{_share(edge.declared_by_provider):>6}",
        f"{_share(edge.declared_by_customer):>6}",
        f"{'yes' if edge.agreement else 'no':>9}",
    ]
    return "  ".join(cells)


def as_text(relationships: RelationshipMap) -> str:
    start, end = relationships.start.date(), relationships.end.date()
    declared = (
        f"declared in the check-up closed {relationships.checkup_closed:%Y-%m-%d}"
        if relationships.checkup_closed is not None
        else "no check-up has closed yet"
    )
    lines = [f"Relationship map: requests of the last {relationships.days} days ({start} to {end}); {declared}", ""]
    head = ["provider → customer".ljust(39), "requests", "first".rjust(6), "resol.".rjust(6), "rating", "by P".rjust(6)]
    lines.append("  ".join([*head, "by C".rjust(6), "agreement"]))
    lines += [_edge_line(relationships, edge) for edge in relationships.edges]
    if not relationships.edges:
        lines.append("No requests between departments, and nothing declared.")
    lines += ["", f"Findings ({len(relationships.findings)})"]
    for finding in relationships.findings:
        pair = f"{relationships.name(finding.provider)} {ARROW} {relationships.name(finding.customer)}"
        lines.append(f"- {finding.kind}: {pair}: {finding.reason}")
        for text in (finding.proposal or {}).values():
            if isinstance(text, str) and "\n" in text:
                lines += [f"    {line}" for line in text.rstrip().splitlines()]
    lines += [
        "",
        "first, resol.: targets met (first response, resolution); rating: by the customer, of 5;",
        "by P, by C: the share of the provider's people saying the customer depends on them, and of the customer's",
        f"people saying they depend on the provider ({DASH}: nobody answered).",
        "",
    ]
    return "\n".join(lines)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def as_dot(relationships: RelationshipMap) -> str:
    """Graphviz DOT: a node per department (its people), an edge per pair (its requests, coloured by health)."""
    lines = ["digraph relationships {", "  rankdir=LR;", '  node [shape=ellipse, fontname="Helvetica"];']
    for department in relationships.departments:
        label = _quoted(department.name)[:-1] + f'\\n{department.people} people"'
        lines.append(f"  {_quoted(department.id)} [label={label}];")
    widest = max((edge.requests for edge in relationships.edges), default=0) or 1
    for edge in relationships.edges:
        kind = health(edge, relationships.findings)
        style = ', style="dashed"' if kind == "no_traffic" else ""
        attributes = (
            f'label="{edge.requests}", color="{HEALTH_COLOURS[kind]}", '
            f"penwidth={1 + 5 * edge.requests / widest:.1f}{style}"
        )
        lines.append(f"  {_quoted(edge.provider)} -> {_quoted(edge.customer)} [{attributes}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
