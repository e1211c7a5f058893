"""Opening a modal from a trigger, and what to tell the user when Slack no longer accepts it."""

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View

TRIGGER_GONE = ("expired_trigger_id", "exchanged_trigger_id", "invalid_trigger_id")
TOO_SLOW = "Slack gave up waiting for the form to open. Nothing was changed: please try again."


def open_modal(client: WebClient, respond: Respond, trigger_id: str, view: View) -> bool:
    """Open ``view``; when the trigger is spent, say so to the user privately. Whether it opened."""
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as error:
        if error.response.get("error") not in TRIGGER_GONE:
            raise
        respond(text=TOO_SLOW, response_type="ephemeral", replace_original=False)
        return False
    return True
