"""``/feedback``: the modal, its submission, and a manager's reply to the author.

Anonymous feedback is confirmed in its own modal (the submission's answer turns it into "Sent anonymously"),
never by a DM that could be matched to it. What comes back from Slack is checked before it is used: a
button's feedback id, the reply modal's metadata (a number and a message ts; where the note goes is read
from the database).
"""

from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors import NotFound
from bot.feedback import form_input
from bot.feedback import outbound as feedback_outbound
from bot.feedback import service as feedback
from bot.feedback.blocks import feedback_modal, reply_modal, sent_anonymously
from bot.feedback.keyring import keyring
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
    replies = keyring(deps.settings).available
    view = feedback_modal(choices, replies=replies) if choices.departments else setup_needed_modal()
    open_modal(client, respond, command["trigger_id"], view)


def handle_feedback_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], deps: Deps) -> None:
    draft = form_input.parse_feedback(view["state"]["values"])
    if isinstance(draft, Errors):
        ack(response_action="errors", errors=draft.by_block)
        return
    now = deps.clock()
    try:
        with deps.session_scope() as session:
            submitted = feedback.submit(session, draft, body["user"]["id"], now, keyring(deps.settings))
            feedback_outbound.owe_submitted(session, submitted, now)
    except feedback.UnknownRequest as missing:
        ack(response_action="errors", errors={BlockId.FEEDBACK_REQUEST: str(missing)})
        return
    except REFUSALS as refusal:
        ack(response_action="errors", errors={BlockId.DEPARTMENT: str(refusal)})
        return
    if submitted.author_id is None:  # anonymous: confirmed here, where only its author sees it
        ack(response_action="update", view=sent_anonymously(submitted.notice).to_dict())
    else:
        ack()
    deps.outbox.wake()


NO_SUCH_FEEDBACK = "That feedback is no longer here."
FORM_NOT_RECOGNISED = "Inhouse does not recognise this reply form: close it and press Reply on the feedback again."


def handle_reply_click(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, deps: Deps
) -> None:
    ack()
    feedback_id = form_input.feedback_id(action.get("value"))
    ts, manager = form_input.message_ts(_field(body, "message", "ts")), _field(body, "user", "id")
    trigger = body.get("trigger_id")
    if feedback_id is None or ts is None or not isinstance(manager, str) or not isinstance(trigger, str):
        refuse(respond, NotFound(NO_SUCH_FEEDBACK))
        return
    try:
        with deps.read_scope() as session:
            feedback.reply_target(session, feedback_id, manager, keyring(deps.settings))
    except REFUSALS as refusal:
        refuse(respond, refusal)
        return
    open_modal(client, respond, trigger, reply_modal(feedback_id, ts))


def handle_reply_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], deps: Deps) -> None:
    text = form_input.parse_required_text(view["state"]["values"], BlockId.REPLY, Action.REPLY, "Write your reply.")
    if isinstance(text, Errors):
        ack(response_action="errors", errors=text.by_block)
        return
    origin = form_input.parse_reply_origin(view.get("private_metadata"))
    if origin is None:
        ack(response_action="errors", errors={BlockId.REPLY: FORM_NOT_RECOGNISED})
        return
    manager, now = body["user"]["id"], deps.clock()
    try:
        with deps.session_scope() as session:
            target = feedback.reply_target(session, origin.feedback_id, manager, keyring(deps.settings))
            # The view's id is the reply's: submitting the same modal twice owes one reply.
            feedback_outbound.owe_reply(session, target, manager, text, origin.ts, view["id"], now)
    except REFUSALS as refusal:
        ack(response_action="errors", errors={BlockId.REPLY: str(refusal)})
        return
    ack()
    deps.outbox.wake()


def _field(body: dict[str, Any], *path: str) -> Any:
    """``body[a][b]...``, or None where the payload has no such object."""
    value: Any = body
    for name in path:
        value = value.get(name) if isinstance(value, dict) else None
    return value


def register(app: App) -> None:
    app.command("/feedback")(handle_feedback_command)
    app.view(Callback.FEEDBACK)(handle_feedback_submitted)
    app.action(Action.FEEDBACK_REPLY)(handle_reply_click)
    app.view(Callback.FEEDBACK_REPLY)(handle_reply_submitted)
