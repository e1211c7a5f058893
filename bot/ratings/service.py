"""Ratings of a resolved request, both ways: asked once per request and direction, changed by a new click."""

from datetime import datetime

from sqlmodel import Session

from bot.domain.feedback import Direction
from bot.errors import NotAllowed, NotFound
from bot.requests.service import RequestSnapshot, get
from storage import directory
from storage import feedback as store
from storage.feedback_models import Rating
from storage.models import Department, Request


def ask_after_resolve(session: Session, number: int, now: datetime) -> list[Direction]:
    """Record that both ratings are asked, the first time the request is resolved; the directions to ask now.

    Call it in the transaction that resolved the request: that holds the request's row lock, so a
    reopen and a second resolve cannot ask twice.
    """
    request = session.get(Request, number)
    if request is None:
        raise NotFound(f"There is no request #{number}.")
    asked = []
    for direction in Direction:
        if store.rating_for(session, number, direction) is None:
            giver, receiver = _sides(request, direction)
            session.add(
                Rating(
                    request_id=number,
                    direction=direction,
                    from_department_id=giver,
                    to_department_id=receiver,
                    asked_at=now,
                )
            )
            asked.append(direction)
    session.flush()
    return asked


def rate(session: Session, number: int, direction: Direction, rater: str, score: int, now: datetime) -> RequestSnapshot:
    """Set (or change) the score; the request as its card should now show it."""
    row = _asked(session, number, direction, rater)
    row.score, row.rater_id, row.rated_at = score, rater, now
    session.add(row)
    session.flush()
    return get(session, number)


def comment(session: Session, number: int, rater: str, text: str, now: datetime) -> RequestSnapshot:
    """The requester's comment on the service they got, kept with their rating."""
    row = _asked(session, number, Direction.CUSTOMER_TO_PROVIDER, rater)
    row.comment, row.rater_id, row.rated_at = text, rater, now
    session.add(row)
    session.flush()
    return get(session, number)


def check_requester(session: Session, number: int, user: str) -> RequestSnapshot:
    """The request, if ``user`` may comment on its service; a read, so it locks nothing."""
    _asked(session, number, Direction.CUSTOMER_TO_PROVIDER, user, lock=False)
    return get(session, number)


def _sides(request: Request, direction: Direction) -> tuple[str | None, str | None]:
    """(giving department, receiving department) of a rating."""
    if direction is Direction.CUSTOMER_TO_PROVIDER:
        return request.requester_department_id, request.provider_id
    return request.provider_id, request.requester_department_id


def _asked(session: Session, number: int, direction: Direction, user: str, *, lock: bool = True) -> Rating:
    row = store.rating_for(session, number, direction, lock=lock)
    if row is None:
        raise NotFound(f"Request #{number} has not been resolved, so there is nothing to rate yet.")
    if direction is Direction.CUSTOMER_TO_PROVIDER:
        request = session.get(Request, number)
        if request is None or request.requester_id != user:
            raise NotAllowed(f"Only the person who filed #{number} rates the service they got.")
    elif row.from_department_id is None or not directory.is_staff(session, row.from_department_id, user):
        department = session.get(Department, row.from_department_id) if row.from_department_id else None
        name = department.name if department is not None else "the department that resolved it"
        raise NotAllowed(f"Only members and managers of {name} rate request #{number}.")
    return row
