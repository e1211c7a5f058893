"""What a provider promises a request when it is filed or transferred, kept with the request."""

from dataclasses import asdict, dataclass
from typing import Any

from sqlmodel import Session, select

from bot.domain.agreements import best_match
from bot.domain.alerts import Metric
from bot.domain.durations import Duration, parse_duration
from bot.domain.sla import BusinessCalendar
from storage import directory
from storage.models import Agreement, Department, Setting

DEFAULT_WARN_AT = 0.75


@dataclass(frozen=True)
class Promise:
    """A snapshot of the agreement and calendar: later edits of the org file do not change it."""

    agreement_id: int
    first_response: str
    resolution: str
    calendar_id: str
    calendar: dict[str, Any]
    warn_at: float = DEFAULT_WARN_AT

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Promise":
        return cls(**data)

    def business_calendar(self) -> BusinessCalendar:
        return BusinessCalendar.from_dict(self.calendar)

    def target(self, metric: Metric) -> Duration:
        return parse_duration(self.first_response if metric is Metric.FIRST_RESPONSE else self.resolution)


def promise_for(session: Session, provider: Department, customer: str | None, priority: str) -> Promise | None:
    candidates = session.exec(select(Agreement).where(Agreement.provider_id == provider.id))
    agreement = best_match(candidates, customer, priority)
    if agreement is None or agreement.id is None:
        return None
    warn_at = session.get(Setting, "warn_at")
    return Promise(
        agreement_id=agreement.id,
        first_response=agreement.first_response,
        resolution=agreement.resolution,
        calendar_id=provider.calendar_id,
        calendar=directory.calendar_spec(session, provider.calendar_id),
        warn_at=float(warn_at.value) if warn_at is not None else DEFAULT_WARN_AT,
    )
