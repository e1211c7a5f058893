"""What a provider promises a request when it is filed or transferred, kept with the request."""

from dataclasses import asdict, dataclass
from typing import Any, Protocol

from sqlmodel import Session

from bot.domain.agreements import best_match, targets_for
from bot.domain.alerts import Metric
from bot.domain.durations import Duration, parse_duration
from bot.domain.sla import BusinessCalendar
from storage import directory, org_snapshot

DEFAULT_WARN_AT = 0.75


@dataclass(frozen=True)
class Promise:
    """A snapshot of the agreement and calendar: later edits of the org file do not change it."""

    agreement_id: int | None  # None when the service's own targets are the whole promise
    first_response: str
    resolution: str
    calendar_id: str
    calendar: dict[str, Any]
    warn_at: float = DEFAULT_WARN_AT
    customer_response: str | None = None  # how soon the requester owes an answer while it waits on them
    customer_calendar: dict[str, Any] | None = None  # the requester's department's: that answer's business time

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Promise":
        return cls(**data)

    def business_calendar(self) -> BusinessCalendar:
        return BusinessCalendar.from_dict(self.calendar)

    def customer_business_calendar(self) -> BusinessCalendar | None:
        return BusinessCalendar.from_dict(self.customer_calendar) if self.customer_calendar is not None else None

    def promised(self, metric: Metric) -> str:
        """The target as the agreement writes it, e.g. "4h"; "" for an answer it does not ask for."""
        targets = {Metric.FIRST_RESPONSE: self.first_response, Metric.RESOLUTION: self.resolution}
        return targets.get(metric, self.customer_response or "")

    def target(self, metric: Metric) -> Duration:
        return parse_duration(self.promised(metric))


class Provider(Protocol):
    """A department as a promise needs it: an ORM row or the org snapshot's copy."""

    @property
    def id(self) -> str: ...

    @property
    def calendar_id(self) -> str: ...


def promise_for(
    session: Session, provider: Provider, customer: str | None, priority: str, service_id: str | None = None
) -> Promise | None:
    """The agreement for the customer department ``customer`` (None: unknown, so it owes no answer in time), with
    the targets of the service ``service_id`` where it sets its own (only while the service's department provides).
    """
    org = org_snapshot.current(session)
    agreement = best_match(org.agreements.get(provider.id, ()), customer, priority)
    service = org.services.get(service_id) if service_id else None
    targets = targets_for(service if service is not None and service.department == provider.id else None, agreement)
    if targets is None:
        return None
    customer_department = org.departments.get(customer) if customer is not None else None
    answer_calendar = None  # kept even without customer_response: a priority change may still measure a wait by it
    if customer_department is not None:
        answer_calendar = directory.calendar_spec(session, customer_department.calendar_id)
    return Promise(
        agreement_id=agreement.id if agreement is not None else None,
        first_response=targets[0],
        resolution=targets[1],
        calendar_id=provider.calendar_id,
        calendar=directory.calendar_spec(session, provider.calendar_id),
        warn_at=float(org.settings.get("warn_at", DEFAULT_WARN_AT)),
        customer_response=agreement.customer_response if agreement and answer_calendar else None,
        customer_calendar=answer_calendar,
    )
