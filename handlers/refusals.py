"""What a handler refuses to do, and how it tells the user: privately, where the click happened."""

from slack_bolt import Respond

from bot.domain.lifecycle import TransitionError
from bot.errors import NotAllowed, NotFound

REFUSALS = (NotAllowed, NotFound, TransitionError)


def refuse(respond: Respond, reason: Exception) -> None:
    """Answer the click with the reason, seen only by the person who clicked (through the click's response_url).

    Nothing is owed to Slack: a refusal changes nothing, and the response_url is the click's own way back.
    """
    respond(text=str(reason), response_type="ephemeral", replace_original=False)
