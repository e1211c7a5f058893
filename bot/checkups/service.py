"""Use cases of the check-up: open one per period, take and change answers, nudge once, close. No Slack, no commit.

What each step owes Slack is owed by ``bot.checkups.outbound`` in the same transaction, by the caller. At the close
the answers become shares per pair and question, and texts where enough people wrote (``bot.domain.checkups``);
the rows that named people are deleted in the same transaction.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.domain import checkups as domain
from bot.domain.calendars import BusinessCalendar
from bot.domain.durations import Duration, Unit, parse_duration
from bot.domain.sla import due_at
from bot.errors import NotAllowed, NotFound
from bot.retros.periods import Period, period_of
from storage import checkups as store
from storage import directory, org_snapshot
from storage import feedback as feedback_store
from storage.checkup_models import Checkup, CheckupSchedule

CHECKUP_LOCK = 0xC4EC_0000  # PostgreSQL advisory lock id: one tick opens check-ups at a time
TRAFFIC_DAYS = 90  # "the departments you work with": requests both ways over this many days before it opens


class Closed(NotAllowed):
    """The check-up no longer takes answers."""


class AlreadyStarted(NotAllowed):
    """A check-up is open already, or this period's was held."""


class NotAsked(NotAllowed):
    """Only the members and managers of a department answer."""


@dataclass(frozen=True)
class Opened:
    checkup_id: int
    invitees: list[str]
    closes_at: datetime


@dataclass(frozen=True)
class Nudges:
    checkup_id: int
    users: list[str]
    closes_at: datetime


@dataclass(frozen=True)
class Form:
    """What a person sees in the modal: the other departments, those they work with first, and their answers."""

    checkup_id: int
    closes_at: datetime
    departments: list[tuple[str, str]]  # (id, name)
    answers: dict[str, store.Answer]


