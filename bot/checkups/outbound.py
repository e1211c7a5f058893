"""What the check-up owes Slack: a DM to everyone it asks, and one nudge to those who have not answered.

The DMs go out at Slack's pace: each person's is due ``FANOUT_PACE`` after the one before, so 5,000 of them take
their time (about 80 minutes) and, being due one by one, never hold back what else the sender has to send (a card
owed meanwhile is due at once and goes next). Each DM's key names the check-up and the person: a second
scheduler or a retried open owes nothing twice. The nudges' rows are deleted at the close (``bot.checkups.service``).
"""

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.checkups import blocks
from bot.checkups.service import Nudges, Opened
from bot.slack import outbox as owed
from bot.slack.outbox import Owed
from bot.slack.text import when

FANOUT_PACE = timedelta(seconds=1)  # chat.postMessage, workspace-wide: one a second leaves room for the rest


def _staggered(messages: list[Owed], now: datetime) -> list[Owed]:
    return [replace(message, deliver_after=now + index * FANOUT_PACE) for index, message in enumerate(messages)]


def opened(session: Session, checkups: Iterable[Opened], now: datetime) -> int:
    """The invitation to each person asked; how many were owed."""
    invitations = [
        message
        for c in checkups
        for message in owed.post_each(
            {f"checkup:{c.checkup_id}:invite:{user}": user for user in c.invitees},
            blocks.invitation(c.checkup_id, when(c.closes_at)),
        )
    ]
    return owed.owe(session, _staggered(invitations, now), now)


def nudged(session: Session, nudges: Iterable[Nudges], now: datetime) -> int:
    reminders = [
        message
        for n in nudges
        for message in owed.post_each(
            {f"checkup:{n.checkup_id}:nudge:{user}": user for user in n.users},
            blocks.nudge(n.checkup_id, when(n.closes_at)),
        )
    ]
    return owed.owe(session, _staggered(reminders, now), now)
