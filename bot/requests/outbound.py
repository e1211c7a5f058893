"""What a request's changes owe Slack: its card, the card's updates and thread notes, the requester's DMs.

Each builder owes its messages in the caller's transaction (``bot.slack.outbox``), the one that made the change;
the sender delivers each once after the commit. The card and its updates are rendered when they are sent, so
they show the request as it is then. A card's rows, its updates and its thread notes share the request's lane,
so they go in the order they were owed. Keys come from the request's log: one event, one set of messages, however
often Slack delivers the click or the event that made it.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.domain.lifecycle import EventKind
from bot.requests import service as requests
from bot.requests.card import (
    card_not_posted,
    filed_confirmation,
    history_note,
    request_card,
    requester_update,
    transferred_card,
)
from bot.requests.service import RequestSnapshot
from bot.slack.message import Message
from bot.slack.outbox import POST, UPDATE, Hook, Owed, owe, post, request_lane, update
from bot.slack.sender import Call, Kinds, Undeliverable
from storage import outbox
from storage.models import Outbox, Request

CARD = "request_card"  # a request's card, posted as the request is when it is sent
CARD_UPDATE = "request_card_update"  # the card replaced by the request as it is when it is sent
ATTACH_CARD, CARD_NOT_POSTED = "attach_card", "card_not_posted"


@dataclass(frozen=True)
class Card:
    """Where a request's card is: its ts once posted, else the outbox row that will post it (``key``)."""

    channel: str
    ts: str | None
    key: str | None


def current_card(session: Session, request: RequestSnapshot) -> Card | None:
    """The request's card, posted or still owed; None when there is none (Slack refused it for good)."""
    if request.card_channel and request.card_ts:
        return Card(request.card_channel, request.card_ts, request.card_key)
    row = outbox.by_key(session, request.card_key) if request.card_key else None
    if row is None or row.status == outbox.DEAD:
        return None
    return Card(row.recipient, None, row.key)


def in_thread(key: str, number: int, card: Card, message: Message) -> Owed:
    """A reply in the card's thread: under its ts, or under the row that posts it once it is posted."""
    if card.ts is not None:
        return post(key, card.channel, message, lane=request_lane(number), thread_ts=card.ts)
    return post(key, card.channel, message, lane=request_lane(number), thread_of=card.key)


def card_refresh(key: str, number: int, card: Card) -> Owed:
    """The card replaced by the request as it is when this goes out."""
    payload: dict[str, Any] = {"number": number, "parent_field": "ts"}
    if card.ts is not None:
        payload["ts"] = card.ts
    return Owed(
        key,
        card.channel,
        kind=CARD_UPDATE,
        payload=payload,
        lane=request_lane(number),
        parent_key=None if card.ts is not None else card.key,
        request_id=number,
    )


def _new_card(request: RequestSnapshot) -> Owed:
    assert request.card_key is not None, "a request is filed (or transferred) with the key of its card"
    return Owed(
        request.card_key,
        request.provider_channel,
        kind=CARD,
        payload={"number": request.number},
        lane=request_lane(request.number),
        request_id=request.number,
        on_sent=Hook(ATTACH_CARD, {"number": request.number}),
        on_dead=Hook(CARD_NOT_POSTED, {"number": request.number}),
    )


def _event_key(request: RequestSnapshot) -> str:
    return f"request:{request.number}:event:{request.event_id}"


def owe_about(session: Session, number: int, messages: Sequence[Owed], now: datetime) -> None:
    """Owe messages about request ``number``: each row names it (and rows alike go in one INSERT)."""
    owe(session, [replace(message, request_id=number) for message in messages], now)


# --- what each change owes ---------------------------------------------------------------------------------------


def filed(session: Session, request: RequestSnapshot, now: datetime) -> None:
    """A new request: its card in the provider's channel, and the requester's confirmation (one INSERT: rows
    with the same columns set go in one statement)."""
    confirmation = post(f"request:{request.number}:filed", request.requester_id, filed_confirmation(request))
    owe_about(session, request.number, [_new_card(request), confirmation], now)


