"""Retros as their messages show them: read models built from the rows. No Slack."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from bot.domain import retros as domain
from bot.slack.payloads import is_user_id
from bot.slack.text import escape, user
from storage.models import Department
from storage.retro_models import Retro, RetroAction, RetroEntry


@dataclass(frozen=True)
class ActionView:
    id: int
    retro_id: int
    retro_title: str
    text: str
    owner_id: str
    due_on: date
    status: str
    author_id: str | None
    channel: str


@dataclass(frozen=True)
class RetroView:
    id: int
    schedule_id: str
    title: str
    template: str
    channel: str
    prompt_ts: str | None
    facts_since: datetime
    opened_at: datetime
    closes_at: datetime
    closed: bool
    services: list[dict[str, Any]]
    counts: dict[str, int]
    """Entries so far by kind, and ``action`` for action items: the only thing shown before the close."""
    review: list[ActionView] = field(default_factory=list)
    """The previous retro's action items: done, or carried over into this one."""
    checkup: list[dict[str, Any]] = field(default_factory=list)
    """From the last check-up: what people of one department wrote gets in the way with the other (no names)."""


@dataclass(frozen=True)
class Summary:
    retro: RetroView
    entries: dict[str, list[tuple[str, str | None]]]
    """By kind, in the template's order: (text, author or None when anonymous)."""
    actions: list[ActionView]
    carried: list[ActionView]


def mention(user_id: str) -> str:
    """``<@U…>`` for a user id; anything else (a forged owner, say) as inert text, never a mention."""
    return user(user_id) if is_user_id(user_id) else escape(user_id)


def title(session: Session, departments: list[str]) -> str:
    names = []
    for department_id in departments:
        department = session.get(Department, department_id)
        names.append(department.name if department is not None else department_id)
    return " & ".join(names)


def action_view(session: Session, row: RetroAction, retro: Retro) -> ActionView:
    assert row.id is not None
    return ActionView(
        id=row.id,
        retro_id=row.retro_id,
        retro_title=title(session, retro.departments),
        text=row.text,
        owner_id=row.owner_id,
        due_on=row.due_on,
        status=row.status,
        author_id=row.author_id,
        channel=retro.channel,
    )


def retro_view(session: Session, retro: Retro) -> RetroView:
    assert retro.id is not None
    kinds = Counter(session.exec(select(RetroEntry.kind).where(RetroEntry.retro_id == retro.id)))
    kinds[domain.ACTION] = len(_actions(session, RetroAction.retro_id == retro.id))
    review = [action_view(session, row, retro) for row in _previous_actions(session, retro)]
    return RetroView(
        id=retro.id,
        schedule_id=retro.schedule_id,
        title=title(session, retro.departments),
        template=retro.template,
        channel=retro.channel,
        prompt_ts=retro.prompt_ts,
        facts_since=retro.facts_since,
        opened_at=retro.opened_at,
        closes_at=retro.closes_at,
        closed=retro.closed_at is not None,
        services=list(retro.facts.get("services", [])),
        counts=dict(kinds),
        review=review,
        checkup=list(retro.facts.get("checkup", [])),
    )


def summary(session: Session, retro: Retro) -> Summary:
    query = select(RetroEntry).where(RetroEntry.retro_id == retro.id).order_by(col(RetroEntry.id))
    entries: dict[str, list[tuple[str, str | None]]] = {kind.id: [] for kind in domain.kinds(retro.template)}
    for entry in session.exec(query):
        entries.setdefault(entry.kind, []).append((entry.text, entry.author_id))
    own = [action_view(session, row, retro) for row in _actions(session, RetroAction.retro_id == retro.id)]
    carried = [action_view(session, row, retro) for row in _actions(session, RetroAction.carried_into == retro.id)]
    return Summary(retro_view(session, retro), entries, own, carried)


def _actions(session: Session, where: Any) -> list[RetroAction]:
    return list(session.exec(select(RetroAction).where(where).order_by(col(RetroAction.id))))


def _previous_actions(session: Session, retro: Retro) -> list[RetroAction]:
    query = select(Retro.id).where(Retro.schedule_id == retro.schedule_id, col(Retro.period_start) < retro.period_start)
    previous = session.exec(query.order_by(col(Retro.period_start).desc())).first()
    return [] if previous is None else _actions(session, RetroAction.retro_id == previous)
