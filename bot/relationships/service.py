"""Build the map: the org's departments, an edge per provider -> customer that had requests in the period or that
a side declared in the last check-up, and the findings.

The observed flow comes from the reports' own queries (``storage/reports.py``: requests filed, targets met and
breached, ratings both ways behind anonymity_min), grouped by pair over the whole org in one pass each, and the 80th
percentile times of the pairs no agreement covers; the declared side from the last closed check-up's shares
(``storage/checkups.py``).
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session

from bot.domain.calendars import BusinessCalendar
from bot.domain.checkups import COMPLAINTS, CUSTOMER, WE_DEPEND
from bot.domain.targets import working_minutes_a_day
from bot.relationships.figures import Context, Department, Edge, RelationshipMap
from bot.relationships.findings import DECLARED, findings
from bot.reports import service as reports
from bot.reports.figures import ALL, attainment
from storage import checkups, org_snapshot
from storage import feedback as feedback_store
from storage import reports as queries
from storage.org_snapshot import OrgSnapshot
from storage.reports import CUSTOMER_RATES, PROVIDER_RATES, Figures, Pair, Scope

DEFAULT_DAYS = 90
Declared = Mapping[tuple[str, str, str], float]  # (department, about, question) -> share


def build_map(session: Session, now: datetime, days: int = DEFAULT_DAYS) -> RelationshipMap:
    org = org_snapshot.current(session)
    period = reports.last_days(reports.org_zone(session), now, days)
    scope = Scope(period.start, period.end)
    flow = _flow(session, scope)
    closed = checkups.latest_closed(session)
    declared = _declared(session, closed.id) if closed is not None and closed.id is not None else {}
    active = sorted((d for d in org.departments.values() if d.active), key=lambda d: d.name.lower())
    ids = {d.id for d in active}
    pairs = {pair for pair, figures in flow.items() if figures.get("filed")} | _declared_pairs(declared)
    edges = [
        _edge(pair, flow.get(pair, {}), declared, org)
        for pair in sorted(pairs)
        if pair[0] in ids and pair[1] in ids and pair[0] != pair[1]
    ]
    edges = [_with_times(session, scope, edge) if edge.requests and not edge.agreement else edge for edge in edges]
    context = Context(
        days=days,
        names={d.id: d.name for d in org.departments.values()},
        day_minutes={d.id: _day_minutes(org, d.calendar_id) for d in active},
        channels={d.id: d.channel for d in active},
        pair_retros=checkups.scheduled_pairs(session),
        checkup=closed is not None,
    )
    people = _people(org)
    return RelationshipMap(
        start=period.start,
        end=period.end,
        days=days,
        departments=[Department(d.id, d.name, people.get(d.id, 0)) for d in active],
        edges=edges,
        findings=findings(edges, context),
        checkup_closed=closed.closed_at if closed is not None else None,
        context=context,
    )


def _flow(session: Session, scope: Scope) -> dict[Pair, Figures]:
    """Requests, targets and ratings of every pair, one grouped query each over the whole org."""
    anonymity_min = feedback_store.anonymity_min(session)
    parts = (
        queries.events(session, scope, by_pair=True),
        queries.targets(session, scope, by_pair=True),
        queries.ratings(session, scope, CUSTOMER_RATES, anonymity_min, by_pair=True),
        queries.ratings(session, scope, PROVIDER_RATES, anonymity_min, by_pair=True),
    )
    merged: dict[Pair, Figures] = {}
    for part in parts:
        for pair, values in part.items():
            merged.setdefault(pair, {}).update(values)
    return merged


def _with_times(session: Session, scope: Scope, edge: Edge) -> Edge:
    """The 80th percentile times of a pair no agreement covers, to propose targets from: asked only for those pairs
    (sorting every pair's times of the period is the dearest query of all, and a covered pair needs none)."""
    pair = Scope(scope.start, scope.end, provider=edge.provider, customer=edge.customer)
    times = _Number(queries.durations(session, pair, by_pair=False).get((ALL, ALL), {}))
    return replace(
        edge,
        p80_first_response_minutes=times.value("p80_first_response_minutes"),
        p80_resolution_minutes=times.value("p80_resolution_minutes"),
    )


def _declared(session: Session, checkup_id: int) -> dict[tuple[str, str, str], float]:
    return checkups.shares(session, checkup_id, (CUSTOMER, WE_DEPEND.id, COMPLAINTS))


def _declared_pairs(declared: Declared) -> set[Pair]:
    """Provider -> customer pairs either side declared: "they depend on us" and "we depend on them"."""
    pairs = set()
    for (department, about, question), share in declared.items():
        if share >= DECLARED and question == CUSTOMER:
            pairs.add((department, about))
        elif share >= DECLARED and question == WE_DEPEND.id:
            pairs.add((about, department))
    return pairs


@dataclass(frozen=True)
class _Number:
    figures: Figures

    def count(self, name: str) -> int:
        return int(self.figures.get(name) or 0)

    def value(self, name: str) -> float | None:
        value = self.figures.get(name)
        return float(value) if value is not None else None


def _edge(pair: Pair, figures: Figures, declared: Declared, org: OrgSnapshot) -> Edge:
    provider, customer = pair
    n = _Number(figures)
    return Edge(
        provider=provider,
        customer=customer,
        requests=n.count("filed"),
        first_response_attainment=attainment(n.count("first_response_met"), n.count("first_response_breached")),
        resolution_attainment=attainment(n.count("resolution_met"), n.count("resolution_breached")),
        rating_average=n.value("rating_average"),
        request_rating_average=n.value("request_rating_average"),
        declared_by_provider=declared.get((provider, customer, CUSTOMER)),
        declared_by_customer=declared.get((customer, provider, WE_DEPEND.id)),
        complaints=declared.get((provider, customer, COMPLAINTS)),
        agreement=any(terms.customer in (customer, "*") for terms in org.agreements.get(provider, ())),
    )


def _day_minutes(org: OrgSnapshot, calendar_id: str) -> int:
    spec = org.calendar_spec(calendar_id)
    assert spec is not None  # the org file names every department's calendar
    return working_minutes_a_day(BusinessCalendar.from_dict(spec).shifts)


def _people(org: OrgSnapshot) -> dict[str, int]:
    counts: dict[str, int] = {}
    for departments in org.staff_departments.values():
        for department in departments:
            counts[department] = counts.get(department, 0) + 1
    return counts