def changed(
    session: Session,
    request: RequestSnapshot,
    kind: EventKind,
    actor: str,
    now: datetime,
    note: str | None = None,
    *,
    detail: str = "",
) -> None:
    """A change on the card (acknowledge, pause, resume, reopen, take, priority, resolve): the card shows it,
    its thread keeps it, the requester hears of it. Nothing when nothing changed (no event)."""
    if request.event_id is None:
        return
    key = _event_key(request)
    messages = []
    card = current_card(session, request)
    if card is not None:
        messages.append(card_refresh(f"{key}:card", request.number, card))
        messages.append(in_thread(f"{key}:note", request.number, card, history_note(kind, actor, note, detail=detail)))
    messages.append(post(f"{key}:dm", request.requester_id, requester_update(request, kind, actor, note)))
    owe_about(session, request.number, messages, now)


def replied(session: Session, request: RequestSnapshot, now: datetime) -> None:
    """A reply in the card's thread that changed the request (the provider's first, the requester's answer while
    it waits on them): the card shows it."""
    card = current_card(session, request)
    if request.event_id is not None and card is not None:
        owe_about(session, request.number, [card_refresh(f"{_event_key(request)}:card", request.number, card)], now)


def transferred(
    session: Session, old: RequestSnapshot, new: RequestSnapshot, actor: str, note: str | None, now: datetime
) -> None:
    """The old card says where the request went, a new card in the new provider's channel, the requester hears."""
    key, number = _event_key(new), new.number
    messages = []
    card = current_card(session, old)
    if card is not None:
        closed = transferred_card(new, old.provider_name, actor)
        lane = request_lane(number)
        closing = (
            update(f"{key}:card", card.channel, closed, ts=card.ts, lane=lane)
            if card.ts is not None
            else update(f"{key}:card", card.channel, closed, of=card.key, lane=lane)
        )
        away = history_note(EventKind.TRANSFERRED, actor, note, detail=f" to {new.provider_name}")
        messages += [closing, in_thread(f"{key}:note", number, card, away)]
    new_card = _new_card(new)
    here = history_note(EventKind.TRANSFERRED, actor, note, detail=f" here from {old.provider_name}")
    messages += [
        new_card,
        in_thread(f"{key}:new-note", number, Card(new.provider_channel, None, new_card.key), here),
        post(f"{key}:dm", new.requester_id, requester_update(new, EventKind.TRANSFERRED, actor, note)),
    ]
    owe_about(session, number, messages, now)


# --- rendered at send time, and what is recorded once sent ----------------------------------------------------------


def _request(session: Session, row: Outbox) -> RequestSnapshot:
    request = session.get(Request, row.request_id) if row.request_id is not None else None
    if request is None:
        raise Undeliverable("the request is gone")
    return requests.snapshot(session, request)


def render_card(session: Session, rows: Sequence[Outbox], _now: datetime) -> Call:
    (row,) = rows
    return Call(POST, {"channel": row.recipient, **request_card(_request(session, row)).as_kwargs()})


def render_card_update(session: Session, rows: Sequence[Outbox], _now: datetime) -> Call:
    """The ts is the row's, or the card's it updates (filled in by the sender from its parent row)."""
    (row,) = rows
    args = {"channel": row.recipient, **request_card(_request(session, row)).as_kwargs()}
    if "ts" in row.payload:
        args["ts"] = row.payload["ts"]
    return Call(UPDATE, args)


def attach_card(session: Session, row: Outbox, args: Mapping[str, Any], _now: datetime) -> None:
    """The card is posted: its place, on the request (for replies in its thread, the SLA notes, later updates)."""
    if row.ts is not None:
        requests.attach_card(session, int(args["number"]), row.key, row.recipient, row.ts)


def tell_card_not_posted(session: Session, row: Outbox, args: Mapping[str, Any], now: datetime) -> None:
    """Slack refused the card for good: the request is saved, and the requester hears so."""
    request = session.get(Request, int(args["number"]))
    if request is None:
        return
    snapshot = requests.snapshot(session, request)
    sorry = post(f"{row.key}:not-posted", snapshot.requester_id, card_not_posted(snapshot))
    owe_about(session, snapshot.number, [sorry], now)


KINDS = Kinds(
    renderers={CARD: render_card, CARD_UPDATE: render_card_update},
    hooks={ATTACH_CARD: attach_card, CARD_NOT_POSTED: tell_card_not_posted},
)
