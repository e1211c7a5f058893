"""Feedback tables: feedback to a department, and the two ratings of a resolved request.

An anonymous feedback row holds no user id, no DM channel, no request (whose requester is a person)
and no instant, only the day; the CHECK constraint makes that a property of the schema, not of the code.
Its reply path is the hash of a token that only the bot's DM to the author carries.
"""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

ANONYMOUS_ROWS_UNLINKED = (
    "NOT anonymous OR (author_id IS NULL AND created_at IS NULL AND request_id IS NULL"
    " AND reply_token_hash IS NOT NULL)"
)
SIGNED_ROWS_NAMED = "anonymous OR (author_id IS NOT NULL AND reply_token_hash IS NULL)"
SCORE_RANGE = "{column} IS NULL OR ({column} >= 1 AND {column} <= 5)"


class Feedback(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(ANONYMOUS_ROWS_UNLINKED, name="ck_feedback_anonymous_unlinked"),
        CheckConstraint(SIGNED_ROWS_NAMED, name="ck_feedback_signed_named"),
        CheckConstraint(SCORE_RANGE.format(column="rating"), name="ck_feedback_rating"),
    )

    id: int | None = Field(default=None, primary_key=True)
    to_department_id: str = Field(foreign_key="department.id", max_length=64, index=True)
    from_department_id: str | None = Field(default=None, foreign_key="department.id", max_length=64)
    request_id: int | None = Field(default=None, foreign_key="request.id")
    rating: int | None = None
    went_well: str | None = None
    could_be_better: str | None = None
    anonymous: bool
    author_id: str | None = Field(default=None, max_length=32)
    created_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_on: date = Field(index=True)
    reply_token_hash: str | None = Field(default=None, max_length=64)


class Rating(SQLModel, table=True):
    """One rating per request and direction: asked once when the request is resolved, changed by a new click."""

    __tablename__ = "request_rating"
    __table_args__ = (
        UniqueConstraint("request_id", "direction", name="uq_request_rating_request_direction"),
        CheckConstraint(SCORE_RANGE.format(column="score"), name="ck_request_rating_score"),
    )

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id")
    direction: str = Field(max_length=32)
    from_department_id: str | None = Field(default=None, foreign_key="department.id", max_length=64)
    to_department_id: str | None = Field(default=None, foreign_key="department.id", max_length=64)
    rater_id: str | None = Field(default=None, max_length=32)
    score: int | None = None
    comment: str | None = None
    asked_at: datetime = Field(sa_type=UTCDateTime)
    rated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
