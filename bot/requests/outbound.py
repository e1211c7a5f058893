"""The Slack side of a request's changes: the card, its thread, the requester's DM.

Each call stands alone: a card that can no longer be updated must not stop the requester
from hearing about the change, so a failed call is logged with Slack's error and the rest go on.
"""

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.lifecycle import EventKind
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

log = logging.getLogger(__name__)


def _post(client: WebClient, channel: str, message: Message, thread_ts: str | None = None) -> str | None:
    try:
        response = client.chat_postMessage(channel=channel, thread_ts=thread_ts, **message.as_kwargs())
    except SlackApiError as error:
        log.warning("chat.postMessage to %s failed: %s", channel, error.response.get("error"))
        return None
    return str(response["ts"])


def _update(client: WebClient, channel: str, ts: str, message: Message) -> None:
    try:
        client.chat_update(channel=channel, ts=ts, **message.as_kwargs())
    except SlackApiError as error:
        log.warning("chat.update of %s/%s failed: %s", channel, ts, error.response.get("error"))


def post_card(client: WebClient, request: RequestSnapshot) -> str | None:
    """Post the card in the provider's channel; its ts, or None when Slack refused."""
    return _post(client, request.provider_channel, request_card(request))


def filed(client: WebClient, request: RequestSnapshot, *, card_posted: bool) -> None:
    _post(client, request.requester_id, filed_confirmation(request))
    if not card_posted:
        _post(client, request.requester_id, card_not_posted(request))


def changed(
    client: WebClient,
    request: RequestSnapshot,
    kind: EventKind,
    actor: str,
    note: str | None = None,
    *,
    detail: str = "",
) -> None:
    if request.card_channel and request.card_ts:
        _update(client, request.card_channel, request.card_ts, request_card(request))
        _post(client, request.card_channel, history_note(kind, actor, note, detail=detail), thread_ts=request.card_ts)
    _post(client, request.requester_id, requester_update(request, kind, actor, note))


def card_refreshed(client: WebClient, request: RequestSnapshot) -> None:
    if request.card_channel and request.card_ts:
        _update(client, request.card_channel, request.card_ts, request_card(request))


def transferred(
    client: WebClient, old: RequestSnapshot, new: RequestSnapshot, actor: str, note: str | None
) -> str | None:
    """Close the old card, post a new one in the new provider's channel; the new card's ts."""
    if old.card_channel and old.card_ts:
        _update(client, old.card_channel, old.card_ts, transferred_card(new, old.provider_name, actor))
        detail = f" to {new.provider_name}"
        _post(
            client,
            old.card_channel,
            history_note(EventKind.TRANSFERRED, actor, note, detail=detail),
            old.card_ts,
        )
    ts = post_card(client, new)
    if ts is not None:
        detail = f" here from {old.provider_name}"
        _post(client, new.provider_channel, history_note(EventKind.TRANSFERRED, actor, note, detail=detail), ts)
    _post(client, new.requester_id, requester_update(new, EventKind.TRANSFERRED, actor, note))
    return ts
