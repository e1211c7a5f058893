"""What feedback owes Slack: the notice to its receivers, a signed author's confirmation, a reply and its note.

Each is an outbox row written in the transaction that decided it (``bot.slack.outbox``); the sender delivers it
once. A reply is rendered as it is sent: to a signed author's DM; to an anonymous author's DM too, by the user id
that the feedback's link (encrypted with ``INHOUSE_SECRET_KEY``, bot.feedback.keyring) opens to only then. That is
one chat.postMessage, however many people the bot talks to. Once the reply is sent, or has died, its row owes the
note under the feedback message that says which, in the channel the feedback went to (from the database, never
from the reply modal's metadata), or in the replying manager's DM when it went to the managers' DMs.

An anonymous feedback's messages (its notices, its replies and their notes) keep no instant and no place in the
outbox's sequence: they are written as of the start of their day, with a random id of their own (negative, apart
from the sequence's), and their rows are deleted as soon as they are sent or have died (the ``forget`` hook). Until
then a reply's row names the feedback, never its author.
"""

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.feedback import service as feedback
from bot.feedback.blocks import feedback_notice, feedback_sent, reply_note, reply_to_author
from bot.feedback.keyring import Keyring
from bot.feedback.service import ReplyTarget, Submitted
from bot.slack.outbox import POST, Hook, Owed, dm_lane, owe, post
from bot.slack.sender import Call, Kinds, Renderer, Undeliverable
from storage.models import Outbox

REPLY = "feedback_reply"
FORGET = "feedback_forget"
NOTE_DELIVERED, NOTE_UNDELIVERED = "feedback_reply_delivered", "feedback_reply_undelivered"
UNSEQUENCED_IDS = 2**31 - 1  # a 32-bit id below zero: the outbox's own sequence counts up from 1


@dataclass(frozen=True)
class Unsequenced(Owed):
    """An anonymous feedback's message: a random id instead of the next in the outbox's sequence.

    Its row is deleted once sent; a sequence would keep the gap it leaves between the rows owed just before and
    after it, which are dated. Rows of a lane still go in id order: an anonymous feedback's own messages are each
    alone in their lane but for notes and notices in a channel's lane, whose order among others does not matter.
    """

    def row(self, now: datetime) -> dict[str, Any]:
        return {**super().row(now), "id": -1 - secrets.randbelow(UNSEQUENCED_IDS)}


def owe_submitted(session: Session, submitted: Submitted, now: datetime) -> int:
    """The feedback to its receivers, and a signed author's confirmation (an anonymous one's is in the modal)."""
    feedback_id = submitted.notice.feedback_id
    notice = feedback_notice(submitted.notice)
    if submitted.author_id is None:  # anonymous
        forget = Hook(FORGET)
        notices = [
            post(f"feedback:{feedback_id}:notice:{to}", to, notice, on_sent=forget, on_dead=forget)
            for to in submitted.recipients
        ]
        return owe(session, [_unsequenced(owed) for owed in notices], submitted.day_start)
    owed = [post(f"feedback:{feedback_id}:notice:{to}", to, notice) for to in submitted.recipients]
    confirmation = feedback_sent(submitted.notice)
    owed.append(post(f"feedback:{feedback_id}:confirmation", submitted.author_id, confirmation))
    return owe(session, owed, now)


def _unsequenced(owed: Owed) -> Unsequenced:
    return Unsequenced(
        owed.key,
        owed.recipient,
        owed.kind,
        owed.payload,
        lane=owed.lane,
        parent_key=owed.parent_key,
        on_sent=owed.on_sent,
        on_dead=owed.on_dead,
    )


