"""The check-up: the DM's button opens the modal, the modal's submission keeps (or changes) the answers.

Only members and managers of a department answer: the button refuses anyone else, and so does the submission
(whose private_metadata names the check-up, and could name another one).
"""

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.checkups import blocks, form_input
from bot.checkups import service as checkups
from bot.deps import Deps
from bot.ids import Action, BlockId, Callback
from bot.slack import payloads
from bot.slack.forms import Errors
from bot.slack.modals import open_modal
from bot.slack.payloads import Malformed
from bot.slack.text import when
from handlers.refusals import REFUSALS, UNREADABLE_FORM, private, refuse, unreadable, unreadable_form


def handle_open(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, deps: Deps) -> None:
    ack()
    read = payloads.clicked_number(body)
    if isinstance(read, Malformed) or read[0].trigger_id is None:
        unreadable(respond, "click on the check-up's button", read if isinstance(read, Malformed) else _NO_TRIGGER)
        return
    click, checkup_id = read
    assert click.trigger_id is not None
    try:
        with deps.read_scope() as session:
            form = checkups.form(session, checkup_id, click.user, deps.clock())
    except REFUSALS as refusal:
        refuse(respond, refusal)
        return
    open_modal(client, private(respond), click.trigger_id, blocks.modal(form))


_NO_TRIGGER = Malformed("the trigger is missing")


def handle_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], deps: Deps) -> None:
    read = payloads.submission(body, view)
    checkup_id = payloads.metadata_field_number(read, "checkup") if not isinstance(read, Malformed) else read
    if isinstance(checkup_id, Malformed):
        unreadable_form("check-up", checkup_id)
        ack(response_action="errors", errors={_first_block(view): UNREADABLE_FORM})
        return
    assert not isinstance(read, Malformed)
    answers = form_input.parse(read.values)
    if isinstance(answers, Errors):
        ack(response_action="errors", errors=answers.by_block)
        return
    try:
        with deps.session_scope() as session:
            closes_at = checkups.answer(session, checkup_id, read.user, answers, deps.clock())
    except REFUSALS as refusal:
        ack(response_action="errors", errors={_first_block(view): str(refusal)})
        return
    ack(response_action="update", view=blocks.thanks(when(closes_at)))


def _first_block(view: dict[str, Any]) -> str:
    """Where a form-wide error shows: the first input of the form."""
    inputs = [b.get("block_id") for b in view.get("blocks") or [] if isinstance(b, dict) and b.get("type") == "input"]
    return str(inputs[0]) if inputs and inputs[0] else f"{BlockId.CHECKUP_ABOUT}:"


def register(app: App) -> None:
    app.action(Action.CHECKUP_OPEN)(handle_open)
    app.view(Callback.CHECKUP)(handle_submitted)
