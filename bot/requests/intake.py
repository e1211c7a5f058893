"""Requests from where people already talk: a message in a department's channel, filed by the department's intake
emoji (``[departments.X] intake_emoji``), from the message's author, at normal priority; the answer goes in the
message's thread with a link to the card once it is posted. A message is filed once, however often people react:
its request's ``view_id`` is ``reaction:{channel}:{ts}``, which is unique.
"""

from collections.abc import Sequence
from datetime import datetime

from slack_sdk.models.blocks import SectionBlock
from sqlmodel import Session

from bot.domain.lifecycle import Priority
from bot.requests import service as requests
from bot.requests.outbound import owe_about
from bot.requests.request_modal import DESCRIPTION_MAX
from bot.requests.service import RequestDraft, RequestSnapshot, Source
from bot.slack.message import Message
from bot.slack.messages import ChannelMessage
from bot.slack.outbox import POST, Owed, request_lane
from bot.slack.sender import Call, Kinds, Undeliverable
from bot.slack.text import escape, escaped, permalink, request_ref, user
from storage import org_snapshot
from storage.models import Outbox, Request

FILED_REPLY = "intake_reply"  # the answer under the reacted message, rendered once the card is posted
NO_TEXT = "(The message has no text: see the message this request was filed from.)"


def reaction_key(channel: str, ts: str) -> str:
    return f"reaction:{channel}:{ts}"


def department_for(session: Session, channel: str, emoji: str) -> str | None:
    """The active department whose own channel ``channel`` is and whose intake emoji ``emoji`` is (in any skin
    tone: ``+1::skin-tone-2`` is ``+1``), if one."""
    for department in org_snapshot.current(session).departments.values():
        if department.active and department.channel == channel and department.intake_emoji == emoji.split("::")[0]:
            return department.id
    return None


def already_filed(session: Session, channel: str, ts: str) -> bool:
    return requests.filed_from(session, reaction_key(channel, ts)) is not None


def draft_from(department_id: str, message: ChannelMessage, link: str) -> RequestDraft:
    text = message.text.strip()
    description = text if len(text) <= DESCRIPTION_MAX else text[: DESCRIPTION_MAX - 1] + "…"
    return RequestDraft(
        provider_id=department_id,
        priority=Priority.NORMAL,
        description=description or NO_TEXT,
        source=Source(message.channel, message.ts, link),
    )


def answer_in_thread(session: Session, request: RequestSnapshot, message: ChannelMessage, now: datetime) -> None:
    """Owe the answer under the reacted message, in the request's lane: it goes once the card has gone."""
    reply = Owed(
        f"request:{request.number}:intake-reply",
        message.channel,
        kind=FILED_REPLY,
        payload={"thread_ts": message.thread_ts or message.ts},
        lane=request_lane(request.number),
    )
    owe_about(session, request.number, [reply], now)


def filed_reply(request: RequestSnapshot) -> Message:
    """The answer under the reacted message: the request's number, linked to its card once it is posted."""
    number = request_ref(request.number)
    where, follow = f"*{number}*", ""
    if request.card_channel is not None and request.card_ts is not None:
        where, follow = f"<{permalink(request.card_channel, request.card_ts)}|{number}>", " Follow it on its card."
    text = f"Filed as {where} for *{escape(request.provider_name)}*, from {user(request.requester_id)}.{follow}"
    fallback = f"Filed as {number} for {escaped(request.provider_name, 200)}."
    return Message(text=fallback, blocks=[SectionBlock(text=text)])


def render_filed_reply(session: Session, rows: Sequence[Outbox], _now: datetime) -> Call:
    (row,) = rows
    request = session.get(Request, row.request_id) if row.request_id is not None else None
    if request is None:
        raise Undeliverable("the request is gone")
    message = filed_reply(requests.snapshot(session, request))
    return Call(POST, {"channel": row.recipient, "thread_ts": row.payload["thread_ts"], **message.as_kwargs()})


KINDS = Kinds(renderers={FILED_REPLY: render_filed_reply})
