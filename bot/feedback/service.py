"""Use cases of feedback to a department: choose, submit, and let its managers reply. No Slack, no commit.

Anonymous feedback keeps no trace of its author: no user id, no request, no instant, a random id, and
the sender's department only when it hides the author among at least ``anonymity_min`` people. The way
back to the author, for a manager's reply, is their user id encrypted with ``INHOUSE_SECRET_KEY``
(bot.feedback.keyring), which the database does not hold; without the key there is none, and the
feedback cannot be replied to.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.domain.feedback import names_department
from bot.errors import NotAllowed, NotFound
from bot.feedback.keyring import Keyring
from storage import directory
from storage import feedback as store
from storage.feedback_models import Feedback
from storage.models import Department, Request


class UnknownRequest(NotFound):
    """The request number names no request."""


class CannotReply(NotAllowed):
    """Anonymous feedback whose way back to its author cannot be opened (no key, or none kept)."""


SET_THE_KEY = "Your Inhouse admin can set INHOUSE_SECRET_KEY so that future anonymous feedback can be replied to."


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
    replyable: bool = True  # anonymous feedback given without a key cannot be replied to


@dataclass(frozen=True)
class Submitted:
    notice: FeedbackNotice
    recipients: list[str]  # the department's channel, or its managers
    author_id: str | None  # signed: the confirmation's recipient; anonymous: None (confirmed in the modal)
    day_start: datetime  # the start of the day it was given, in the org's time zone


@dataclass(frozen=True)
class ReplyTarget:
    feedback_id: int
    department_id: str
    department_name: str
    author_id: str | None  # signed feedback
    reply_link: str | None  # anonymous feedback: the author, encrypted
    notice_channel: str | None  # where the feedback was posted; None: in its managers' DMs

    @property
    def anonymous(self) -> bool:
        return self.author_id is None


def choices(session: Session, department: str | None, request_number: int | None) -> FeedbackChoices:
    """The departments, with the one named (by id or name) or the one that handled the request preselected."""
    departments = [(d.id, d.name) for d in directory.active_departments(session)]
    wanted = (department or "").lower()
    chosen = next((i for i, name in departments if wanted and wanted in (i.lower(), name.lower())), None)
    request = session.get(Request, request_number) if request_number is not None else None
    if request is not None:
        chosen = request.provider_id
    return FeedbackChoices(departments, chosen, request_number)


def submit(session: Session, draft: FeedbackDraft, author: str, now: datetime, keys: Keyring) -> Submitted:
    """Store the feedback; anonymous, with the way back to its author only if ``keys`` has a key to seal it."""
    department = _receiver(session, draft)
    recipients = _recipients(session, department)
    home = _sender_department(session, author, anonymous=draft.anonymous)
    zone = ZoneInfo(store.org_timezone(session))
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
        created_on=now.astimezone(zone).date(),
        notice_channel=None if department.feedback_private else department.channel,
        reply_link=keys.seal(author) if draft.anonymous else None,
    )
    session.add(row)
    session.flush()
    day_start = datetime.combine(row.created_on, time(), zone)
    return Submitted(_notice(session, row), recipients, None if draft.anonymous else author, day_start)


def reply_target(session: Session, feedback_id: int, manager: str, keys: Keyring) -> ReplyTarget:
    """Where a manager's reply goes. Raises NotAllowed unless ``manager`` manages the receiving department,
    CannotReply if the feedback is anonymous and ``keys`` cannot open the way back to its author."""
    target = addressee(session, feedback_id)
    if target is None:
        raise NotFound("That feedback is no longer here.")
    if manager not in directory.managers_of(session, target.department_id):
        raise NotAllowed(f"Only managers of {target.department_name} can reply to its feedback.")
    if target.anonymous:
        _check_the_way_back(target, keys)
    return target


def _check_the_way_back(target: ReplyTarget, keys: Keyring) -> None:
    if target.reply_link is None:
        why = "while Inhouse had no secret key" if not keys.available else "before Inhouse had a secret key"
        raise CannotReply(
            f"This feedback was sent anonymously {why}, so nothing leads back to its author: it cannot be "
            f"replied to.{'' if keys.available else ' ' + SET_THE_KEY}"
        )
    if not keys.available:
        raise CannotReply(
            "Inhouse has no secret key now, so it cannot reach the author of this anonymous feedback. "
            "Your Inhouse admin can set INHOUSE_SECRET_KEY again (the key it was sent under)."
        )
    if keys.open(target.reply_link) is None:
        raise CannotReply(
            "The key this anonymous feedback was sent under is no longer in INHOUSE_SECRET_KEY, so it cannot be "
            "replied to. Your Inhouse admin can add that key back, after the current one."
        )


def addressee(session: Session, feedback_id: int, *, lock: bool = False) -> ReplyTarget | None:
    """Whom a reply to the feedback reaches (as the reply is sent: its department may have been renamed)."""
    row = store.get_feedback(session, feedback_id, lock=lock)
    if row is None:
        return None
    department = session.get(Department, row.to_department_id)
    name = department.name if department is not None else row.to_department_id
    return ReplyTarget(feedback_id, row.to_department_id, name, row.author_id, row.reply_link, row.notice_channel)


def first_reply_of_view(session: Session, feedback_id: int, view_id: str) -> bool:
    """Whether this reply modal (by its view's id) was not submitted before; remember it if so.

    The feedback's row is locked until the caller's transaction ends, so a double submit writes one reply,
    even once the first reply's outbox row is gone (an anonymous feedback's are deleted once sent). Only a
    hash of the view's id is kept: it orders nothing.
    """
    row = store.get_feedback(session, feedback_id, lock=True)
    if row is None:
        raise NotFound("That feedback is no longer here.")
    seen = hashlib.sha256(view_id.encode()).hexdigest()
    if row.replied_view == seen:
        return False
    row.replied_view = seen
    session.add(row)
    return True


def rotate_links(session: Session, keys: Keyring) -> tuple[int, int]:
    """Encrypt every stored link again with the first key; how many were, and how many no key could open."""
    rotated = unopened = 0
    for row in store.with_reply_links(session):
        link = keys.rotate(row.reply_link or "")
        if link is None:
            unopened += 1
            continue
        row.reply_link = link
        session.add(row)
        rotated += 1
    return rotated, unopened


def day_start(session: Session, now: datetime) -> datetime:
    """The start of ``now``'s day in the org's time zone: the only instant an anonymous feedback's messages keep."""
    zone = ZoneInfo(store.org_timezone(session))
    return datetime.combine(now.astimezone(zone).date(), time(), zone)


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
        replyable=not row.anonymous or row.reply_link is not None,
    )
