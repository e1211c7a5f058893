"""What a handler refuses to do, and how it tells the user: privately, where the click happened."""

from typing import Any, overload

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.domain.lifecycle import TransitionError
from bot.errors import NotAllowed, NotFound

REFUSALS = (NotAllowed, NotFound, TransitionError)


@overload
def refuse(respond: Respond, reason: Exception) -> None: ...


@overload
def refuse(respond: WebClient, reason: dict[str, Any], legacy_reason: Exception) -> None: ...


def refuse(
    respond: Respond | WebClient, reason: Exception | dict[str, Any], legacy_reason: Exception | None = None
) -> None:
    """Answer the click with the reason, seen only by the person who clicked (through the click's response_url).

    Nothing is owed to Slack: a refusal changes nothing, and the response_url is the click's own way back.
    ``refuse(client, body, reason)``, the older form, answers through the body's response_url the same way;
    it goes once handlers/feedback.py passes ``respond``.
    """
    if isinstance(respond, WebClient):
        assert isinstance(reason, dict)
        assert legacy_reason is not None
        respond, reason = Respond(response_url=reason.get("response_url")), legacy_reason
    assert isinstance(reason, Exception)
    respond(text=str(reason), response_type="ephemeral", replace_original=False)
