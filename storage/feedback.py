"""Queries for feedback and request ratings, and the org settings they depend on."""

from datetime import date, datetime

from sqlmodel import Session, col, func, select

from bot.domain.feedback import DEFAULT_ANONYMITY_MIN, Direction, RequestRating
from storage.feedback_models import Feedback, Rating
from storage.models import Department, Membership, Setting


def anonymity_min(session: Session) -> int:
    setting = session.get(Setting, "anonymity_min")
    return int(setting.value) if setting is not None else DEFAULT_ANONYMITY_MIN


def org_timezone(session: Session) -> str:
    setting = session.get(Setting, "timezone")
    return str(setting.value) if setting is not None else "UTC"


def department_size(session: Session, department_id: str) -> int:
    """How many people the org file puts in the department, members and managers."""
    query = select(func.count(func.distinct(Membership.user_id))).where(Membership.department_id == department_id)
    return int(session.exec(query).one())


def department_sizes(session: Session) -> dict[str, int]:
    """How many people each department has, by id (departments without people are left out)."""
    query = select(Membership.department_id, func.count(func.distinct(Membership.user_id)))
    return {department: int(size) for department, size in session.exec(query.group_by(Membership.department_id))}


def department_names(session: Session) -> dict[str, str]:
    """Every department's name by id, retired ones included: old feedback still names them."""
    return {department.id: department.name for department in session.exec(select(Department))}


def get_feedback(session: Session, feedback_id: int, *, lock: bool = False) -> Feedback | None:
    """The feedback, or None; ``lock``: and hold its row until the transaction ends (a reply being written)."""
    # Locked, it is read again: a copy loaded earlier in the session may predate a concurrent writer's commit.
    return session.get(Feedback, feedback_id, with_for_update=lock, populate_existing=lock)


def feedback_between(session: Session, first_day: date, last_day: date) -> list[Feedback]:
    """Day by day; in a day, signed feedback by its instant, then the anonymous (in the random order of their ids)."""
    query = select(Feedback).where(col(Feedback.created_on) >= first_day, col(Feedback.created_on) <= last_day)
    order = (col(Feedback.created_on), col(Feedback.created_at).is_(None), col(Feedback.created_at), col(Feedback.id))
    return list(session.exec(query.order_by(*order)))


def with_reply_links(session: Session) -> list[Feedback]:
    """Every feedback that keeps an encrypted way back to its anonymous author, locked for a re-encryption."""
    query = select(Feedback).where(col(Feedback.reply_link).is_not(None)).order_by(col(Feedback.id))
    return list(session.exec(query.with_for_update()))


def rating_for(session: Session, request_id: int, direction: Direction, *, lock: bool = False) -> Rating | None:
    query = select(Rating).where(Rating.request_id == request_id, Rating.direction == direction)
    return session.exec(query.with_for_update() if lock else query).first()


def request_ratings(session: Session, request_id: int) -> list[RequestRating]:
    """The ratings a request's card shows: those with a score or a comment, requester's first."""
    query = select(Rating).where(Rating.request_id == request_id).order_by(col(Rating.direction))
    return [
        RequestRating(Direction(row.direction), row.score, row.comment)
        for row in session.exec(query)
        if row.score is not None or row.comment
    ]


def ratings_between(session: Session, start: datetime, end: datetime) -> list[Rating]:
    """Ratings scored in ``[start, end)``."""
    query = select(Rating).where(col(Rating.rated_at) >= start, col(Rating.rated_at) < end)
    return list(session.exec(query.order_by(col(Rating.rated_at), col(Rating.id))))
