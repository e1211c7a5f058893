"""What a handler refuses to do, and how it tells the user: privately, where the click happened."""

from typing import Any

from slack_sdk import WebClient

from bot.domain.lifecycle import TransitionError
from bot.errors import NotAllowed, NotFound

REFUSALS = (NotAllowed, NotFound, TransitionError)


def refuse(client: WebClient, body: dict[str, Any], reason: Exception) -> None:
    """An ephemeral message in the channel of the click (or the DM of an alert, a rating prompt, a retro action)."""
    client.chat_postEphemeral(channel=body["channel"]["id"], user=body["user"]["id"], text=str(reason))
