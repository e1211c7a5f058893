"""Use cases of retrospectives: open one per period, take entries and action items, close, nudge. No Slack, no commit.

What each change owes Slack is owed by ``bot.retros.outbound`` in the same transaction, by the caller.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.domain import retros as domain
from bot.domain.calendars import BusinessCalendar
from bot.domain.durations import parse_duration
from bot.domain.sla import due_at
from bot.errors import NotAllowed, NotFound
from bot.retros import facts as retro_facts
from bot.retros.periods import Period, period_of, previous_start
from bot.retros.views import ActionView, RetroView, action_view, mention, retro_view, title
from bot.slack.payloads import is_user_id
from storage import checkups as checkup_seeds
from storage import directory
from storage.models import Department
from storage.retro_models import Retro, RetroAction, RetroEntry, RetroSchedule

RETRO_LOCK = 0x5E7_0000  # PostgreSQL advisory lock id: one retro tick opens retros at a time
NUDGE_AT = time(9, 0)  # on the due day, in the retro's time zone
FIRST_FACTS = timedelta(days=7)  # a retro with no earlier period counts the week before it


class Closed(NotAllowed):
    """The retro no longer takes entries."""


class AlreadyStarted(NotAllowed):
    """This period's retro exists."""


class NotInRetro(NotAllowed):
    """Only the members and managers of a retro's departments add to it."""


class OwnerNotInRetro(NotAllowed):
    """An action item's owner is one of the retro's members or managers."""


