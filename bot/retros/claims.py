"""Who sends what a retro owes Slack: the prompt, the summary at the close, the nudges. No Slack, no commit.

Each ``claim_*`` marks rows as taken by this sender in the caller's transaction (rows another sender
holds are skipped); a prompt whose sender vanished before recording it is claimed again after a lease.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.domain import retros as domain
from bot.retros.views import ActionView, RetroView, Summary, action_view, retro_view, summary
from storage.retro_models import Retro, RetroAction, RetroSchedule

LEASE = timedelta(minutes=5)
NUDGE_AT = time(9, 0)  # on the due day, in the retro's time zone


@dataclass(frozen=True)
class PromptClaim:
    retro: RetroView
    retried: bool
    """Claimed before by a sender that vanished: the prompt may be in the channel already."""


def claim_prompts(session: Session, now: datetime) -> list[PromptClaim]:
    query = (
        select(Retro)
        .where(
            col(Retro.prompt_ts).is_(None),
            col(Retro.prompt_claimed_at).is_(None) | (col(Retro.prompt_claimed_at) <= now - LEASE),
        )
        .order_by(col(Retro.id))
        .with_for_update(skip_locked=True)
    )
    claims = []
    for retro in session.exec(query):
        retried = retro.prompt_claimed_at is not None
        retro.prompt_claimed_at = now
        session.add(retro)
        claims.append(PromptClaim(retro_view(session, retro), retried))
    session.flush()
    return claims


def record_prompt(session: Session, retro_id: int, ts: str | None) -> None:
    """The prompt's ts; None (Slack refused for good) leaves the claim to lapse and be retried."""
    retro = session.get(Retro, retro_id)
    if retro is not None and ts is not None:
        retro.prompt_ts = ts
        session.add(retro)
        session.flush()


def claim_closings(session: Session, now: datetime) -> list[Summary]:
    """Close the retros whose window has passed; their summaries are owed."""
    query = (
        select(Retro)
        .where(col(Retro.closed_at).is_(None), col(Retro.closes_at) <= now, col(Retro.prompt_ts).is_not(None))
        .order_by(col(Retro.id))
        .with_for_update(skip_locked=True)
    )
    closing = list(session.exec(query))
    for retro in closing:
        retro.closed_at = retro.summary_claimed_at = now
        session.add(retro)
    session.flush()
    return [summary(session, retro) for retro in closing]


def record_summary(session: Session, retro_id: int, ts: str | None) -> None:
    retro = session.get(Retro, retro_id)
    if retro is not None and ts is not None:
        retro.summary_ts = ts
        session.add(retro)
        session.flush()


def claim_nudges(session: Session, now: datetime) -> list[ActionView]:
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
