"""What a provider promises a request when it is filed or transferred, kept with the request."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from bot.domain.agreements import best_match
from bot.domain.durations import parse_duration
from bot.domain.sla import BusinessCalendar, due_at
from storage import directory
from storage.models import Agreement, Department


@dataclass(frozen=True)
class Promise:
    """A snapshot of the agreement and calendar: later edits of the org file do not change it."""

    agreement_id: int
    first_response: str
    resolution: str
    calendar_id: str
    calendar: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "agreement_id": self.agreement_id,
            "first_response": self.first_response,
            "resolution": self.resolution,
            "calendar_id": self.calendar_id,
            "calendar": self.calendar,
        }

    def due_times(self, start: datetime) -> tuple[datetime, datetime]:
        calendar = BusinessCalendar.from_dict(self.calendar)
        return (
            due_at(calendar, start, parse_duration(self.first_response)),
            due_at(calendar, start, parse_duration(self.resolution)),
        )


def promise_for(session: Session, provider: Department, customer: str | None, priority: str) -> Promise | None:
    candidates = session.exec(select(Agreement).where(Agreement.provider_id == provider.id))
    agreement = best_match(candidates, customer, priority)
    if agreement is None or agreement.id is None:
        return None
    return Promise(
        agreement_id=agreement.id,
        first_response=agreement.first_response,
        resolution=agreement.resolution,
        calendar_id=provider.calendar_id,
        calendar=directory.calendar_spec(session, provider.calendar_id),
    )