def owe_reply(
    session: Session, target: ReplyTarget, manager: str, text: str, thread_ts: str, reply_id: str, now: datetime
) -> int:
    """A manager's reply to the author; ``reply_id`` (the modal's view id) makes a double submit one reply.

    Once the reply is sent, or has died, its row owes the note under the feedback message (``thread_ts``) that
    says which: in the feedback's channel, or in ``manager``'s DM for feedback that went to the managers' DMs.
    """
    if not feedback.first_reply_of_view(session, target.feedback_id, reply_id):
        return 0
    key = f"feedback_reply:{reply_id}"
    payload = {"feedback": target.feedback_id, "manager": manager, "text": text}
    note = {
        "key": key,
        "channel": target.notice_channel or manager,
        "thread_ts": thread_ts,
        "manager": manager,
        "text": text,
        "forget": target.anonymous,
    }
    on_sent, on_dead = Hook(NOTE_DELIVERED, note), Hook(NOTE_UNDELIVERED, note)
    if target.author_id is not None:  # signed
        author, lane = target.author_id, dm_lane(target.author_id)
        return owe(session, [Owed(key, author, REPLY, payload, lane=lane, on_sent=on_sent, on_dead=on_dead)], now)
    # Named by the feedback, never by its author, until it is rendered; one lane per reply: no order to keep.
    place = f"feedback:{target.feedback_id}"
    reply = Unsequenced(key, place, REPLY, payload, lane=key, on_sent=on_sent, on_dead=on_dead)
    return owe(session, [reply], feedback.day_start(session, now))


# --- at send time -----------------------------------------------------------------------------------------------


def reply_renderer(keys: Keyring) -> Renderer:
    """Renders a reply in its author's DM: one chat.postMessage to their user id (opened with ``keys`` if anonymous)."""

    def render_reply(session: Session, rows: Sequence[Outbox], _now: datetime) -> Call:
        (row,) = rows
        target = feedback.addressee(session, int(row.payload["feedback"]))
        if target is None:
            raise Undeliverable("the feedback is gone")
        author = target.author_id or keys.open(target.reply_link)
        if author is None:
            raise Undeliverable("no key in INHOUSE_SECRET_KEY opens the way back to the anonymous author")
        message = reply_to_author(target.department_name, str(row.payload["manager"]), str(row.payload["text"]))
        return Call(POST, {"channel": author, **message.as_kwargs()})

    return render_reply


def forget(session: Session, row: Outbox, _args: Mapping[str, Any], _now: datetime) -> None:
    """An anonymous feedback's message was sent (or died): its row, which is dated, goes."""
    session.delete(row)


def note_delivered(session: Session, row: Outbox, args: Mapping[str, Any], now: datetime) -> None:
    _owe_note(session, row, args, now, delivered=True)


def note_undelivered(session: Session, row: Outbox, args: Mapping[str, Any], now: datetime) -> None:
    _owe_note(session, row, args, now, delivered=False)


def _owe_note(session: Session, row: Outbox, args: Mapping[str, Any], now: datetime, *, delivered: bool) -> None:
    """Under the feedback message: what was answered, or that it could not be. An anonymous feedback's reply row
    goes once it has owed the note, and the note's own row once it is sent."""
    message = reply_note(str(args["manager"]), str(args["text"]), delivered=delivered)
    key = f"{args['key']}:note:{'delivered' if delivered else 'undelivered'}"
    channel, thread_ts = str(args["channel"]), str(args["thread_ts"])
    if not args.get("forget"):
        owe(session, [post(key, channel, message, thread_ts=thread_ts)], now)
        return
    note = post(key, channel, message, thread_ts=thread_ts, on_sent=Hook(FORGET), on_dead=Hook(FORGET))
    owe(session, [_unsequenced(note)], feedback.day_start(session, now))
    session.delete(row)


def kinds(keys: Keyring) -> Kinds:
    """What feedback renders at send time (the reply, opened with ``keys``) and its hooks."""
    return Kinds(
        renderers={REPLY: reply_renderer(keys)},
        hooks={FORGET: forget, NOTE_DELIVERED: note_delivered, NOTE_UNDELIVERED: note_undelivered},
    )
