"""The weekly feedback digest of each department: averages given and received per partner, and the comments.

The week is the seven days before the day of ``now`` in the organization's time zone. Anonymous
ratings count only when they name a department of at least ``anonymity_min`` people (checked again
now, as departments shrink): a smaller group would narrow them down to their author.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.domain.feedback import Direction, average, names_department
from storage import directory
from storage import feedback as store
from storage.feedback_models import Feedback, Rating
from storage.models import Request

WEEK_DAYS = 7


@dataclass(frozen=True)
class Score:
    giver: str | None
    receiver: str | None
    score: int
    anonymous: bool


@dataclass(frozen=True)
class PartnerAverages:
    department_name: str
    given: float | None  # by the digest's department to this partner
    given_count: int
    received: float | None  # by the digest's department from this partner
    received_count: int


@dataclass(frozen=True)
class DigestComment:
    author_id: str | None  # None: anonymous
    from_department_name: str | None  # None for anonymous feedback of a small or unknown department
    request_number: int | None
    rating: int | None
    went_well: str = ""
    could_be_better: str = ""
    comment: str = ""


@dataclass(frozen=True)
class DepartmentDigest:
    department_id: str
    department_name: str
    managers: list[str]
    first_day: date
    last_day: date
    partners: list[PartnerAverages]
    comments: list[DigestComment]


def week_before(session: Session, now: datetime) -> tuple[date, date]:
    """The first and last day of the week the digest of ``now`` covers, in the organization's time zone."""
    today = now.astimezone(ZoneInfo(store.org_timezone(session))).date()
    return today - timedelta(days=WEEK_DAYS), today - timedelta(days=1)


def digests(session: Session, now: datetime) -> list[DepartmentDigest]:
    """One digest per active department with managers and something to tell them."""
    zone = ZoneInfo(store.org_timezone(session))
    first_day, last_day = week_before(session, now)
    today = last_day + timedelta(days=1)
    start, end = (datetime.combine(day, time(), zone) for day in (first_day, today))
    feedback = store.feedback_between(session, first_day, last_day)
    ratings = store.ratings_between(session, start, end)
    names = store.department_names(session)
    k = store.anonymity_min(session)
    nameable = {department for department, size in store.department_sizes(session).items() if names_department(size, k)}
    scores = [score for score in [*map(_feedback_score, feedback), *map(_rating_score, ratings)] if score is not None]
    countable = [score for score in scores if not score.anonymous or score.giver in nameable]
    result = []
    for department in directory.active_departments(session):
        managers = directory.managers_of(session, department.id)
        partners = _partners(department.id, countable, names)
        comments = [
            *(_feedback_comment(row, names, nameable) for row in feedback if _comments_on(row, department.id)),
            *(_rating_comment(session, row, names) for row in ratings if _commented_for(row, department.id)),
        ]
        if managers and (partners or comments):
            result.append(
                DepartmentDigest(department.id, department.name, managers, first_day, last_day, partners, comments)
            )
    return result


def _feedback_score(row: Feedback) -> Score | None:
    if row.rating is None:
        return None
    return Score(row.from_department_id, row.to_department_id, row.rating, row.anonymous)


def _rating_score(row: Rating) -> Score | None:
    if row.score is None:
        return None
    return Score(row.from_department_id, row.to_department_id, row.score, anonymous=False)


def _partners(department_id: str, scores: list[Score], names: dict[str, str]) -> list[PartnerAverages]:
    given: dict[str, list[int]] = {}
    received: dict[str, list[int]] = {}
    for score in scores:
        if score.giver == department_id and score.receiver not in (None, department_id):
            given.setdefault(str(score.receiver), []).append(score.score)
        elif score.receiver == department_id and score.giver not in (None, department_id):
            received.setdefault(str(score.giver), []).append(score.score)
    partners = sorted(set(given) | set(received), key=lambda partner: names.get(partner, partner))
    return [
        PartnerAverages(
            names.get(partner, partner),
            average(given.get(partner, [])),
            len(given.get(partner, [])),
            average(received.get(partner, [])),
            len(received.get(partner, [])),
        )
        for partner in partners
    ]


def _comments_on(row: Feedback, department_id: str) -> bool:
    return row.to_department_id == department_id and bool(row.went_well or row.could_be_better)


def _feedback_comment(row: Feedback, names: dict[str, str], nameable: set[str]) -> DigestComment:
    origin = row.from_department_id
    if row.anonymous and origin not in nameable:
        origin = None
    name = names.get(origin) if origin else None
    return DigestComment(
        row.author_id, name, row.request_id, row.rating, row.went_well or "", row.could_be_better or ""
    )


def _commented_for(row: Rating, department_id: str) -> bool:
    """A requester's comment on the service ``department_id`` gave."""
    return (
        row.to_department_id == department_id and row.direction == Direction.CUSTOMER_TO_PROVIDER and bool(row.comment)
    )


def _rating_comment(session: Session, row: Rating, names: dict[str, str]) -> DigestComment:
    """Ratings are signed: the request's card shows them, with its requester."""
    request = session.get(Request, row.request_id)
    assert request is not None  # a foreign key
    name = names.get(row.from_department_id) if row.from_department_id else None
    return DigestComment(request.requester_id, name, row.request_id, row.score, comment=row.comment or "")