def take_lock(session: Session) -> bool:
    """On PostgreSQL, one tick at a time across processes (released at commit); SQLite serializes writers."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.exec(text("SELECT pg_try_advisory_xact_lock(:id)").bindparams(id=RETRO_LOCK)).one()[0])  # type: ignore[call-overload]


def open_due(session: Session, now: datetime) -> list[int]:
    """Open every retro whose period has begun and has none yet (a missed one too, while its period lasts)."""
    if not take_lock(session):
        return []
    opened = []
    for schedule in session.exec(select(RetroSchedule).where(col(RetroSchedule.active))):
        if schedule.since is None:
            schedule.since = now
            session.add(schedule)
        period = period_of(schedule.cron, schedule.timezone, now)
        if period is None or period.start < schedule.since or _held(session, schedule.id, period):
            continue
        retro = _open(session, schedule, period, now)
        if retro is not None and retro.id is not None:
            opened.append(retro.id)
    session.flush()
    return opened


def start(session: Session, schedule_id: str, at: datetime) -> int:
    """Open the retro of the period ``at`` falls in, now (the operator's ``retro start``)."""
    schedule = session.get(RetroSchedule, schedule_id)
    if schedule is None or not schedule.active:
        raise NotFound(f"There is no retro {schedule_id!r} in the org file.")
    period = period_of(schedule.cron, schedule.timezone, at) or Period(at, at + timedelta(days=7))
    retro = None if _held(session, schedule_id, period) else _open(session, schedule, period, at)
    if retro is None or retro.id is None:
        local = period.start.astimezone(ZoneInfo(schedule.timezone))
        raise AlreadyStarted(
            f"Retro {schedule_id} already started for the period from {local:%a %d %b %Y %H:%M} "
            f"({schedule.timezone}): nothing to do."
        )
    return retro.id


def close_now(session: Session, schedule_id: str, at: datetime) -> int:
    """Make the latest open retro of ``schedule_id`` due to close at ``at``; the tick closes it."""
    if session.get(RetroSchedule, schedule_id) is None:
        raise NotFound(f"There is no retro {schedule_id!r} in the org file.")
    query = (
        select(Retro)
        .where(Retro.schedule_id == schedule_id, col(Retro.closed_at).is_(None))
        .order_by(col(Retro.period_start).desc())
    )
    retro = session.exec(query).first()
    if retro is None or retro.id is None:
        raise NotFound(f"Retro {schedule_id!r} has no open retrospective.")
    retro.closes_at = min(retro.closes_at, at)
    session.add(retro)
    session.flush()
    return retro.id


def close_due(session: Session, now: datetime) -> list[int]:
    """Close the retros whose window has passed; their summaries are owed."""
    query = (
        select(Retro)
        .where(col(Retro.closed_at).is_(None), col(Retro.closes_at) <= now)
        .order_by(col(Retro.id))
        .with_for_update(skip_locked=True)
    )
    closing = list(session.exec(query))
    for retro in closing:
        retro.closed_at = now
        session.add(retro)
    session.flush()
    return [retro.id for retro in closing if retro.id is not None]


def due_nudges(session: Session, now: datetime) -> list[ActionView]:
    """Open action items whose due day has come (09:00 in their retro's zone), each nudged once."""
    query = (
        select(RetroAction, Retro, RetroSchedule)
        .join(Retro, col(Retro.id) == RetroAction.retro_id)
        .join(RetroSchedule, col(RetroSchedule.id) == Retro.schedule_id)
        .where(
            RetroAction.status == domain.OPEN,
            col(RetroAction.nudged_at).is_(None),
            col(RetroAction.due_on) <= now.date() + timedelta(days=1),
        )
        .order_by(col(RetroAction.id))
        .with_for_update(skip_locked=True, of=RetroAction)
    )
    due = []
    for action, retro, schedule in session.exec(query):
        if nudge_time(action.due_on, schedule.timezone) <= now:
            action.nudged_at = now
            session.add(action)
            due.append(action_view(session, action, retro))
    session.flush()
    return due


def nudge_time(due_on: date, timezone: str) -> datetime:
    return datetime.combine(due_on, NUDGE_AT, tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def _held(session: Session, schedule_id: str, period: Period) -> bool:
    query = select(Retro.id).where(Retro.schedule_id == schedule_id, Retro.period_start == period.start)
    return session.exec(query).first() is not None


def _open(session: Session, schedule: RetroSchedule, period: Period, now: datetime) -> Retro | None:
    previous = _previous(session, schedule.id, period.start)
    since = previous.opened_at if previous else previous_start(schedule.cron, schedule.timezone, period)
    since = since or period.start - FIRST_FACTS
    retro = Retro(
        schedule_id=schedule.id,
        period_start=period.start,
        period_end=period.end,
        facts_since=since,
        opened_at=now,
        closes_at=due_at(_calendar(session, schedule), now, parse_duration(schedule.window)),
        channel=schedule.channel,
        template=schedule.template,
        departments=list(schedule.departments),
        facts={"services": retro_facts.gather(session, schedule.departments, since, now)},
    )
    try:
        with session.begin_nested():
            session.add(retro)
    except IntegrityError:  # another scheduler opened it first
        return None
    assert retro.id is not None
    seeds = checkup_seeds.take_seeds(session, list(schedule.departments), retro.id)
    if seeds:
        retro.facts = {**retro.facts, "checkup": retro_facts.checkup(session, seeds)}
    if previous is not None:
        for action in _actions_of(session, previous.id):
            if action.status == domain.OPEN:
                action.carried_into = retro.id
                session.add(action)
    session.flush()
    return retro


def _previous(session: Session, schedule_id: str, before: datetime) -> Retro | None:
    query = select(Retro).where(Retro.schedule_id == schedule_id, col(Retro.period_start) < before)
    return session.exec(query.order_by(col(Retro.period_start).desc())).first()


def _calendar(session: Session, schedule: RetroSchedule) -> BusinessCalendar:
    department = session.get(Department, schedule.departments[0])
    assert department is not None, "apply the org file: a retro's department is missing"
    return BusinessCalendar.from_dict(directory.calendar_spec(session, department.calendar_id))


def _actions_of(session: Session, retro_id: int | None) -> list[RetroAction]:
    query = select(RetroAction).where(RetroAction.retro_id == retro_id).order_by(col(RetroAction.id))
    return list(session.exec(query))


def view(session: Session, retro_id: int) -> RetroView:
    retro = session.get(Retro, retro_id)
    if retro is None:
        raise NotFound("That retrospective is no longer here.")
    return retro_view(session, retro)


def view_for_member(session: Session, retro_id: int, user: str) -> RetroView:
    """The retro, if ``user`` may add to it (a read: it locks nothing); NotFound or NotInRetro otherwise."""
    retro = session.get(Retro, retro_id)
    if retro is None:
        raise NotFound("That retrospective is no longer here.")
    _require_member(session, retro, user)
    return retro_view(session, retro)


def is_member(session: Session, retro: Retro, user: str) -> bool:
    """Whether ``user`` is a member or manager of one of the retro's departments."""
    return is_user_id(user) and any(directory.is_staff(session, d, user) for d in retro.departments)


def _require_member(session: Session, retro: Retro, user: str) -> None:
    if not is_member(session, retro, user):
        who = title(session, retro.departments)
        raise NotInRetro(f"Only members and managers of {who} add to this retrospective.")


@dataclass(frozen=True)
class EntryDraft:
    kind: str
    text: str
    signed: bool


@dataclass(frozen=True)
class ActionDraft:
    text: str
    owner_id: str
    due_on: date
    signed: bool


def _open_retro(session: Session, retro_id: int, now: datetime) -> Retro:
    retro = session.get(Retro, retro_id, with_for_update=True)
    if retro is None:
        raise NotFound("That retrospective is no longer here.")
    if retro.closed_at is not None or now >= retro.closes_at:
        raise Closed("This retrospective has closed: entries are no longer taken.")
    return retro


def add_entry(session: Session, retro_id: int, draft: EntryDraft, author: str, now: datetime) -> int:
    """The new entry's id. Only the retro's members and managers add entries."""
    retro = _open_retro(session, retro_id, now)
    _require_member(session, retro, author)
    if domain.kind(retro.template, draft.kind) is None:
        raise NotFound(f"This retrospective takes no {draft.kind!r} entries.")
    entry = RetroEntry(
        retro_id=retro_id,
        kind=draft.kind,
        text=draft.text,
        anonymous=not draft.signed,
        author_id=author if draft.signed else None,
    )
    session.add(entry)
    session.flush()
    assert entry.id is not None
    return entry.id


def add_action(session: Session, retro_id: int, draft: ActionDraft, author: str, now: datetime) -> ActionView:
    """The new action item. Its author and its owner are among the retro's members and managers."""
    retro = _open_retro(session, retro_id, now)
    _require_member(session, retro, author)
    if not is_member(session, retro, draft.owner_id):
        who = title(session, retro.departments)
        raise OwnerNotInRetro(f"Pick someone from {who}: an action item's owner is one of its members or managers.")
    row = RetroAction(
        retro_id=retro_id,
        text=draft.text,
        owner_id=draft.owner_id,
        due_on=draft.due_on,
        anonymous=not draft.signed,
        author_id=author if draft.signed else None,
    )
    session.add(row)
    session.flush()
    return action_view(session, row, retro)


def mark_done(session: Session, action_id: int, user: str, now: datetime) -> ActionView:
    row = session.get(RetroAction, action_id, with_for_update=True)
    if row is None:
        raise NotFound("That action item is no longer here.")
    if row.owner_id != user:
        raise NotAllowed(f"Only its owner, {mention(row.owner_id)}, marks this action item done.")
    if row.status != domain.DONE:
        row.status, row.done_at = domain.DONE, now
        session.add(row)
        session.flush()
    retro = session.get(Retro, row.retro_id)
    assert retro is not None
    return action_view(session, row, retro)
