"""Tables. Requests keep an append-only event log; the request row is its projection."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

# The requests still being worked on, as SQL: ``ix_request_open`` holds only them. Written out, not bound, in a
# query that means to use it: SQLite uses a partial index only for a condition it can read.
OPEN_REQUEST = "state IN ('open', 'acknowledged', 'waiting')"


def _utc(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


class Calendar(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=64)
    spec: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class Department(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    channel: str = Field(max_length=32)
    calendar_id: str = Field(foreign_key="calendar.id", max_length=64)
    feedback_private: bool = False
    escalate_to: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    active: bool = True
    intake_emoji: str | None = Field(default=None, max_length=100)  # a reaction that files a message as a request
    # Whom the org file names in each role ("managers", "members", "escalate_to"), as user ids and user groups' ids
    # (S...): the hourly sync expands the groups again. None: applied before Inhouse kept it (the sync skips it).
    people: dict[str, list[str]] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class Membership(SQLModel, table=True):
    """Who belongs to a department, from the org file."""

    department_id: str = Field(foreign_key="department.id", primary_key=True, max_length=64)
    user_id: str = Field(primary_key=True, max_length=32, index=True)
    role: str = Field(primary_key=True, max_length=16)  # "member" or "manager"


class UserGroup(SQLModel, table=True):
    """A Slack user group the org file names (``@it-team``): its members as last looked up."""

    __tablename__ = "user_group"

    id: str = Field(primary_key=True, max_length=32)
    handle: str = Field(max_length=100)
    name: str = Field(default="", max_length=200)
    users: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class UserHome(SQLModel, table=True):
    """The department a user the org file does not know told us they belong to."""

    __tablename__ = "user_home"

    user_id: str = Field(primary_key=True, max_length=32)
    department_id: str = Field(foreign_key="department.id", max_length=64)


class Agreement(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    provider_id: str = Field(foreign_key="department.id", max_length=64)
    customer: str = Field(max_length=64)  # a department id or "*"
    priority: str = Field(max_length=16)  # a priority or "*"
    first_response: str = Field(max_length=16)
    resolution: str = Field(max_length=16)
    customer_response: str | None = Field(default=None, max_length=16)  # the requester's answer while waiting


class Setting(SQLModel, table=True):
    """Organization-wide values from the org file, by name."""

    key: str = Field(primary_key=True, max_length=64)
    value: Any = Field(sa_column=Column(JSON, nullable=False))


class Request(SQLModel, table=True):
    __table_args__ = (
        # Reports (storage/reports.py): a department's requests by state, resolved since a given instant.
        Index("ix_request_provider_state", "provider_id", "state", "resolved_at"),
        Index(
            "ix_request_open",
            "provider_id",
            "requester_department_id",
            "created_at",
            sqlite_where=text(OPEN_REQUEST),
            postgresql_where=text(OPEN_REQUEST),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    provider_id: str = Field(foreign_key="department.id", max_length=64, index=True)
    requester_id: str = Field(max_length=32, index=True)
    requester_department_id: str | None = Field(default=None, foreign_key="department.id", max_length=64)
    priority: str = Field(max_length=16)
    description: str
    needed_by: date | None = None
    state: str = Field(max_length=16, index=True)
    assignee_id: str | None = Field(default=None, max_length=32)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    first_response_at: datetime | None = _utc(default=None)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    waiting_since: datetime | None = _utc(default=None)
    resolution_note: str | None = None
    promise: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    first_response_due: datetime | None = _utc(default=None)
    resolution_due: datetime | None = _utc(default=None)
    # The SLA clocks (see bot.domain.alerts): targets and what is left of them while paused, in business minutes.
    first_response_warn_at: datetime | None = _utc(default=None)
    resolution_warn_at: datetime | None = _utc(default=None)
    resolution_reminder_at: datetime | None = _utc(default=None)
    first_response_target: float | None = None
    resolution_target: float | None = None
    first_response_left: float | None = None
    resolution_left: float | None = None
    sla_cycle: int = 0
    # The customer's clock: the requester's answer while the request waits on them (one cycle per wait).
    customer_response_warn_at: datetime | None = _utc(default=None)
    customer_response_due: datetime | None = _utc(default=None)  # None when not running
    customer_response_at: datetime | None = _utc(default=None)  # the requester's answer in the current wait
    customer_cycle: int = 0
    next_check_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    card_channel: str | None = Field(default=None, max_length=32)
    card_ts: str | None = Field(default=None, max_length=32)
    card_key: str | None = Field(default=None, max_length=200)  # the outbox row that posts the current card
    # What it was filed from, once: a modal (its view id; a double submit while Slack is slow), or a message
    # filed by a reaction ("reaction:{channel}:{ts}", however often people react).
    view_id: str | None = Field(default=None, max_length=64, unique=True, index=True)
    service_id: str | None = Field(default=None, max_length=64, index=True)  # a service.id: what was asked for
    answers: list[dict[str, str]] | None = Field(default=None, sa_column=Column(JSON, nullable=True))  # to its fields
    # The message it was turned from (the shortcut, or a reaction), and a link to it.
    source_channel: str | None = Field(default=None, max_length=32)
    source_ts: str | None = Field(default=None, max_length=32)
    source_link: str | None = Field(default=None, max_length=500)


class RequestEvent(SQLModel, table=True):
    """One change of a request. ``provider_id`` is the department it goes to (CREATED, TRANSFERRED);
    ``department_id`` the provider in charge when it happened (the one a transfer leaves) and ``customer_id``
    the requester's department, so that reports count events per pair with one indexed GROUP BY.
    """

    __tablename__ = "request_event"
    __table_args__ = (
        Index("ix_request_event_request_id_id", "request_id", "id"),
        # Reports read only these (storage/reports.py): each holds every column its queries read, a department's
        # events of a period being one stretch of the index, and no row read but in it. The whole org's: on
        # PostgreSQL by instant (it has no skip-scan); on SQLite by pair then instant, which it reads pair by pair
        # (a skip-scan) and sums as it goes: it groups by sorting, and sorting the period's events was most of it.
        Index("ix_request_event_department_at", "department_id", "at", "kind", "customer_id", "waited_minutes"),
        Index("ix_request_event_provider_at", "provider_id", "at", "kind", "customer_id"),
        Index(
            "ix_request_event_at", "at", "kind", "department_id", "provider_id", "customer_id", "waited_minutes"
        ).ddl_if(dialect="postgresql"),
        Index("ix_request_event_pair_at", "department_id", "customer_id", "at", "kind", "waited_minutes").ddl_if(
            dialect="sqlite"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id")
    kind: str = Field(max_length=16)
    actor_id: str = Field(max_length=32)
    at: datetime = _utc()
    provider_id: str | None = Field(default=None, max_length=64)
    note: str | None = None
    department_id: str | None = Field(default=None, max_length=64)
    customer_id: str | None = Field(default=None, max_length=64)
    waited_minutes: float | None = None  # on the event that ends a wait on the requester: its business minutes


class SlaAlert(SQLModel, table=True):
    """An SLA milestone raised for a request: at most once per (metric, level, cycle). The cycle is the
    request's ``sla_cycle``, or its ``customer_cycle`` for the customer's clock."""

    __tablename__ = "sla_alert"
    __table_args__ = (UniqueConstraint("request_id", "metric", "level", "cycle"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id", index=True)
    metric: str = Field(max_length=32)
    level: str = Field(max_length=16)
    cycle: int
    due_at: datetime = _utc()
    raised_at: datetime = _utc()


class SlaOutcome(SQLModel, table=True):
    """How a request's first response or resolution went, per SLA cycle: when, in how much business time
    (the provider's calendar, waiting on the requester excluded), and against which target. Likewise the
    requester's answer while it waited on them ("customer_response", per customer cycle, the customer's calendar).

    Written when the response or resolution happens, or when the sweep raises its breach (then ``done_at`` and
    ``minutes`` come later). ``outcome`` is "met" or "breached", decided at ``decided_at``: a target met counts
    when it is met, a breach when the target passed. ``outcome``, ``due_at`` and ``decided_at`` are None without
    an agreement. Reports aggregate this table instead of replaying event logs.
    """

    __tablename__ = "sla_outcome"
    __table_args__ = (
        UniqueConstraint("request_id", "metric", "cycle"),
        # Reports read only these, like request_event's: by provider, and the whole org's by instant on PostgreSQL.
        Index("ix_sla_outcome_provider_decided_at", "provider_id", "decided_at", "metric", "outcome", "customer_id"),
        Index("ix_sla_outcome_provider_done_at", "provider_id", "done_at", "metric", "customer_id", "minutes"),
        Index("ix_sla_outcome_decided_at", "decided_at", "provider_id", "customer_id", "metric", "outcome").ddl_if(
            dialect="postgresql"
        ),
        Index("ix_sla_outcome_done_at", "done_at", "provider_id", "customer_id", "metric", "minutes").ddl_if(
            dialect="postgresql"
        ),
        # SQLite's, as request_event's: by pair then instant; the times by metric too (each metric's percentiles).
        Index("ix_sla_outcome_pair_decided_at", "provider_id", "customer_id", "decided_at", "metric", "outcome").ddl_if(
            dialect="sqlite"
        ),
        Index(
            "ix_sla_outcome_pair_metric_done_at", "provider_id", "customer_id", "metric", "done_at", "minutes"
        ).ddl_if(dialect="sqlite"),
        Index("ix_sla_outcome_metric_done_at", "metric", "done_at", "provider_id", "customer_id", "minutes").ddl_if(
            dialect="sqlite"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id")
    metric: str = Field(max_length=32)
    cycle: int
    provider_id: str = Field(max_length=64)
    customer_id: str | None = Field(default=None, max_length=64)
    due_at: datetime | None = _utc(default=None)
    outcome: str | None = Field(default=None, max_length=16)
    decided_at: datetime | None = _utc(default=None)
    done_at: datetime | None = _utc(default=None)
    minutes: float | None = None


class ScheduledRun(SQLModel, table=True):
    """A periodic job that ran for a period: the key that keeps it to once, whatever the schedulers."""

    __tablename__ = "scheduled_run"

    job: str = Field(primary_key=True, max_length=64)
    period_start: datetime = Field(primary_key=True, sa_type=UTCDateTime)
    ran_at: datetime = _utc()


class Outbox(SQLModel, table=True):
    """A Slack message owed, written in the transaction that decided it; the sender delivers it once.

    ``recipient`` is the conversation (a channel, or a user for a DM); rows of one ``lane`` go in order of
    ``id``; a row with a ``parent_key`` threads under, or updates, the message that row posted (its ``ts``).
    """

    __table_args__ = (
        Index("ix_outbox_status_deliver_after", "status", "deliver_after"),
        Index("ix_outbox_lane_id", "lane", "id"),
        Index("ix_outbox_status_lease_until", "status", "lease_until"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    kind: str = Field(max_length=32)
    request_id: int | None = Field(default=None, foreign_key="request.id")
    recipient: str = Field(max_length=32)
    lane: str = Field(max_length=200)
    parent_key: str | None = Field(default=None, max_length=200)
    ts: str | None = Field(default=None, max_length=32)
    lease_until: datetime | None = _utc(default=None)
    sender: str | None = Field(default=None, max_length=64)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    deliver_after: datetime = _utc()
    created_at: datetime = _utc()
    claimed_at: datetime | None = _utc(default=None)
    sent_at: datetime | None = _utc(default=None)
    last_error: str | None = Field(default=None, max_length=200)


from storage.checkup_models import (  # noqa: E402, F401  (their own module; imported for Alembic)
    Checkup,
    CheckupAnswer,
    CheckupResponse,
    CheckupResult,
    CheckupSchedule,
    CheckupSeed,
)
from storage.feedback_models import Feedback, Rating  # noqa: E402, F401  (their own module; imported for Alembic)
from storage.retro_models import Retro, RetroAction, RetroEntry, RetroSchedule  # noqa: E402, F401  (likewise)
from storage.service_models import Service  # noqa: E402, F401  (likewise)
