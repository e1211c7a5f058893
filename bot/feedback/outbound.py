"""What feedback owes Slack: the notice to its receivers, the author's confirmation, a manager's reply and its note.

Each is an outbox row written in the transaction that decided it (``bot.slack.outbox``); the sender delivers it
once. An anonymous author is found again only through the bot's own DMs: the confirmation carries a random token
in its message metadata, and the database keeps only that token's hash. A reply is rendered when it is sent: for
anonymous feedback its renderer reads the bot's IM conversations for the message whose token matches and answers
in its thread, and the reply cannot be delivered when none does. The note under the feedback message says whether
the reply reached its author: the reply's row owes it once it is sent, or once it has died.

While it is owed, an anonymous author's confirmation is the one row that names the author (and holds the token);
once it is sent, or has died, it forgets both, so nothing stored leads from the feedback to its author.
"""

import hmac
import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from sqlmodel import Session

from bot.domain.feedback import token_digest
from bot.feedback import service as feedback
from bot.feedback.blocks import feedback_notice, feedback_sent, reply_note, reply_to_author
from bot.feedback.form_input import Origin
from bot.feedback.service import ReplyTarget, Submitted
from bot.slack.outbox import POST, Hook, Owed, dm_lane, owe, post
from bot.slack.sender import Call, Kinds, Undeliverable, slack
from storage.models import Outbox

FEEDBACK_EVENT = "inhouse_feedback"
PAGE_SIZE = 200
CONFIRMATION = "feedback_confirmation"  # an anonymous author's, forgotten once sent
REPLY = "feedback_reply"
FORGET_AUTHOR = "feedback_forget_author"
NOTE_DELIVERED, NOTE_UNDELIVERED = "feedback_reply_delivered", "feedback_reply_undelivered"


def owe_submitted(session: Session, submitted: Submitted, now: datetime) -> int:
    """The feedback to its receivers, and the confirmation to its author (with the reply token, if anonymous)."""
    feedback_id = submitted.notice.feedback_id
    notice = feedback_notice(submitted.notice)
    owed = [post(f"feedback:{feedback_id}:notice:{to}", to, notice) for to in submitted.recipients]
    owed.append(_confirmation(submitted))
    return owe(session, owed, now)


def _confirmation(submitted: Submitted) -> Owed:
    message = feedback_sent(submitted.notice)
    if submitted.reply_token is None:
        return post(f"feedback:{submitted.notice.feedback_id}:confirmation", submitted.author_id, message)
    metadata = {"event_type": FEEDBACK_EVENT, "event_payload": {"token": submitted.reply_token}}
    call = post("", submitted.author_id, message, metadata=metadata)
    # The key names no feedback; the lane is the replies' (they wait for it), until the row forgets it.
    key = f"feedback:anonymous:{secrets.token_hex(16)}:confirmation"
    lane, forget = _author_lane(submitted.notice.feedback_id), Hook(FORGET_AUTHOR)
    return Owed(key, call.recipient, CONFIRMATION, call.payload, lane=lane, on_sent=forget, on_dead=forget)


def _author_lane(feedback_id: int) -> str:
    """An anonymous author's confirmation, then the replies to them: a reply waits for the confirmation."""
    return f"feedback:{feedback_id}"


def owe_reply(
    session: Session, target: ReplyTarget, manager: str, text: str, origin: Origin, reply_id: str, now: datetime
) -> int:
    """A manager's reply to the author (found when it is sent); ``reply_id`` makes a double submit one reply.

    Once the reply is sent, or has died, its row owes the note under the feedback message that says which.
    """
    key = f"feedback_reply:{reply_id}"
    payload = {"feedback": target.feedback_id, "manager": manager, "text": text}
    if target.author_id is not None:
        recipient, lane = target.author_id, dm_lane(target.author_id)  # after the confirmation, as any DM
    else:  # where the author reads it is found in Slack when it is sent
        recipient = lane = _author_lane(target.feedback_id)
    note = {"key": key, "channel": origin.channel, "thread_ts": origin.ts, "manager": manager, "text": text}
    reply = Owed(
        key,
        recipient,
        REPLY,
        payload,
        lane=lane,
        on_sent=Hook(NOTE_DELIVERED, note),
        on_dead=Hook(NOTE_UNDELIVERED, note),
    )
    return owe(session, [reply], now)


