"""Posting and updating messages where a refusal must not stop what comes next.

A refusal is logged with what the message was for and Slack's error code, never with its channel
(for a DM that is a user id) or its text.
"""

import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.message import Message

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Place:
    """Where a message is: for a thread under it, or to update it."""

    channel: str
    ts: str


def post(
    client: WebClient,
    channel: str,
    message: Message,
    *,
    what: str,
    thread_ts: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> str | None:
    """Post ``message``; its ts, or None when Slack refused."""
    try:
        kwargs = message.as_kwargs()
        response = client.chat_postMessage(channel=channel, thread_ts=thread_ts, metadata=metadata, **kwargs)
    except SlackApiError as error:
        log.warning("Could not post %s: %s", what, error.response.get("error"))
        return None
    return str(response["ts"])


def update(client: WebClient, channel: str, ts: str, message: Message, *, what: str) -> None:
    try:
        client.chat_update(channel=channel, ts=ts, **message.as_kwargs())
    except SlackApiError as error:
        log.warning("Could not update %s: %s", what, error.response.get("error"))
