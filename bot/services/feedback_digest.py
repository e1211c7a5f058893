"""The weekly feedback digest of each department: averages given and received per partner, and the comments.

The week is the seven days before the day of ``now`` in the organization's time zone. Anonymous
ratings count only when they name a department of at least ``anonymity_min`` people (checked again
now, as departments shrink): a smaller group would narrow them down to their author.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.domain.feedback import average, names_department
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


def digests(session: Session, now: datetime) -> list[DepartmentDigest]:
    """One digest per active department with managers and something to tell them."""
    zone = ZoneInfo(store.org_timezone(session))
    today = now.astimezone(zone).date()
    first_day, last_day = today - timedelta(days=WEEK_DAYS), today - timedelta(days=1)
    start, end = (datetime.combine(day, time(), zone) for day in (first_day, today))
    feedback = store.feedback_between(session, first_day, last_day)
    ratings = store.ratings_between(session, start, end)
    names = store.department_names(session)
    countable = _countable(session, [*map(_feedback_score, feedback), *map(_rating_score, ratings)])
    result = []
    for department in directory.active_departments(session):
        managers = directory.managers_of(session, department.id)
        partners = _partners(department.id, countable, names)
        comments = _comments(session, department.id, feedback, ratings, names)
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


def _countable(session: Session, scores: list[Score | None]) -> list[Score]:
    k = store.anonymity_min(session)
    return [
        score
        for score in scores
        if score is not None
        and (not score.anonymous or (score.giver and names_department(store.department_size(session, score.giver), k)))
    ]


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


def _comments(
    session: Session, department_id: str, feedback: list[Feedback], ratings: list[Rating], names: dict[str, str]
) -> list[DigestComment]:
    k = store.anonymity_min(session)
    comments = []
    for row in feedback:
        if row.to_department_id != department_id or not (row.went_well or row.could_be_better):
            continue
        origin = row.from_department_id
        if row.anonymous and origin and not names_department(store.department_size(session, origin), k):
            origin = None
        name = names.get(origin) if origin else None
        comments.append(
            DigestComment(
                row.author_id, name, row.request_id, row.rating, row.went_well or "", row.could_be_better or ""
            )
        )
    for rating in ratings:
        request = session.get(Request, rating.request_id)
        if rating.to_department_id == department_id and rating.comment and request is not None:
            name = names.get(rating.from_department_id) if rating.from_department_id else None
            comments.append(
                DigestComment(request.requester_id, name, rating.request_id, rating.score, comment=rating.comment)
            )
    return comments
