"""Check-up queries: who is asked, each person's answers while it is open, and what its close leaves."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from bot.domain.checkups import Share
from storage import reports
from storage.checkup_models import Checkup, CheckupAnswer, CheckupResponse, CheckupResult, CheckupSeed
from storage.models import Department, Membership, Outbox
from storage.retro_models import RetroSchedule

Traffic = dict[str, dict[str, int]]  # provider -> customer -> requests filed


@dataclass(frozen=True)
class Answer:
    questions: tuple[str, ...]
    obstacle: str | None = None


def invitees(session: Session) -> list[str]:
    """Every member and manager of an active department, once each, in a stable order."""
    query = (
        select(Membership.user_id)
        .join(Department, col(Department.id) == Membership.department_id)
        .where(col(Department.active))
        .distinct()
        .order_by(col(Membership.user_id))
    )
    return list(session.exec(query))


def active_departments(session: Session) -> list[str]:
    return list(session.exec(select(Department.id).where(col(Department.active)).order_by(col(Department.id))))


def traffic(session: Session, since: datetime, until: datetime) -> Traffic:
    """Requests filed in [since, until) per provider and customer department (the reports' own figures)."""
    filed: Traffic = {}
    for (provider, customer), figures in reports.events(session, reports.Scope(since, until), by_pair=True).items():
        if customer != reports.UNKNOWN and figures.get("filed"):
            filed.setdefault(provider, {})[customer] = int(figures["filed"] or 0)
    return filed


def open_checkup(session: Session) -> Checkup | None:
    query = select(Checkup).where(col(Checkup.closed_at).is_(None)).order_by(col(Checkup.opened_at).desc())
    return session.exec(query).first()


def held(session: Session, schedule_id: str, period_start: datetime) -> bool:
    query = select(Checkup.id).where(Checkup.schedule_id == schedule_id, Checkup.period_start == period_start)
    return session.exec(query).first() is not None


def answers_of(session: Session, checkup_id: int, user: str) -> dict[str, Answer]:
    query = select(CheckupAnswer).where(CheckupAnswer.checkup_id == checkup_id, CheckupAnswer.user_id == user)
    return {row.about_id: Answer(tuple(row.questions), row.obstacle) for row in session.exec(query)}


def save_answers(
    session: Session, checkup_id: int, user: str, departments: list[str], answers: Mapping[str, Answer]
) -> None:
    """``user`` answered for ``departments`` (theirs): these answers replace any they gave before."""
    session.exec(
        delete(CheckupAnswer).where(col(CheckupAnswer.checkup_id) == checkup_id, col(CheckupAnswer.user_id) == user)
    )
    session.merge(CheckupResponse(checkup_id=checkup_id, user_id=user, departments=departments))
    session.add_all(
        CheckupAnswer(
            checkup_id=checkup_id,
            user_id=user,
            about_id=about,
            questions=list(answer.questions),
            obstacle=answer.obstacle,
        )
        for about, answer in answers.items()
        if answer.questions or answer.obstacle
    )
    session.flush()


def respondents(session: Session, checkup_id: int) -> set[str]:
    return set(session.exec(select(CheckupResponse.user_id).where(CheckupResponse.checkup_id == checkup_id)))


def responses(session: Session, checkup_id: int) -> tuple[dict[str, list[str]], list[CheckupAnswer]]:
    """Each respondent's departments, and every answer: what the close aggregates."""
    people = session.exec(select(CheckupResponse).where(CheckupResponse.checkup_id == checkup_id))
    answers = session.exec(select(CheckupAnswer).where(CheckupAnswer.checkup_id == checkup_id))
    return {row.user_id: list(row.departments) for row in people}, list(answers)


def keep_results(session: Session, checkup_id: int, shares: Iterable[Share]) -> None:
    session.add_all(
        CheckupResult(
            checkup_id=checkup_id,
            department_id=share.department,
            about_id=share.about,
            question=share.question,
            share=share.share,
            respondents=share.respondents,
        )
        for share in shares
    )
    session.flush()


def keep_seeds(session: Session, checkup_id: int, seeds: Mapping[tuple[str, str], tuple[str, list[str]]]) -> None:
    """``seeds``: (department, about) -> (the provider of the two, the texts)."""
    session.add_all(
        CheckupSeed(checkup_id=checkup_id, department_id=department, about_id=about, provider_id=provider, text=text)
        for (department, about), (provider, texts) in seeds.items()
        for text in texts
    )
    session.flush()


def forget_people(session: Session, checkup_id: int) -> None:
    """Delete every row that names someone who answered, or did not: the answers, and the nudges owed."""
    for table in (CheckupAnswer, CheckupResponse):
        session.exec(delete(table).where(col(table.checkup_id) == checkup_id))
    nudges = col(Outbox.key).startswith(f"checkup:{checkup_id}:nudge:", autoescape=True)
    session.exec(delete(Outbox).where(nudges))
    session.flush()


def latest_closed(session: Session) -> Checkup | None:
    query = select(Checkup).where(col(Checkup.closed_at).is_not(None)).order_by(col(Checkup.closed_at).desc())
    return session.exec(query).first()


def shares(session: Session, checkup_id: int, questions: Iterable[str]) -> dict[tuple[str, str, str], float]:
    """The check-up's shares of these questions: (department, about, question) -> share."""
    query = select(CheckupResult.department_id, CheckupResult.about_id, CheckupResult.question, CheckupResult.share)
    query = query.where(CheckupResult.checkup_id == checkup_id, col(CheckupResult.question).in_(list(questions)))
    return {(department, about, question): share for department, about, question, share in session.exec(query)}


def take_seeds(session: Session, departments: list[str], retro_id: int) -> list[CheckupSeed]:
    """The seeds waiting for this retro, now taken by it: a pair's retro takes what either wrote about the other;
    a department's own retro takes those of which it is the provider, unless a retro of that pair is scheduled."""
    waiting = list(session.exec(select(CheckupSeed).where(col(CheckupSeed.retro_id).is_(None))))
    pairs = scheduled_pairs(session)
    if len(departments) == 2:
        taken = [seed for seed in waiting if {seed.department_id, seed.about_id} == set(departments)]
    else:
        taken = [
            seed
            for seed in waiting
            if seed.provider_id == departments[0] and frozenset((seed.department_id, seed.about_id)) not in pairs
        ]
    for seed in taken:
        seed.retro_id = retro_id
        session.add(seed)
    session.flush()
    return taken


def scheduled_pairs(session: Session) -> frozenset[frozenset[str]]:
    """The pairs of departments that have a retro of their own scheduled."""
    schedules = session.exec(select(RetroSchedule).where(col(RetroSchedule.active)))
    return frozenset(frozenset(row.departments) for row in schedules if len(row.departments) == 2)
