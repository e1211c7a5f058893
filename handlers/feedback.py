"""``/feedback``: the modal, its submission, and a manager's reply to the author."""

from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.feedback import form_input
from bot.feedback import outbound as feedback_outbound
from bot.feedback import service as feedback
from bot.feedback.blocks import feedback_modal, reply_modal
from bot.ids import Action, BlockId, Callback
from bot.requests.modals import setup_needed_modal
from bot.slack.forms import Errors
from bot.slack.modals import open_modal
from handlers.after_ack import after_ack
from handlers.refusals import REFUSALS, refuse


def handle_feedback_command(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond, deps: Deps) -> None:
    ack()
    work = partial(_open_feedback_modal, command, client, respond, deps)
    after_ack(deps, work, "opening the /feedback modal", response_url=command.get("response_url"), urgent=True)


def _open_feedback_modal(command: dict[str, Any], client: WebClient, respond: Respond, deps: Deps) -> None:
    department, number = form_input.split_prefill(command.get("text", ""))
    with deps.read_scope() as session:
        choices = feedback.choices(session, department, number)
    view = feedback_modal(choices) if choices.departments else setup_needed_modal()
    open_modal(client, respond, command["trigger_id"], view)


def handle_feedback_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], deps: Deps) -> None:
    draft = form_input.parse_feedback(view["state"]["values"])
    if isinstance(draft, Errors):
        ack(response_action="errors", errors=draft.by_block)
        return
    now = deps.clock()
    try:
        with deps.session_scope() as session:
            submitted = feedback.submit(session, draft, body["user"]["id"], now)
            feedback_outbound.owe_submitted(session, submitted, now)
    except feedback.UnknownRequest as missing:
        ack(response_action="errors", errors={BlockId.FEEDBACK_REQUEST: str(missing)})
        return
    except REFUSALS as refusal:
        ack(response_action="errors", errors={BlockId.DEPARTMENT: str(refusal)})
        return
    ack()
    deps.outbox.wake()


def handle_reply_click(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, deps: Deps
) -> None:
    ack()
    feedback_id, manager = int(action["value"]), body["user"]["id"]
    try:
        with deps.read_scope() as session:
            feedback.reply_target(session, feedback_id, manager)
    except REFUSALS as refusal:
        refuse(respond, refusal)
        return
    view = reply_modal(feedback_id, body["channel"]["id"], body["message"]["ts"])
    open_modal(client, respond, body["trigger_id"], view)


def handle_reply_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], deps: Deps) -> None:
    text = form_input.parse_required_text(view["state"]["values"], BlockId.REPLY, Action.REPLY, "Write your reply.")
    if isinstance(text, Errors):
        ack(response_action="errors", errors=text.by_block)
        return
    feedback_id, origin = form_input.parse_reply_origin(view["private_metadata"])
    manager, now = body["user"]["id"], deps.clock()
    try:
        with deps.session_scope() as session:
            target = feedback.reply_target(session, feedback_id, manager)
            # The view's id is the reply's: submitting the same modal twice owes one reply.
            feedback_outbound.owe_reply(session, target, manager, text, origin, view["id"], now)
    except REFUSALS as refusal:
        ack(response_action="errors", errors={BlockId.REPLY: str(refusal)})
        return
    ack()
    deps.outbox.wake()


def register(app: App) -> None:
    app.command("/feedback")(handle_feedback_command)
    app.view(Callback.FEEDBACK)(handle_feedback_submitted)
    app.action(Action.FEEDBACK_REPLY)(handle_reply_click)
    app.view(Callback.FEEDBACK_REPLY)(handle_reply_submitted)