def take_lock(session: Session) -> bool:
    """On PostgreSQL, one tick at a time across processes (released at commit); SQLite serializes writers."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.exec(text("SELECT pg_try_advisory_xact_lock(:id)").bindparams(id=CHECKUP_LOCK)).one()[0])  # type: ignore[call-overload]


def open_due(session: Session, now: datetime) -> list[Opened]:
    """Open the check-up whose period has begun (a missed one too, while its period lasts), unless one is open."""
    if not take_lock(session):
        return []
    opened = []
    for schedule in session.exec(select(CheckupSchedule).where(col(CheckupSchedule.active))):
        if schedule.since is None:
            schedule.since = now
            session.add(schedule)
        period = period_of(schedule.cron, schedule.timezone, now)
        if period is None or period.start < schedule.since or store.held(session, schedule.id, period.start):
            continue
        if store.open_checkup(session) is None and (started := _open(session, schedule, period, now)) is not None:
            opened.append(started)
    session.flush()
    return opened


def start(session: Session, schedule_id: str, at: datetime) -> Opened:
    """Open the check-up of the period ``at`` falls in, now (the operator's ``checkup start``)."""
    schedule = session.get(CheckupSchedule, schedule_id)
    if schedule is None or not schedule.active:
        raise NotFound(f"There is no check-up {schedule_id!r} in the org file: add a [[checkups]] entry.")
    if store.open_checkup(session) is not None:
        raise AlreadyStarted("A check-up is open already: close it first (inhouse checkup close).")
    period = period_of(schedule.cron, schedule.timezone, at) or Period(at, at)
    started = None if store.held(session, schedule_id, period.start) else _open(session, schedule, period, at)
    if started is None:
        local = period.start.astimezone(ZoneInfo(schedule.timezone))
        raise AlreadyStarted(
            f"Check-up {schedule_id} was held already for the period from {local:%a %d %b %Y %H:%M} "
            f"({schedule.timezone}): nothing to do."
        )
    return started


def _open(session: Session, schedule: CheckupSchedule, period: Period, now: datetime) -> Opened | None:
    calendar = BusinessCalendar.from_dict(directory.calendar_spec(session, schedule.calendar_id))
    window = parse_duration(schedule.window)
    people = store.invitees(session)
    checkup = Checkup(
        schedule_id=schedule.id,
        period_start=period.start,
        opened_at=now,
        closes_at=due_at(calendar, now, window),
        nudge_at=_nudge_at(calendar, now, window),
        invited=len(people),
        traffic=store.traffic(session, now - timedelta(days=TRAFFIC_DAYS), now),
    )
    try:
        with session.begin_nested():
            session.add(checkup)
    except IntegrityError:  # another scheduler opened it first
        return None
    assert checkup.id is not None
    return Opened(checkup.id, people, checkup.closes_at)


def _nudge_at(calendar: BusinessCalendar, opened: datetime, window: Duration) -> datetime:
    """A working day before the close; halfway through a window of a working day or less."""
    if window.unit is Unit.WORKING_DAYS and window.amount > 1:
        return due_at(calendar, opened, Duration(window.amount - 1, Unit.WORKING_DAYS))
    return opened + (due_at(calendar, opened, window) - opened) / 2


def close_now(session: Session, at: datetime) -> int:
    """Make the open check-up due to close at ``at``; the tick closes it."""
    checkup = store.open_checkup(session)
    if checkup is None or checkup.id is None:
        raise NotFound("No check-up is open.")
    checkup.closes_at = min(checkup.closes_at, at)
    session.add(checkup)
    session.flush()
    return checkup.id


def close_due(session: Session, now: datetime) -> list[int]:
    """Close the check-ups whose window has passed: keep the shares and the texts enough people wrote, and forget
    who answered what."""
    query = (
        select(Checkup)
        .where(col(Checkup.closed_at).is_(None), col(Checkup.closes_at) <= now)
        .order_by(col(Checkup.id))
        .with_for_update(skip_locked=True)
    )
    closing = list(session.exec(query))
    for checkup in closing:
        assert checkup.id is not None
        _aggregate(session, checkup)
        store.forget_people(session, checkup.id)
        checkup.closed_at = now
        session.add(checkup)
    session.flush()
    return [checkup.id for checkup in closing if checkup.id is not None]


def _aggregate(session: Session, checkup: Checkup) -> None:
    assert checkup.id is not None
    people, rows = store.responses(session, checkup.id)
    ticks = {(row.user_id, row.about_id): row.questions for row in rows}
    store.keep_results(session, checkup.id, domain.aggregate(store.active_departments(session), people, ticks))
    written: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        for department in people.get(row.user_id, ()) if row.obstacle else ():
            written.setdefault((department, row.about_id), []).append(row.obstacle or "")
    shown = domain.shown_obstacles(written, feedback_store.anonymity_min(session))
    seeds = {pair: (_provider(checkup.traffic, *pair), texts) for pair, texts in shown.items()}
    store.keep_seeds(session, checkup.id, seeds)


def _provider(traffic: Mapping[str, Mapping[str, int]], department: str, about: str) -> str:
    """Of the two, the one the other filed more requests with (the one written about, if neither did more)."""
    served = traffic.get(department, {}).get(about, 0)
    return department if served > traffic.get(about, {}).get(department, 0) else about


def due_nudges(session: Session, now: datetime) -> list[Nudges]:
    """Those who have not answered, once per check-up, when its nudge time has come."""
    query = (
        select(Checkup)
        .where(col(Checkup.closed_at).is_(None), col(Checkup.nudged_at).is_(None), col(Checkup.nudge_at) <= now)
        .with_for_update(skip_locked=True)
    )
    nudges = []
    for checkup in session.exec(query):
        assert checkup.id is not None
        checkup.nudged_at = now
        session.add(checkup)
        answered = store.respondents(session, checkup.id)
        waiting = [user for user in store.invitees(session) if user not in answered]
        nudges.append(Nudges(checkup.id, waiting, checkup.closes_at))
    session.flush()
    return nudges


def _asked(session: Session, checkup_id: int, user: str, now: datetime) -> tuple[Checkup, list[str]]:
    """The open check-up and the departments ``user`` answers for; Closed, NotFound or NotAsked otherwise."""
    checkup = session.get(Checkup, checkup_id)
    if checkup is None:
        raise NotFound("That check-up is no longer here.")
    if checkup.closed_at is not None or now >= checkup.closes_at:
        raise Closed("This check-up has closed: answers are no longer taken. Thank you all the same.")
    mine = directory.staff_departments(session, user)
    if not mine:
        raise NotAsked("The check-up is for the members and managers of the departments in the org file.")
    return checkup, mine


def form(session: Session, checkup_id: int, user: str, now: datetime) -> Form:
    """The modal's content for ``user`` (a read)."""
    checkup, mine = _asked(session, checkup_id, user, now)
    org = org_snapshot.current(session)
    others = [d for d in org.departments.values() if d.active and d.id not in mine]

    def together(department: str) -> int:
        both = (
            checkup.traffic.get(m, {}).get(department, 0) + checkup.traffic.get(department, {}).get(m, 0) for m in mine
        )
        return sum(both)

    ranked = sorted(others, key=lambda d: (-together(d.id), d.name.lower()))
    return Form(
        checkup_id, checkup.closes_at, [(d.id, d.name) for d in ranked], store.answers_of(session, checkup_id, user)
    )


def answer(
    session: Session, checkup_id: int, user: str, answers: Mapping[str, store.Answer], now: datetime
) -> datetime:
    """Keep ``user``'s answers (replacing earlier ones), about other active departments only; when it closes."""
    checkup, mine = _asked(session, checkup_id, user, now)
    known = {d.id for d in org_snapshot.current(session).departments.values() if d.active} - set(mine)
    unknown = sorted(set(answers) - known)
    if unknown:
        raise NotFound(f"The check-up does not ask about {', '.join(unknown)}: close the form and open it again.")
    store.save_answers(session, checkup_id, user, mine, answers)
    return checkup.closes_at
