"""A department's health at a glance, for its managers' App Home: this month so far against last month."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from sqlmodel import Session

from bot.ids import Action
from bot.reports import service
from bot.reports.figures import PairFigures
from bot.reports.text import DASH, percent
from bot.slack.text import day, escape, request_ref
from storage import directory, org_snapshot


@dataclass(frozen=True)
class Health:
    name: str
    department: str
    this_month: PairFigures
    last_month: PairFigures
    label: str  # this month so far, e.g. "1 Dec to 2 Dec 2026"


def health(session: Session, department: str, name: str, now: datetime) -> Health:
    zone = service.org_zone(session)
    today = now.astimezone(zone).date()
    this_month = service.month(zone, today, now=now)
    last_month = service.month(zone, today.replace(day=1) - timedelta(days=1))
    return Health(
        name=name,
        department=department,
        this_month=service.glance(session, this_month, now, provider=department),
        last_month=service.glance(session, last_month, now, provider=department),
        label=this_month.label,
    )


def managed_health(session: Session, user: str, now: datetime) -> list[Health]:
    """The health of each department ``user`` manages, by name."""
    departments = org_snapshot.current(session).departments
    managed = sorted(directory.managed_by(session, user), key=lambda d: departments[d].name)
    return [health(session, d, departments[d].name, now) for d in managed if departments[d].active]


def _share(share: float | None) -> str:
    return percent(share) if share is not None else DASH


def _compared(now: float | None, before: float | None, text: str) -> str:
    """``text`` with last month's figure beside it, and which way it went."""
    if now is None or before is None or now == before:
        return text
    return f"{text} ↑" if now > before else f"{text} ↓"


def _rating(total: PairFigures) -> str:
    return f"{total.rating_average:.1f} ({total.rating_count})" if total.rating_average is not None else DASH


def health_blocks(figures: Health) -> list[Block]:
    now, before = figures.this_month, figures.last_month
    oldest = now.oldest_open
    backlog = f"{now.open} open" + (
        f", oldest {request_ref(oldest.number)} from {day(oldest.filed_at.date())}" if oldest else ""
    )
    first = _compared(
        now.first_response_attainment,
        before.first_response_attainment,
        f"{_share(now.first_response_attainment)} (last month {_share(before.first_response_attainment)})",
    )
    resolution = _compared(
        now.resolution_attainment,
        before.resolution_attainment,
        f"{_share(now.resolution_attainment)} (last month {_share(before.resolution_attainment)})",
    )
    rating = _compared(now.rating_average, before.rating_average, f"{_rating(now)} (last month {_rating(before)})")
    return [
        HeaderBlock(text=f"{figures.name} at a glance"[:150]),
        SectionBlock(
            fields=[
                MarkdownTextObject(text=f"*First responses on time*\n{first}"),
                MarkdownTextObject(text=f"*Resolutions on time*\n{resolution}"),
                MarkdownTextObject(text=f"*Backlog*\n{backlog}"),
                MarkdownTextObject(text=f"*Rating by requesters*\n{rating}"),
            ]
        ),
        ContextBlock(elements=[MarkdownTextObject(text=f"{escape(figures.label)}, against last month")]),
        ActionsBlock(
            elements=[ButtonElement(text="Full report", action_id=Action.FULL_REPORT, value=figures.department)]
        ),
    ]
