"""Feedback tables: feedback to a department, and the two ratings of a resolved request.

An anonymous feedback row holds no user id, no DM channel, no request (whose requester is a person)
and no instant, only the day; the CHECK constraint makes that a property of the schema, not of the code.
Feedback ids are random, not a sequence, so an anonymous row's id does not place it among the signed
rows of its day. The way back to an anonymous author (``reply_link``) is their user id encrypted with
a key that is not in the database (``INHOUSE_SECRET_KEY``, bot.feedback.keyring); without the key, none.
"""

import secrets
from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

ANONYMOUS_ROWS_UNLINKED = "NOT anonymous OR (author_id IS NULL AND created_at IS NULL AND request_id IS NULL)"
SIGNED_ROWS_NAMED = "anonymous OR (author_id IS NOT NULL AND reply_link IS NULL)"
FEEDBACK_IDS = (10**15, 2**53)  # 16 digits, exact in a JSON number; never one of the sequential ids of before


def new_feedback_id() -> int:
    """A random id: it says nothing of when the feedback was given."""
    low, high = FEEDBACK_IDS
    return low + secrets.randbelow(high - low)


SCORE_RANGE = "{column} IS NULL OR ({column} >= 1 AND {column} <= 5)"
_RATED = ("rated_at", "direction", "rater_id", "score")  # what a report reads of a rating


class Feedback(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(ANONYMOUS_ROWS_UNLINKED, name="ck_feedback_anonymous_unlinked"),
        CheckConstraint(SIGNED_ROWS_NAMED, name="ck_feedback_signed_named"),
        CheckConstraint(SCORE_RANGE.format(column="rating"), name="ck_feedback_rating"),
    )

    id: int = Field(
        default_factory=new_feedback_id, primary_key=True, sa_type=BigInteger, sa_column_kwargs={"autoincrement": False}
    )
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
    notice_channel: str | None = Field(default=None, max_length=32)  # where it was posted; None: managers' DMs
    reply_link: str | None = Field(default=None, max_length=255)  # anonymous: the author, encrypted (see above)
    replied_view: str | None = Field(default=None, max_length=64)  # the hash of the last reply modal submitted


class Rating(SQLModel, table=True):
    """One rating per request and direction: asked once when the request is resolved, changed by a new click."""

    __tablename__ = "request_rating"
    __table_args__ = (
        UniqueConstraint("request_id", "direction", name="uq_request_rating_request_direction"),
        CheckConstraint(SCORE_RANGE.format(column="score"), name="ck_request_rating_score"),
        # Reports read only these, each holding what they read: by the department rated (a requester rates "to", a
        # provider the requester's department, "from"), by instant, and on SQLite by pair, either way round (as
        # request_event's: SQLite groups the pair (to, from) or (from, to) in this one's order).
        Index("ix_request_rating_to_rated_at", "to_department_id", *_RATED),
        Index("ix_request_rating_from_rated_at", "from_department_id", *_RATED),
        Index("ix_request_rating_rated_at", *_RATED),
        Index("ix_request_rating_pair_rated_at", "to_department_id", "from_department_id", *_RATED).ddl_if(
            dialect="sqlite"
        ),
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
