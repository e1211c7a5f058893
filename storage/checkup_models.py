"""Check-up tables: the schedules from the org file, each check-up held, the answers while it is open, and what
survives its close.

A check-up row per (schedule, period start), unique: that key is what makes a check-up happen once per period.
While it is open each person's answers are rows of their own (``checkup_response``, ``checkup_answer``), so they
can be changed; the close turns them into shares per pair and question (``checkup_result``) and, where enough
people wrote, anonymous seeds for a retro (``checkup_seed``), and deletes them: after the close no row names a
person who answered.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class CheckupSchedule(SQLModel, table=True):
    """A ``[[checkups]]`` entry of the org file, as last applied."""

    __tablename__ = "checkup_schedule"

    id: str = Field(primary_key=True, max_length=64)
    cron: str = Field(max_length=100)
    timezone: str = Field(max_length=64)
    window: str = Field(max_length=16)
    calendar_id: str = Field(max_length=64)
    active: bool = True
    since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When a tick first saw this cron: periods that began earlier are not caught up."""


class Checkup(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("schedule_id", "period_start", name="uq_checkup_schedule_period"),)

    id: int | None = Field(default=None, primary_key=True)
    schedule_id: str = Field(foreign_key="checkup_schedule.id", max_length=64)
    period_start: datetime = Field(sa_type=UTCDateTime)
    opened_at: datetime = Field(sa_type=UTCDateTime)
    closes_at: datetime = Field(sa_type=UTCDateTime, index=True)
    nudge_at: datetime = Field(sa_type=UTCDateTime)
    nudged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When the nudges were owed (in the same transaction as their outbox rows): one nudge per check-up."""
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    invited: int = 0
    traffic: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    """Requests filed in the 90 days before it opened, by provider and customer: {provider: {customer: count}}."""


class CheckupResponse(SQLModel, table=True):
    """Someone answered (while the check-up is open): the departments they answered for, as they were then."""

    __tablename__ = "checkup_response"

    checkup_id: int = Field(foreign_key="checkup.id", primary_key=True)
    user_id: str = Field(primary_key=True, max_length=32)
    departments: list[str] = Field(sa_column=Column(JSON, nullable=False))


class CheckupAnswer(SQLModel, table=True):
    """One person's answers about one other department (while the check-up is open)."""

    __tablename__ = "checkup_answer"

    checkup_id: int = Field(foreign_key="checkup.id", primary_key=True)
    user_id: str = Field(primary_key=True, max_length=32)
    about_id: str = Field(primary_key=True, max_length=64)
    questions: list[str] = Field(sa_column=Column(JSON, nullable=False))
    """The ids of the statements they ticked (bot.domain.checkups.QUESTIONS)."""
    obstacle: str | None = None
    """What gets in the way between us and them, if they wrote it."""


class CheckupResult(SQLModel, table=True):
    """What survives the close: of ``department_id``'s respondents asked about ``about_id``, the share who ticked
    ``question``, and how many they were."""

    __tablename__ = "checkup_result"

    checkup_id: int = Field(foreign_key="checkup.id", primary_key=True)
    department_id: str = Field(primary_key=True, max_length=64)
    about_id: str = Field(primary_key=True, max_length=64)
    question: str = Field(primary_key=True, max_length=32)
    share: float
    respondents: int


class CheckupSeed(SQLModel, table=True):
    """One anonymous answer to "what gets in the way between us and them", kept at the close only when at least
    ``anonymity_min`` people of ``department_id`` wrote about ``about_id``; taken by the next retro of the pair (or
    of ``provider_id``), which then shows it."""

    __tablename__ = "checkup_seed"

    id: int | None = Field(default=None, primary_key=True)
    checkup_id: int = Field(foreign_key="checkup.id", index=True)
    department_id: str = Field(max_length=64)
    about_id: str = Field(max_length=64)
    provider_id: str = Field(max_length=64)
    text: str
    retro_id: int | None = Field(default=None, foreign_key="retro.id", index=True)
