"""The Slack side of feedback: the message to its receivers, the author's confirmation, and replies.

An anonymous author is found again only through the bot's own DMs: the confirmation it sent carries a
random token in its message metadata, and the database keeps only that token's hash. To reply, the
bot reads its IM conversations for the message whose token matches, and answers in its thread.
"""

import hmac
import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.feedback import token_digest
from bot.feedback.blocks import feedback_notice, feedback_sent, reply_note, reply_to_author
from bot.feedback.service import ReplyTarget, Submitted
from bot.slack.calls import Place, post

log = logging.getLogger(__name__)

FEEDBACK_EVENT = "inhouse_feedback"
PAGE_SIZE = 200


def deliver(client: WebClient, submitted: Submitted) -> None:
    """Post the feedback to its receivers, then confirm to the author (with the reply token, if anonymous)."""
    what = f"feedback {submitted.notice.feedback_id}"
    message = feedback_notice(submitted.notice)
    for recipient in submitted.recipients:
        post(client, recipient, message, what=what)
    metadata = None
    if submitted.reply_token is not None:
        metadata = {"event_type": FEEDBACK_EVENT, "event_payload": {"token": submitted.reply_token}}
    post(client, submitted.author_id, feedback_sent(submitted.notice), what=f"{what} confirmation", metadata=metadata)


def deliver_reply(client: WebClient, target: ReplyTarget, manager: str, text: str, origin: Place) -> bool:
    """Send a manager's reply to the author, note it under the feedback; whether it reached the author."""
    what = f"reply to feedback {target.feedback_id}"
    author = _author(client, target)
    delivered = False
    if author is not None:
        channel, thread_ts = author
        message = reply_to_author(target.department_name, manager, text)
        delivered = post(client, channel, message, what=what, thread_ts=thread_ts) is not None
    note = reply_note(manager, text, delivered=delivered)
    post(client, origin.channel, note, what=f"{what} note", thread_ts=origin.ts)
    return delivered


def _author(client: WebClient, target: ReplyTarget) -> tuple[str, str | None] | None:
    """Where the author reads a reply: a DM when signed, the confirmation's thread when anonymous."""
    if target.author_id is not None:
        return target.author_id, None
    found = find_confirmation(client, target.token_digest or "")
    return (found.channel, found.ts) if found is not None else None


def find_confirmation(client: WebClient, digest: str) -> Place | None:
    """The bot's DM message whose reply token hashes to ``digest``, if it still exists."""
    try:
        for page in client.users_conversations(types="im", limit=PAGE_SIZE):
            for channel in page["channels"]:
                ts = _confirmation_in(client, str(channel["id"]), digest)
                if ts is not None:
                    return Place(str(channel["id"]), ts)
    except SlackApiError as error:
        log.warning("Could not look for an anonymous author's conversation: %s", error.response.get("error"))
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
