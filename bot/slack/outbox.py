"""What a change owes Slack, as outbox rows written in the change's own transaction.

A feature says what it owes with these builders and ``owe()``s them in its session; the sender
(``bot.slack.sender``) delivers each exactly once after the commit. A message is either rendered now
(``post``, ``update``, ``ephemeral``: the Web API call is stored) or rendered when it is sent, by the
renderer its feature registered for its ``kind`` (a card, which should show the request as it is then).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.slack.message import Message
from storage import outbox

CALL = "call"  # the kind of a row that stores its Web API call as it is to be made
POST, UPDATE, EPHEMERAL = "chat.postMessage", "chat.update", "chat.postEphemeral"
SHARE = "files.completeUploadExternal"  # a file shared in a conversation (bot.slack.files.share renders it)


@dataclass(frozen=True)
class Hook:
    """Something to record once a message is sent (with its ts) or has died: a hook name and its arguments."""

    name: str
    args: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "args": self.args}


@dataclass(frozen=True)
class Owed:
    """One message owed to Slack. ``key`` makes it idempotent: the same key twice is one message."""

    key: str
    recipient: str  # the conversation: a channel id, or a user id for a DM
    kind: str = CALL
    payload: dict[str, Any] = field(default_factory=dict)
    lane: str | None = None  # messages of one lane go in order; default: one lane per recipient
    parent_key: str | None = None  # thread under (or update) the message this row posts
    deliver_after: datetime | None = None
    request_id: int | None = None
    on_sent: Hook | None = None
    on_dead: Hook | None = None

    def row(self, now: datetime) -> dict[str, Any]:
        payload = dict(self.payload)
        if self.on_sent is not None:
            payload["on_sent"] = self.on_sent.as_json()
        if self.on_dead is not None:
            payload["on_dead"] = self.on_dead.as_json()
        return {
            "key": self.key,
            "kind": self.kind,
            "recipient": self.recipient,
            "lane": self.lane or self.recipient,
            "parent_key": self.parent_key,
            "payload": payload,
            "deliver_after": self.deliver_after or now,
            "created_at": now,
            "request_id": self.request_id,
        }


def dm_lane(user_id: str) -> str:
    """A person's DMs go in the order they were owed."""
    return f"dm:{user_id}"


def request_lane(number: int | None) -> str:
    """A request's card, its updates and its thread notes go in the order they were owed."""
    return f"request:{number}"


def post(
    key: str,
    channel: str,
    message: Message,
    *,
    lane: str | None = None,
    thread_of: str | None = None,
    thread_ts: str | None = None,
    broadcast: bool = False,
    metadata: dict[str, Any] | None = None,
    on_sent: Hook | None = None,
    on_dead: Hook | None = None,
) -> Owed:
    """A new message in ``channel`` (a user id: their DM), in the thread of ``thread_ts`` or of row ``thread_of``."""
    args: dict[str, Any] = {"channel": channel, **message.as_kwargs()}
    if thread_ts:
        args["thread_ts"] = thread_ts
    if broadcast:
        args["reply_broadcast"] = True
    if metadata:
        args["metadata"] = metadata
    if lane is None and channel.startswith(("U", "W")):
        lane = dm_lane(channel)
    payload = {"method": POST, "args": args, "parent_field": "thread_ts"}
    return Owed(key, channel, payload=payload, lane=lane, parent_key=thread_of, on_sent=on_sent, on_dead=on_dead)


def post_each(recipients: Mapping[str, str], message: Message) -> list[Owed]:
    """The same new message to many conversations (``recipients``: key -> channel, or user id: their DM), rendered
    once: a fan-out to thousands of people builds its blocks one time, not one time each."""
    content = message.as_kwargs()
    return [
        Owed(
            key,
            channel,
            payload={"method": POST, "args": {"channel": channel, **content}, "parent_field": "thread_ts"},
            lane=dm_lane(channel) if channel.startswith(("U", "W")) else None,
        )
        for key, channel in recipients.items()
    ]


def update(
    key: str, channel: str, message: Message, *, ts: str | None = None, of: str | None = None, lane: str | None = None
) -> Owed:
    """Replace the message at ``ts``, or the one row ``of`` posted (after it has been posted)."""
    if (ts is None) == (of is None):
        raise ValueError("an update names the message it replaces: its ts, or the row that posts it")
    args: dict[str, Any] = {"channel": channel, **message.as_kwargs()}
    if ts is not None:
        args["ts"] = ts
    payload = {"method": UPDATE, "args": args, "parent_field": "ts"}
    return Owed(key, channel, payload=payload, lane=lane or f"message:{of or ts}", parent_key=of)


def ephemeral(key: str, channel: str, user: str, message: Message) -> Owed:
    args = {"channel": channel, "user": user, **message.as_kwargs()}
    return Owed(key, channel, payload={"method": EPHEMERAL, "args": args}, lane=f"ephemeral:{key}")


def owe(session: Session, messages: Iterable[Owed], now: datetime) -> int:
    """Write the messages in the caller's transaction; how many were new (a key already owed is skipped)."""
    return outbox.enqueue_many(session, [message.row(now) for message in messages])
