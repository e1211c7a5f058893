"""Opening a modal from a trigger (and what to tell the user when Slack no longer accepts it), updating an open one."""

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


GONE_OR_NEWER = ("hash_conflict", "not_found")


def update_modal(client: WebClient, view_id: str, view_hash: str, view: View) -> bool:
    """Replace the open modal ``view_id`` as it was at ``view_hash``. Whether it was replaced: not when the person
    closed it, or when a newer update already replaced it (their later choice, whose own update follows)."""
    try:
        client.views_update(view_id=view_id, hash=view_hash, view=view)
    except SlackApiError as error:
        if error.response.get("error") not in GONE_OR_NEWER:
            raise
        return False
    return True
