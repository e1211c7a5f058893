"""Use cases of feedback to a department: choose, submit, and let its managers reply. No Slack, no commit.

Anonymous feedback keeps no trace of its author: no user id, no request, no instant, and the
sender's department only when it hides the author among at least ``anonymity_min`` people. The
author's reply path is a random token the caller puts in the DM to the author; the row keeps its hash
(bot.feedback.outbound owes that DM, and forgets it once it is sent).
"""

import secrets
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.domain.feedback import names_department, token_digest
from bot.errors import NotAllowed, NotFound
from storage import directory
from storage import feedback as store
from storage.feedback_models import Feedback
from storage.models import Department, Request


class UnknownRequest(NotFound):
    """The request number names no request."""


@dataclass(frozen=True)
class FeedbackDraft:
    department_id: str | None
    request_number: int | None
    rating: int | None
    went_well: str
    could_be_better: str
    anonymous: bool


@dataclass(frozen=True)
class FeedbackChoices:
    """What the /feedback modal offers and preselects."""

    departments: list[tuple[str, str]]
    department_id: str | None
    request_number: int | None


@dataclass(frozen=True)
class FeedbackNotice:
    """Feedback as its receivers see it: the author only when signed."""

    feedback_id: int
    department_name: str
    rating: int | None
    went_well: str
    could_be_better: str
    author_id: str | None
    from_department_name: str | None  # None: "a colleague"
    request_number: int | None


@dataclass(frozen=True)
class Submitted:
    notice: FeedbackNotice
    recipients: list[str]  # the department's channel, or its managers
    author_id: str  # the confirmation's recipient, never stored with anonymous feedback
    reply_token: str | None  # anonymous only: goes in the confirmation's metadata, nowhere else


@dataclass(frozen=True)
class ReplyTarget:
    feedback_id: int
    department_id: str
    department_name: str
    author_id: str | None  # signed feedback
    token_digest: str | None  # anonymous feedback


def choices(session: Session, department: str | None, request_number: int | None) -> FeedbackChoices:
    """The departments, with the one named (by id or name) or the one that handled the request preselected."""
    departments = [(d.id, d.name) for d in directory.active_departments(session)]
    wanted = (department or "").lower()
    chosen = next((i for i, name in departments if wanted and wanted in (i.lower(), name.lower())), None)
    request = session.get(Request, request_number) if request_number is not None else None
    if request is not None:
        chosen = request.provider_id
    return FeedbackChoices(departments, chosen, request_number)


def submit(session: Session, draft: FeedbackDraft, author: str, now: datetime) -> Submitted:
    department = _receiver(session, draft)
    recipients = _recipients(session, department)
    home = _sender_department(session, author, anonymous=draft.anonymous)
    token = secrets.token_urlsafe(32) if draft.anonymous else None
    row = Feedback(
        to_department_id=department.id,
        from_department_id=home,
        request_id=None if draft.anonymous else draft.request_number,
        rating=draft.rating,
        went_well=draft.went_well or None,
        could_be_better=draft.could_be_better or None,
        anonymous=draft.anonymous,
        author_id=None if draft.anonymous else author,
        created_at=None if draft.anonymous else now,
        created_on=now.astimezone(ZoneInfo(store.org_timezone(session))).date(),
        reply_token_hash=token_digest(token) if token else None,
    )
    session.add(row)
    session.flush()
    return Submitted(_notice(session, row), recipients, author, token)


def reply_target(session: Session, feedback_id: int, manager: str) -> ReplyTarget:
    """Where a manager's reply goes; raises NotAllowed unless ``manager`` manages the receiving department."""
    target = addressee(session, feedback_id)
    if target is None:
        raise NotFound("That feedback is no longer here.")
    if manager not in directory.managers_of(session, target.department_id):
        raise NotAllowed(f"Only managers of {target.department_name} can reply to its feedback.")
    return target


def addressee(session: Session, feedback_id: int) -> ReplyTarget | None:
    """Whom a reply to the feedback reaches (as the reply is sent: its department may have been renamed)."""
    row = store.get_feedback(session, feedback_id)
    if row is None:
        return None
    department = session.get(Department, row.to_department_id)
    name = department.name if department is not None else row.to_department_id
    return ReplyTarget(feedback_id, row.to_department_id, name, row.author_id, row.reply_token_hash)


def _receiver(session: Session, draft: FeedbackDraft) -> Department:
    department_id = draft.department_id
    if draft.request_number is not None:
        request = session.get(Request, draft.request_number)
        if request is None:
            raise UnknownRequest(f"There is no request #{draft.request_number}.")
        if department_id not in (None, request.provider_id):
            raise NotAllowed(f"Request #{request.id} went to another department: choose that one, or no department.")
        department_id = request.provider_id
    department = directory.get_department(session, department_id or "")
    if department is None:
        raise NotFound(f"There is no department {department_id!r}.")
    return department


def _sender_department(session: Session, author: str, *, anonymous: bool) -> str | None:
    """The author's department; for anonymous feedback, only when it hides them among enough people."""
    home = directory.home_department(session, author)
    if home is None or not anonymous:
        return home
    return home if names_department(store.department_size(session, home), store.anonymity_min(session)) else None


def _recipients(session: Session, department: Department) -> list[str]:
    if not department.feedback_private:
        return [department.channel]
    managers = directory.managers_of(session, department.id)
    if not managers:
        raise NotAllowed(f"{department.name} takes feedback privately but has no managers: tell your Inhouse admin.")
    return managers


def _notice(session: Session, row: Feedback) -> FeedbackNotice:
    assert row.id is not None
    receiver = session.get(Department, row.to_department_id)
    sender = session.get(Department, row.from_department_id) if row.from_department_id else None
    return FeedbackNotice(
        feedback_id=row.id,
        department_name=receiver.name if receiver is not None else row.to_department_id,
        rating=row.rating,
        went_well=row.went_well or "",
        could_be_better=row.could_be_better or "",
        author_id=row.author_id,
        from_department_name=sender.name if sender is not None else None,
        request_number=row.request_id,
    )
