"""The Slack side of retros: the prompt, its counts, the summary in its thread, and the owners' DMs.

A prompt carries its retro's id in its metadata, so a sender that takes over a lapsed claim finds a
prompt that was posted but never recorded instead of posting a second one.
"""

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.retros.prompt_blocks import prompt
from bot.retros.summary_blocks import assigned_dm, done_dm, nudge_dm, summary_messages
from bot.retros.views import ActionView, RetroView, Summary
from bot.slack.calls import post, update

log = logging.getLogger(__name__)

RETRO_EVENT = "inhouse_retro"
PAGE_SIZE = 200


def post_prompt(client: WebClient, retro: RetroView, *, retried: bool = False) -> str | None:
    """Post the prompt (or find the one a vanished sender posted); its ts, or None if Slack refused."""
    if retried:
        found = _posted(client, retro)
        if found is not None:
            return found
    metadata = {"event_type": RETRO_EVENT, "event_payload": {"retro": retro.id}}
    return post(client, retro.channel, prompt(retro), what=f"retro {retro.id} prompt", metadata=metadata)


def refresh_prompt(client: WebClient, retro: RetroView) -> None:
    if retro.prompt_ts is not None:
        update(client, retro.channel, retro.prompt_ts, prompt(retro), what=f"retro {retro.id} prompt")


def post_summary(client: WebClient, summary: Summary) -> str | None:
    """The summary in the prompt's thread (several messages if it is long); then the prompt shows it closed."""
    retro = summary.retro
    first = None
    for message in summary_messages(summary):
        ts = post(client, retro.channel, message, what=f"retro {retro.id} summary", thread_ts=retro.prompt_ts)
        first = first or ts
    refresh_prompt(client, retro)
    return first


def assigned(client: WebClient, action: ActionView) -> None:
    post(client, action.owner_id, assigned_dm(action), what=f"retro action {action.id} assignment")


def nudge(client: WebClient, action: ActionView) -> None:
    post(client, action.owner_id, nudge_dm(action), what=f"retro action {action.id} nudge")


def mark_done(client: WebClient, action: ActionView, channel: str, ts: str) -> None:
    """The DM whose button was clicked now says it is done."""
    update(client, channel, ts, done_dm(action), what=f"retro action {action.id} DM")


def _posted(client: WebClient, retro: RetroView) -> str | None:
    oldest = f"{retro.opened_at.timestamp():.6f}"
    try:
        for page in client.conversations_history(
            channel=retro.channel, oldest=oldest, include_all_metadata=True, limit=PAGE_SIZE
        ):
            for message in page["messages"]:
                metadata = message.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == RETRO_EVENT and payload.get("retro") == retro.id:
                    return str(message["ts"])
    except SlackApiError as error:
        log.warning("Could not look for retro %s's prompt: %s", retro.id, error.response.get("error"))
    return None
