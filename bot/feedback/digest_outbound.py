"""The weekly feedback digest owed to each department's managers: ``inhouse feedback digest`` and the weekly job.

One DM per department, week and manager, owed in the transaction that computes it and keyed by all three: owing
the same week's digests again (a second run, a second scheduler) owes nothing new. ``resend`` (``--force``) owes
them again under keys of their own.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlmodel import Session

from bot.deps import Deps
from bot.feedback.digest import digests, week_before
from bot.feedback.digest_blocks import digest_message
from bot.slack.outbox import owe, post
from storage import outbox


@dataclass(frozen=True)
class DigestRun:
    first_day: date
    last_day: date
    new: list[str]  # the keys of the DMs this run owed
    already: int  # the week's DMs owed before this run: sent, or on their way
    sent: int = 0  # of the new ones, once delivered
    dead: int = 0  # of the new ones: Slack refused them for good

    @property
    def waiting(self) -> int:
        """New DMs Slack has not taken yet: the sender tries them again."""
        return len(self.new) - self.sent - self.dead


def digest_key(department_id: str, first_day: date, manager: str, resend: str | None = None) -> str:
    key = f"feedback_digest:{department_id}:{first_day.isoformat()}:{manager}"
    return key if resend is None else f"{key}:{resend}"


def owe_feedback_digests(
    session: Session, at: datetime, *, now: datetime | None = None, resend: str | None = None
) -> DigestRun:
    """Compute the week before ``at``'s day and owe each digest to its department's managers, due ``now``."""
    first_day, last_day = week_before(session, at)
    owed = [
        post(digest_key(digest.department_id, digest.first_day, manager, resend), manager, message)
        for digest in digests(session, at)
        for message in [digest_message(digest)]
        for manager in digest.managers
    ]
    before = {message.key for message in owed if outbox.by_key(session, message.key) is not None}
    new = [message for message in owed if message.key not in before]
    owe(session, new, now or at)
    return DigestRun(first_day, last_day, [message.key for message in new], len(before))


def delivered(deps: Deps, run: DigestRun) -> DigestRun:
    """Deliver what is owed now (these digests and anything else due); how this run's DMs went."""
    deps.outbox.drain()
    with deps.read_scope() as session:
        statuses = [row.status for key in run.new if (row := outbox.by_key(session, key)) is not None]
    return replace(run, sent=statuses.count(outbox.SENT), dead=statuses.count(outbox.DEAD))


def send_feedback_digests(deps: Deps, at: datetime, *, resend: str | None = None) -> DigestRun:
    """Owe the digests of the week before ``at``'s day (see ``owe_feedback_digests``), then deliver them now."""
    with deps.session_scope() as session:
        run = owe_feedback_digests(session, at, now=deps.clock(), resend=resend)
    return delivered(deps, run)
