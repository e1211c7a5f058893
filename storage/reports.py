"""The report's figures, aggregated in SQL: GROUP BY over indexed columns, never rows loaded into Python.

Each query groups by (provider, customer) for the pairs, or by nothing for the total of the same scope. The
customer is the requester's department, "unknown" when Inhouse does not know it. Percentiles are nearest-rank
(``storage/percentiles.py``). The indexes they walk (storage/models.py) hold every column a query reads, so a
report reads the index entries of its period and nothing else.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, TextClause, and_, case, func, literal, or_, select, text, union_all
from sqlmodel import Session, col

from storage import percentiles
from storage.feedback_models import Rating
from storage.models import OPEN_REQUEST, Request, RequestEvent, SlaOutcome

UNKNOWN = "unknown"
RESOLVED = "resolved"
TIMED = ("first_response", "resolution")  # the metrics whose times a report shows
CUSTOMER_RATES = "customer_to_provider"  # bot.domain.feedback.Direction's values
PROVIDER_RATES = "provider_to_customer"

Pair = tuple[str, str]  # (provider, customer); ("*", "*") for a total
Figures = dict[str, float | None]  # a pair's figures by name (None: nothing to say)


@dataclass(frozen=True)
class Scope:
    """Which requests count: one provider or all, one customer or all, over [start, end)."""

    start: datetime
    end: datetime
    provider: str | None = None
    customer: str | None = None  # a department id, or UNKNOWN


def _customer(column: Any) -> ColumnElement[str]:
    return func.coalesce(column, literal(UNKNOWN))


def _match_customer(column: Any, customer: str | None) -> list[ColumnElement[bool]]:
    if customer is None:
        return []
    return [column.is_(None)] if customer == UNKNOWN else [column == customer]


def _grouped(query: Any, provider: Any, customer: Any, by_pair: bool) -> Any:
    """Select and group by (provider, customer), or by nothing (the total, labelled "*")."""
    if by_pair:  # grouped by the columns themselves, so that an index in their order spares SQLite a sort
        return query.add_columns(provider.label("provider"), _customer(customer).label("customer")).group_by(
            provider, customer
        )
    return query.add_columns(literal("*").label("provider"), literal("*").label("customer"))


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


def events(session: Session, scope: Scope, *, by_pair: bool) -> dict[Pair, Figures]:
    """filed, resolved, reopens, transfers_out and waiting minutes, from the events of the provider in charge."""
    kind = col(RequestEvent.kind)
    query = select(
        _count(kind == "created").label("filed"),
        _count(kind == "resolved").label("resolved"),
        _count(kind == "reopened").label("reopens"),
        _count(kind == "transferred").label("transfers_out"),
        func.coalesce(func.sum(col(RequestEvent.waited_minutes)), 0.0).label("waiting_on_requester_minutes"),
    ).where(col(RequestEvent.at) >= scope.start, col(RequestEvent.at) < scope.end)
    if scope.provider is not None:
        query = query.where(col(RequestEvent.department_id) == scope.provider)
    query = query.where(*_match_customer(col(RequestEvent.customer_id), scope.customer))
    query = _grouped(query, col(RequestEvent.department_id), col(RequestEvent.customer_id), by_pair)
    return _by_pair(session, query, ("filed", "resolved", "reopens", "transfers_out", "waiting_on_requester_minutes"))


def transfers_in(session: Session, scope: Scope, *, by_pair: bool) -> dict[Pair, Figures]:
    query = select(func.count().label("transfers_in")).where(
        col(RequestEvent.kind) == "transferred", col(RequestEvent.at) >= scope.start, col(RequestEvent.at) < scope.end
    )
    if scope.provider is not None:
        query = query.where(col(RequestEvent.provider_id) == scope.provider)
    query = query.where(*_match_customer(col(RequestEvent.customer_id), scope.customer))
    query = _grouped(query, col(RequestEvent.provider_id), col(RequestEvent.customer_id), by_pair)
    return _by_pair(session, query, ("transfers_in",))


def _outcome_filters(scope: Scope, at: Any) -> list[ColumnElement[bool]]:
    conditions = [at >= scope.start, at < scope.end, *_match_customer(col(SlaOutcome.customer_id), scope.customer)]
    if scope.provider is not None:
        conditions.append(col(SlaOutcome.provider_id) == scope.provider)
    return conditions


def targets(session: Session, scope: Scope, *, by_pair: bool) -> dict[Pair, Figures]:
    """Targets met and breached in the period: a target met counts when it was met, a breach when it was due.
    The customer's side too: requesters' answers owed while a request waited on them (``customer_response``)."""
    metric, outcome = col(SlaOutcome.metric), col(SlaOutcome.outcome)
    names = []
    columns = []
    for name in ("first_response", "resolution", "customer_response"):
        for result in ("met", "breached"):
            names.append(f"{name}_{result}")
            columns.append(_count(and_(metric == name, outcome == result)).label(f"{name}_{result}"))
    query = select(*columns).where(*_outcome_filters(scope, col(SlaOutcome.decided_at)))
    query = _grouped(query, col(SlaOutcome.provider_id), col(SlaOutcome.customer_id), by_pair)
    return _by_pair(session, query, tuple(names))


def durations(session: Session, scope: Scope, *, by_pair: bool) -> dict[Pair, Figures]:
    """Median, 80th and 90th percentile business minutes of the first responses and resolutions done in the period:
    nearest rank, in SQL on both databases (``storage/percentiles.py``)."""
    minutes = col(SlaOutcome.minutes)
    groups: list[Any] = [col(SlaOutcome.provider_id), col(SlaOutcome.customer_id)] if by_pair else []
    keys: list[Any] = [literal("*").label("provider"), literal("*").label("customer")]
    if by_pair:
        keys = [col(SlaOutcome.provider_id).label("provider"), _customer(col(SlaOutcome.customer_id)).label("customer")]
    ranks = percentiles.columns(minutes, session.get_bind().dialect.name)
    query = select(*keys, col(SlaOutcome.metric), *ranks)
    query = query.where(*_outcome_filters(scope, col(SlaOutcome.done_at)), minutes.is_not(None))
    figures: dict[Pair, Figures] = {}
    for row in session.execute(query.group_by(*groups, col(SlaOutcome.metric))).mappings():
        if row["metric"] not in TIMED:  # left out here, not in SQL: SQLite then reads the pairs in index order
            continue
        pair = figures.setdefault((row["provider"], row["customer"]), {})
        pair.update({f"{name}_{row['metric']}_minutes": value for name, value in percentiles.read(row).items()})
    return figures


def open_at_end(session: Session, scope: Scope, now: datetime, *, by_pair: bool) -> dict[Pair, Figures]:
    """Requests filed before the end and not resolved by it, with their provider now; the lowest number.

    Two parts, each walking an index: those open now (``ix_request_open``, which holds only them) and, for an end
    in the past, those resolved since (``ix_request_provider_state``, or ``ix_request_resolved_at`` for all).
    """
    parts: list[ColumnElement[bool] | TextClause] = [text(OPEN_REQUEST)]  # as written: SQLite then uses the index
    matches = [
        col(Request.created_at) < scope.end,
        *_match_customer(col(Request.requester_department_id), scope.customer),
    ]
    if scope.provider is not None:
        matches.append(col(Request.provider_id) == scope.provider)
    if scope.end < now:  # resolved since the end: open then; unless resolved then too, and reopened since
        parts.append(and_(col(Request.state) == RESOLVED, col(Request.resolved_at) >= scope.end))
        matches.append(or_(col(Request.sla_cycle) == 0, ~_resolved_at(scope.end)))  # a reopen starts a new cycle
    request = select(col(Request.id), col(Request.provider_id), col(Request.requester_department_id))
    selects = [request.where(part, *matches) for part in parts]
    rows = (union_all(*selects) if len(selects) > 1 else selects[0]).subquery()
    query = select(func.count().label("open"), func.min(rows.c.id).label("oldest_open"))
    query = _grouped(query, rows.c.provider_id, rows.c.requester_department_id, by_pair)
    return _by_pair(session, query, ("open", "oldest_open"))


def _resolved_at(end: datetime) -> ColumnElement[bool]:
    """Whether the request was resolved at ``end``: its last resolution or reopening before then was a resolution."""
    last = (
        select(col(RequestEvent.kind))
        .where(col(RequestEvent.request_id) == col(Request.id), col(RequestEvent.at) < end)
        .where(col(RequestEvent.kind).in_(("resolved", "reopened")))
        .order_by(col(RequestEvent.id).desc())
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(last, "") == "resolved"


def filed_at(session: Session, numbers: Sequence[int]) -> dict[int, datetime]:
    """When each of ``numbers`` was filed (the oldest open requests)."""
    if not numbers:
        return {}
    query = select(col(Request.id), col(Request.created_at)).where(col(Request.id).in_(list(numbers)))
    return {number: created for number, created in session.execute(query) if number is not None}


def ratings(
    session: Session, scope: Scope, direction: str, anonymity_min: int, *, by_pair: bool
) -> dict[Pair, Figures]:
    """Average score and count of one direction's ratings given in the period; the average only when at least
    ``anonymity_min`` different people gave them. A customer rates its provider; a provider rates its customer.
    """
    provider, customer = (
        (col(Rating.to_department_id), col(Rating.from_department_id))
        if direction == CUSTOMER_RATES
        else (col(Rating.from_department_id), col(Rating.to_department_id))
    )
    prefix = "rating" if direction == CUSTOMER_RATES else "request_rating"
    raters = func.count(func.distinct(col(Rating.rater_id)))
    query = select(
        case((raters >= anonymity_min, func.avg(col(Rating.score)))).label(f"{prefix}_average"),
        func.count(col(Rating.score)).label(f"{prefix}_count"),
    ).where(
        col(Rating.direction) == direction,
        col(Rating.score).is_not(None),
        col(Rating.rated_at) >= scope.start,
        col(Rating.rated_at) < scope.end,
    )
    if scope.provider is not None:
        query = query.where(provider == scope.provider)
    query = _grouped(query.where(*_match_customer(customer, scope.customer)), provider, customer, by_pair)
    return _by_pair(session, query, (f"{prefix}_average", f"{prefix}_count"))


def weekly(session: Session, scope: Scope, weeks: Sequence[datetime]) -> dict[int, dict[str, Any]]:
    """Per week (index into ``weeks``, their starts; the last ends at ``scope.end``): requests filed, split by
    the other side (customer for one provider, else provider), and the targets met and breached in it.

    Each is one statement, a SELECT per week joined by UNION ALL: each groups only its own week's rows, where
    grouping the whole span by a computed week had SQLite sort all of it.
    """
    ends = [*weeks[1:], scope.end]
    trend: dict[int, dict[str, Any]] = {i: {"filed_by": {}} for i in range(len(weeks))}
    side: Any = col(RequestEvent.customer_id) if scope.provider else col(RequestEvent.department_id)
    filed: list[Any] = []
    decided: list[Any] = []
    for i, (start, end) in enumerate(zip(weeks, ends, strict=True)):
        week = Scope(start, end, scope.provider, scope.customer)
        created = select(literal(i).label("week"), side.label("side"), func.count().label("count")).where(
            col(RequestEvent.kind) == "created", col(RequestEvent.at) >= start, col(RequestEvent.at) < end
        )
        if scope.provider is not None:
            created = created.where(col(RequestEvent.department_id) == scope.provider)
        filed.append(created.where(*_match_customer(col(RequestEvent.customer_id), scope.customer)).group_by(side))
        outcome = col(SlaOutcome.outcome)
        counted = select(literal(i).label("week"), col(SlaOutcome.metric), outcome, func.count().label("count"))
        counted = counted.where(*_outcome_filters(week, col(SlaOutcome.decided_at)), outcome.is_not(None))
        decided.append(counted.group_by(col(SlaOutcome.metric), outcome))
    for number, other, count in session.execute(union_all(*filed)):
        trend[number]["filed_by"][other or UNKNOWN] = count
    for number, metric, result, count in session.execute(union_all(*decided)):
        trend[number][f"{metric}_{result}"] = count
    return trend


def _by_pair(session: Session, query: Any, names: tuple[str, ...]) -> dict[Pair, Figures]:
    figures: dict[Pair, Figures] = {}
    for row in session.execute(query).mappings():
        figures[(str(row["provider"]), str(row["customer"]))] = {name: row[name] for name in names}
    return figures