# --- at send time -----------------------------------------------------------------------------------------------


def render_confirmation(_session: Session, rows: Sequence[Outbox], _now: datetime) -> Call:
    (row,) = rows
    if "args" not in row.payload:
        raise Undeliverable("an anonymous author's confirmation is not kept once it was sent or died")
    return Call(str(row.payload["method"]), dict(row.payload["args"]))


def forget_author(session: Session, row: Outbox, _args: Mapping[str, Any], _now: datetime) -> None:
    """The confirmation has been sent (or died): keep nothing of whom it went to, nor of its token."""
    row.recipient = row.lane = "-"
    row.payload, row.ts = {}, None
    session.add(row)


def render_reply(session: Session, rows: Sequence[Outbox], _now: datetime) -> Call:
    """The reply where its author reads it: their DM, or the thread of an anonymous author's confirmation."""
    (row,) = rows
    target = feedback.addressee(session, int(row.payload["feedback"]))
    if target is None:
        raise Undeliverable("the feedback is gone")
    message = reply_to_author(target.department_name, str(row.payload["manager"]), str(row.payload["text"]))
    if target.author_id is not None:
        return Call(POST, {"channel": target.author_id, **message.as_kwargs()})
    found = find_confirmation(slack(), target.token_digest or "")
    if found is None:
        raise Undeliverable("the anonymous author's confirmation is gone")
    return Call(POST, {"channel": found.channel, "thread_ts": found.ts, **message.as_kwargs()})


def note_delivered(session: Session, _row: Outbox, args: Mapping[str, Any], now: datetime) -> None:
    owe(session, [_note(args, delivered=True)], now)


def note_undelivered(session: Session, _row: Outbox, args: Mapping[str, Any], now: datetime) -> None:
    owe(session, [_note(args, delivered=False)], now)


def _note(args: Mapping[str, Any], *, delivered: bool) -> Owed:
    """Under the feedback message: what was answered, or that it could not be."""
    message = reply_note(str(args["manager"]), str(args["text"]), delivered=delivered)
    suffix = "delivered" if delivered else "undelivered"
    return post(f"{args['key']}:note:{suffix}", str(args["channel"]), message, thread_ts=str(args["thread_ts"]))


def find_confirmation(client: WebClient, digest: str) -> Origin | None:
    """The bot's DM message whose reply token hashes to ``digest``, if it still exists.

    Slack's errors are raised: the sender tries the reply again later, or gives it up.
    """
    for page in client.users_conversations(types="im", limit=PAGE_SIZE):
        for channel in page["channels"]:
            ts = _confirmation_in(client, str(channel["id"]), digest)
            if ts is not None:
                return Origin(str(channel["id"]), ts)
    return None


def _confirmation_in(client: WebClient, channel: str, digest: str) -> str | None:
    for page in client.conversations_history(channel=channel, include_all_metadata=True, limit=PAGE_SIZE):
        for message in page["messages"]:
            if _carries(message, digest):
                return str(message["ts"])
    return None


def _carries(message: dict[str, Any], digest: str) -> bool:
    metadata = message.get("metadata") or {}
    token = (metadata.get("event_payload") or {}).get("token")
    if metadata.get("event_type") != FEEDBACK_EVENT or not isinstance(token, str):
        return False
    return hmac.compare_digest(token_digest(token), digest)


KINDS = Kinds(
    renderers={CONFIRMATION: render_confirmation, REPLY: render_reply},
    hooks={FORGET_AUTHOR: forget_author, NOTE_DELIVERED: note_delivered, NOTE_UNDELIVERED: note_undelivered},
)
