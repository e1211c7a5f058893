"""Retrospective tables: the schedules from the org file, each retro held, its entries and action items.

A retro row per (schedule, period start), unique: that key is what makes a retro happen once per period.
What a retro says in Slack is owed in the outbox by the transaction that decides it (see bot.retros.outbound).
An anonymous entry or action item keeps no author (the CHECK constraints make it a property of the schema)
and no entry keeps an instant.
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

ANONYMOUS_NO_AUTHOR = "(anonymous AND author_id IS NULL) OR (NOT anonymous AND author_id IS NOT NULL)"


class RetroSchedule(SQLModel, table=True):
    """A ``[[retros]]`` entry of the org file, as last applied."""

    __tablename__ = "retro_schedule"

    id: str = Field(primary_key=True, max_length=64)
    departments: list[str] = Field(sa_column=Column(JSON, nullable=False))
    channel: str = Field(max_length=32)
    cron: str = Field(max_length=100)
    timezone: str = Field(max_length=64)
    window: str = Field(max_length=16)
    template: str = Field(max_length=32)
    active: bool = True
    since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When a tick first saw this cron: periods that began earlier are not caught up."""


class Retro(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("schedule_id", "period_start", name="uq_retro_schedule_period"),)

    id: int | None = Field(default=None, primary_key=True)
    schedule_id: str = Field(foreign_key="retro_schedule.id", max_length=64)
    period_start: datetime = Field(sa_type=UTCDateTime)
    period_end: datetime = Field(sa_type=UTCDateTime)
    facts_since: datetime = Field(sa_type=UTCDateTime)
    opened_at: datetime = Field(sa_type=UTCDateTime)
    closes_at: datetime = Field(sa_type=UTCDateTime, index=True)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    channel: str = Field(max_length=32)
    template: str = Field(max_length=32)
    departments: list[str] = Field(sa_column=Column(JSON, nullable=False))
    facts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    prompt_ts: str | None = Field(default=None, max_length=32)
    """Where the prompt landed, recorded when the outbox sends it (``retro:{id}:prompt``)."""


class RetroEntry(SQLModel, table=True):
    __tablename__ = "retro_entry"
    __table_args__ = (CheckConstraint(ANONYMOUS_NO_AUTHOR, name="ck_retro_entry_anonymous"),)

    id: int | None = Field(default=None, primary_key=True)
    retro_id: int = Field(foreign_key="retro.id", index=True)
    kind: str = Field(max_length=32)
    text: str
    anonymous: bool
    author_id: str | None = Field(default=None, max_length=32)


class RetroAction(SQLModel, table=True):
    __tablename__ = "retro_action"
    __table_args__ = (CheckConstraint(ANONYMOUS_NO_AUTHOR, name="ck_retro_action_anonymous"),)

    id: int | None = Field(default=None, primary_key=True)
    retro_id: int = Field(foreign_key="retro.id", index=True)
    text: str
    owner_id: str = Field(max_length=32)
    due_on: date
    status: str = Field(default="open", max_length=16)
    anonymous: bool
    author_id: str | None = Field(default=None, max_length=32)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    nudged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When its nudge was owed (in the same transaction as the outbox row): each item is nudged once."""
    carried_into: int | None = Field(default=None, foreign_key="retro.id")
