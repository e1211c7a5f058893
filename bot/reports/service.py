"""Build a report: the period in the org's time zone, the figures from SQL (``storage/reports.py``), one shape."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.reports.access import Viewer
from bot.reports.figures import ALL, DEFAULT_ATTAINMENT_GOAL, OldestOpen, PairFigures, Period, Report, Week
from storage import directory, org_snapshot
from storage import feedback as feedback_store
from storage import reports as queries
from storage.reports import CUSTOMER_RATES, PROVIDER_RATES, Figures, Pair, Scope

DEFAULT_DAYS = 30
TREND_WEEKS = 12


def viewer(session: Session, user: str) -> Viewer:
    """Who ``user`` is to reports: an admin (``[organization] admins``), and the departments they work in."""
    admins = org_snapshot.current(session).settings.get("admins") or ()
    return Viewer(
        user=user,
        admin=user in admins,
        staff_of=frozenset(directory.staff_departments(session, user)),
        manager_of=frozenset(directory.managed_by(session, user)),
    )


def org_zone(session: Session) -> ZoneInfo:
    return ZoneInfo(feedback_store.org_timezone(session))


def last_days(zone: ZoneInfo, now: datetime, days: int = DEFAULT_DAYS) -> Period:
    """The ``days`` days up to now: from midnight ``days - 1`` days ago (the org's time zone) until now."""
    today = now.astimezone(zone).date()
    return dates(zone, today - timedelta(days=days - 1), today, now=now)


def dates(zone: ZoneInfo, first: date, last: date, *, now: datetime | None = None) -> Period:
    """From the start of ``first`` to the end of ``last`` (days in the org's time zone), or to ``now`` if sooner."""
    start = datetime.combine(first, time(), zone)
    end = datetime.combine(last + timedelta(days=1), time(), zone)
    if now is not None and now < end:
        end = now
    label = f"{_day(first, year=first.year != last.year)} to {_day(last)}"
    return Period(start=start.astimezone(ZoneInfo("UTC")), end=end.astimezone(ZoneInfo("UTC")), label=label)


def quarter(zone: ZoneInfo, now: datetime) -> Period:
    """The quarter so far (calendar quarters, in the org's time zone)."""
    today = now.astimezone(zone).date()
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return dates(zone, first, today, now=now)


def month(zone: ZoneInfo, any_day: date, *, now: datetime | None = None) -> Period:
    """The calendar month of ``any_day`` (up to ``now`` if it is the current one)."""
    first = any_day.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return dates(zone, first, last, now=now)


def _day(day: date, *, year: bool = True) -> str:
    return f"{day.day} {day:%b}" + (f" {day.year}" if year else "")


def build(
    session: Session, period: Period, now: datetime, *, provider: str | None = None, customer: str | None = None
) -> Report:
    """The report of ``provider`` (all when None) for ``customer`` (all when None) over ``period``."""
    scope = Scope(period.start, period.end, provider, customer)
    pairs, total = _figures(session, scope, now, feedback_store.anonymity_min(session))
    org = org_snapshot.current(session)
    return Report(
        period=period,
        pairs=list(pairs.values()),
        total=total,
        trend=_trend(session, scope, org_zone(session)),
        provider=provider,
        customer=customer,
        names={department.id: department.name for department in org.departments.values()},
        attainment_goal=float(org.settings.get("attainment_goal", DEFAULT_ATTAINMENT_GOAL)),
    )


def glance(session: Session, period: Period, now: datetime, *, provider: str) -> PairFigures:
    """The totals App Home shows of a provider (requests, targets met, the backlog, the requesters' rating), from
    four of a report's queries: no pairs, percentiles or trend.
    """
    scope = Scope(period.start, period.end, provider)
    parts = [
        queries.events(session, scope, by_pair=False),
        queries.targets(session, scope, by_pair=False),
        queries.open_at_end(session, scope, now, by_pair=False),
        queries.ratings(session, scope, CUSTOMER_RATES, feedback_store.anonymity_min(session), by_pair=False),
    ]
    return _finished(session, _merged(parts)).get((ALL, ALL), PairFigures(ALL, ALL))


def _figures(
    session: Session, scope: Scope, now: datetime, anonymity_min: int
) -> tuple[dict[Pair, PairFigures], PairFigures]:
    """Every pair's figures and their total. Counts and minutes add up, so the total of those is the pairs'
    sum; the percentiles and the ratings (an average shows only when enough different people rated) are queried.
    """
    summed = [
        queries.events(session, scope, by_pair=True),
        queries.transfers_in(session, scope, by_pair=True),
        queries.targets(session, scope, by_pair=True),
        queries.open_at_end(session, scope, now, by_pair=True),
    ]
    pairs = _merged([*summed, *_not_summed(session, scope, anonymity_min, by_pair=True)])
    total = _merged([_sum(summed), *_not_summed(session, scope, anonymity_min, by_pair=False)])
    figures = _finished(session, {**pairs, **total})
    total_figures = figures.pop((ALL, ALL), PairFigures(ALL, ALL))
    return {pair: figures[pair] for pair in sorted(figures)}, total_figures


def _not_summed(session: Session, scope: Scope, anonymity_min: int, *, by_pair: bool) -> list[dict[Pair, Figures]]:
    return [
        queries.durations(session, scope, by_pair=by_pair),
        queries.ratings(session, scope, CUSTOMER_RATES, anonymity_min, by_pair=by_pair),
        queries.ratings(session, scope, PROVIDER_RATES, anonymity_min, by_pair=by_pair),
    ]


def _sum(parts: list[dict[Pair, Figures]]) -> dict[Pair, Figures]:
    """What the parts' queries grouped by nothing would give: each figure summed over the pairs, but the oldest open
    request, the lowest number."""
    total: Figures = {}
    for part in parts:
        for values in part.values():
            for name, value in values.items():
                before = total.get(name)
                if value is None:
                    continue  # nothing to add (no open request in the pair)
                if before is None:
                    total[name] = value
                elif name == "oldest_open":
                    total[name] = min(before, value)
                else:
                    total[name] = before + value
    return {(ALL, ALL): total}


def _merged(parts: Iterable[dict[Pair, Figures]]) -> dict[Pair, Figures]:
    merged: dict[Pair, Figures] = {}
    for part in parts:
        for pair, values in part.items():
            merged.setdefault(pair, {}).update(values)
    return merged


def _finished(session: Session, merged: dict[Pair, Figures]) -> dict[Pair, PairFigures]:
    """The pairs that have anything to show, with the oldest open request's filing time where the org is."""
    numbers = [int(values.get("oldest_open") or 0) for values in merged.values()]
    zone = org_zone(session)  # "filed on" is a day where the org is
    oldest = {n: at.astimezone(zone) for n, at in queries.filed_at(session, [n for n in numbers if n]).items()}
    return {pair: _pair(pair, values, oldest) for pair, values in merged.items() if _counts(values)}


def _counts(values: Figures) -> bool:
    """Whether a pair has anything to show (a query may return a group of zeros)."""
    return any(value for value in values.values())


def _pair(pair: Pair, values: Figures, oldest: Mapping[int, datetime]) -> PairFigures:
    def count(name: str) -> int:
        return int(values.get(name) or 0)

    def number(name: str) -> float | None:
        value = values.get(name)
        return float(value) if value is not None else None

    oldest_number = int(values.get("oldest_open") or 0)
    return PairFigures(
        provider=pair[0],
        customer=pair[1],
        filed=count("filed"),
        resolved=count("resolved"),
        open=count("open"),
        oldest_open=OldestOpen(oldest_number, oldest[oldest_number]) if oldest_number else None,
        first_response_met=count("first_response_met"),
        first_response_breached=count("first_response_breached"),
        resolution_met=count("resolution_met"),
        resolution_breached=count("resolution_breached"),
        median_first_response_minutes=number("median_first_response_minutes"),
        p90_first_response_minutes=number("p90_first_response_minutes"),
        median_resolution_minutes=number("median_resolution_minutes"),
        p90_resolution_minutes=number("p90_resolution_minutes"),
        waiting_on_requester_minutes=number("waiting_on_requester_minutes") or 0.0,
        transfers_in=count("transfers_in"),
        transfers_out=count("transfers_out"),
        reopens=count("reopens"),
        rating_average=number("rating_average"),
        rating_count=count("rating_count"),
        request_rating_average=number("request_rating_average"),
        request_rating_count=count("request_rating_count"),
        customer_response_met=count("customer_response_met"),
        customer_response_breached=count("customer_response_breached"),
    )


def _trend(session: Session, scope: Scope, zone: ZoneInfo) -> list[Week]:
    """The 12 weeks (Monday to Sunday in the org's time zone) up to the period's end; the last one may be partial."""
    last_day = (scope.end - timedelta(microseconds=1)).astimezone(zone).date()
    monday = last_day - timedelta(days=last_day.weekday())
    starts = [monday - timedelta(weeks=TREND_WEEKS - 1 - i) for i in range(TREND_WEEKS)]
    instants = [datetime.combine(day, time(), zone).astimezone(ZoneInfo("UTC")) for day in starts]
    weekly = queries.weekly(session, scope, instants)
    return [
        Week(
            start=day,
            filed=sum(weekly[i]["filed_by"].values()),
            filed_by=dict(weekly[i]["filed_by"]),
            first_response_met=int(weekly[i].get("first_response_met", 0)),
            first_response_breached=int(weekly[i].get("first_response_breached", 0)),
            resolution_met=int(weekly[i].get("resolution_met", 0)),
            resolution_breached=int(weekly[i].get("resolution_breached", 0)),
        )
        for i, day in enumerate(starts)
    ]
