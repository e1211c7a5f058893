"""What a handler refuses to do, and how it tells the user: privately, where the click happened."""

import logging
from typing import Any

from slack_bolt import Respond
from slack_sdk.webhook import WebhookResponse

from bot.domain.lifecycle import TransitionError
from bot.errors import NotAllowed, NotFound
from bot.slack.payloads import Malformed

log = logging.getLogger(__name__)

REFUSALS = (NotAllowed, NotFound, TransitionError)

UNREADABLE_CLICK = (
    "Inhouse could not read that click, so nothing was changed. If you clicked a button of Inhouse's, "
    "try again; if it keeps happening, tell your Inhouse admin."
)
UNREADABLE_FORM = "Inhouse could not read this form, so nothing was saved. Close it and start again from Slack."


class Private(Respond):
    """``respond`` that answers only the person who clicked and never raises.

    A payload without a response_url (or with one that does not answer) gets no answer, and a line in the log.
    """

    def __init__(self, respond: Respond) -> None:
        super().__init__(response_url=respond.response_url, proxy=respond.proxy, ssl=respond.ssl)

    def __call__(self, text: str | dict[str, Any] = "", *args: Any, **kwargs: Any) -> WebhookResponse:
        if not self.response_url:
            log.info("Could not answer privately: the payload has no response_url")
            return WebhookResponse(url="", status_code=0, body="", headers={})
        try:
            return super().__call__(text, *args, **kwargs)
        except Exception as failure:  # an answer that cannot be given must not fail the listener
            log.warning("Could not answer privately through the response_url: %s", type(failure).__name__)
            return WebhookResponse(url="", status_code=0, body="", headers={})


def private(respond: Respond) -> Private:
    return respond if isinstance(respond, Private) else Private(respond)


def refuse(respond: Respond, reason: Exception) -> None:
    """Answer the click with the reason, seen only by the person who clicked (through the click's response_url).

    Nothing is owed to Slack: a refusal changes nothing, and the response_url is the click's own way back.
    """
    private(respond)(text=str(reason), response_type="ephemeral", replace_original=False)


def unreadable(respond: Respond, what: str, malformed: Malformed) -> None:
    """A click whose payload could not be read: a line in the log (no values), a polite private answer."""
    log.info("Ignored a %s that could not be read: %s", what, malformed.reason)
    private(respond)(text=UNREADABLE_CLICK, response_type="ephemeral", replace_original=False)


def unreadable_form(what: str, malformed: Malformed) -> None:
    """A modal's submission that could not be read: the line in the log; the caller shows UNREADABLE_FORM."""
    log.info("Refused a %s that could not be read: %s", what, malformed.reason)
