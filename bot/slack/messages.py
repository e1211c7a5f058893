"""Reading one message people wrote in a channel, and its link: what a request turned from a message needs.

Reads only (``conversations.history``/``replies``, ``chat.getPermalink``); errors are slack_sdk's. The client's
retry handlers (bot.slack.client) wait out a 429 and retry dropped connections.
"""

import re
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from bot.slack.payloads import is_user_id

PEOPLES_SUBTYPES = frozenset({"thread_broadcast", "file_share", "me_message"})  # what a person's own messages carry
_DOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


@dataclass(frozen=True)
class ChannelMessage:
    channel: str
    ts: str
    thread_ts: str | None  # the thread it is a reply in (its own ts for a thread's parent)
    author: str | None  # a user id; None for a bot's message
    text: str

    @property
    def by_person(self) -> bool:
        return self.author is not None


def from_payload(channel: str, message: dict[str, Any]) -> ChannelMessage:
    """A message as Slack shows it (an event's, a shortcut's or the history's), its author only if a person."""
    subtype, user = message.get("subtype"), message.get("user")
    person = is_user_id(user) and not message.get("bot_id") and (subtype is None or subtype in PEOPLES_SUBTYPES)
    thread_ts = message.get("thread_ts")
    text = message.get("text")
    return ChannelMessage(
        channel=channel,
        ts=str(message.get("ts")),
        thread_ts=thread_ts if isinstance(thread_ts, str) else None,
        author=user if person and isinstance(user, str) else None,
        text=text if isinstance(text, str) else "",
    )


def fetch(client: WebClient, channel: str, ts: str) -> ChannelMessage | None:
    """The message at ``ts``: from the history (a top-level message), else from its thread (a reply); None if gone.

    As Slack advises for one message: the history with ``latest`` = ``ts``, ``inclusive``, ``limit`` 1; a reply
    is not in the history, and ``conversations.replies`` with a reply's ts answers with that reply.
    """
    top = client.conversations_history(channel=channel, latest=ts, oldest=ts, inclusive=True, limit=1)
    found = _at(channel, ts, top.get("messages"))
    if found is not None:
        return found
    reply = client.conversations_replies(channel=channel, ts=ts, latest=ts, oldest=ts, inclusive=True, limit=1)
    return _at(channel, ts, reply.get("messages"))


def _at(channel: str, ts: str, messages: object) -> ChannelMessage | None:
    for message in messages if isinstance(messages, list) else []:
        if isinstance(message, dict) and message.get("ts") == ts:
            return from_payload(channel, message)
    return None


def permalink(client: WebClient, channel: str, ts: str) -> str:
    return str(client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])


def link_in(domain: str, message: ChannelMessage) -> str | None:
    """The message's link in the workspace ``domain`` (``acme`` for acme.slack.com), built as Slack builds it;
    None if ``domain`` is not a workspace domain."""
    if not _DOMAIN.fullmatch(domain):
        return None
    link = f"https://{domain}.slack.com/archives/{message.channel}/p{message.ts.replace('.', '')}"
    if message.thread_ts and message.thread_ts != message.ts:
        link += f"?thread_ts={message.thread_ts}&cid={message.channel}"
    return link
