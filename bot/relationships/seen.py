"""Which findings a person is shown: those that concern their departments, judged without the ratings they may not
see (a ``feedback_private`` department's, for anyone but its managers and the admins, as in reports).

The picture is the same for everyone (it shows no rating); a pair strained only by a rating someone may not see is
red in it and not listed for them.
"""

from collections.abc import Sequence
from dataclasses import replace

from sqlmodel import Session

from bot.relationships.figures import Edge, Finding, RelationshipMap
from bot.relationships.findings import findings
from bot.reports import service as reports
from storage import directory


def departments_of(session: Session, user: str) -> list[str]:
    """The departments the person works in, else the one they told Inhouse they belong to."""
    staff = directory.staff_departments(session, user)
    home = directory.home_department(session, user)
    return staff or ([home] if home is not None else [])


def seen_by(session: Session, relationships: RelationshipMap, user: str, departments: Sequence[str]) -> list[Finding]:
    if relationships.context is None or not departments:
        return []
    viewer = reports.viewer(session, user)
    private = directory.private_departments(session)

    def hidden(department: str) -> bool:
        return department in private and not viewer.sees_ratings_of(department, private)

    def as_seen(edge: Edge) -> Edge:
        return replace(
            edge,
            rating_average=None if hidden(edge.provider) else edge.rating_average,
            request_rating_average=None if hidden(edge.customer) else edge.request_rating_average,
        )

    mine = frozenset(departments)
    edges = [as_seen(edge) for edge in relationships.edges if mine & {edge.provider, edge.customer}]
    return findings(edges, relationships.context)
