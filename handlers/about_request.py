"""Reading a click or a modal submission about one request, for the handlers that work requests; each reader
answers the person itself (privately, or as a form error) when the payload cannot be read, and returns None.
"""

from typing import Any

from slack_bolt import Ack, Respond

from bot.ids import BlockId
from bot.slack import payloads
from bot.slack.payloads import Malformed
from handlers.refusals import UNREADABLE_FORM, unreadable, unreadable_form


def modal_click(body: dict[str, Any], respond: Respond, what: str) -> tuple[payloads.Click, int, str] | None:
    """A click that opens a modal about a request: the click, the request's number, the trigger; None if unreadable."""
    read = payloads.clicked_number(body)
    if isinstance(read, Malformed) or read[0].trigger_id is None:
        unreadable(respond, what, read if isinstance(read, Malformed) else Malformed("the trigger is missing"))
        return None
    click, number = read
    assert click.trigger_id is not None
    return click, number, click.trigger_id


def submission(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], block: BlockId, what: str
) -> tuple[payloads.Submission, int] | None:
    """A submission of a modal about one request, and the request's number; None (and answered) if unreadable.

    The number comes from the modal's private_metadata, which the submitter could have changed: the services
    check that the request exists and that the submitter may do this to it.
    """
    read = payloads.submission(body, view)
    number = payloads.metadata_number(read) if not isinstance(read, Malformed) else read
    if isinstance(number, Malformed):
        unreadable_form(what, number)
        ack(response_action="errors", errors={block: UNREADABLE_FORM})
        return None
    assert not isinstance(read, Malformed)
    return read, number
