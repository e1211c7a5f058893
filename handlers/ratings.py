"""Rating a resolved request in one click, both ways, and the requester's comment.

Each rating and what it owes Slack (bot.ratings.outbound: the clicked prompt, the card) are one transaction.
"""

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.feedback.form_input import parse_required_text
from bot.ids import Action, BlockId, Callback
from bot.ratings import form_input, outbound
from bot.ratings import service as ratings
from bot.ratings.blocks import comment_modal
from bot.slack.forms import Errors
from bot.slack.modals import open_modal
from handlers.refusals import REFUSALS, refuse


def handle_rating_click(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, deps: Deps) -> None:
    ack()
    direction, score = form_input.parse_rating_action(action["action_id"])
    rater, now = body["user"]["id"], deps.clock()
    prompt = (body["channel"]["id"], body["message"]["ts"])
    try:
        with deps.session_scope() as session:
            request = ratings.rate(session, int(action["value"]), direction, rater, score, now)
            outbound.rated(session, request, direction, rater, score, prompt, action["action_ts"], now)
    except REFUSALS as refusal:
        refuse(respond, refusal)
        return
    deps.outbox.wake()


def handle_comment_click(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, deps: Deps
) -> None:
    ack()
    try:
        with deps.read_scope() as session:
            request = ratings.check_requester(session, int(action["value"]), body["user"]["id"])
    except REFUSALS as refusal:
        refuse(respond, refusal)
        return
    open_modal(client, respond, body["trigger_id"], comment_modal(request))


def handle_comment_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], deps: Deps) -> None:
    values = view["state"]["values"]
    text = parse_required_text(values, BlockId.COMMENT, Action.COMMENT, "Write a comment, or cancel.")
    if isinstance(text, Errors):
        ack(response_action="errors", errors=text.by_block)
        return
    now = deps.clock()
    try:
        with deps.session_scope() as session:
            request = ratings.comment(session, int(view["private_metadata"]), body["user"]["id"], text, now)
            outbound.commented(session, request, view["id"], now)
    except REFUSALS as refusal:
        ack(response_action="errors", errors={BlockId.COMMENT: str(refusal)})
        return
    ack()
    deps.outbox.wake()


def register(app: App) -> None:
    for prefix in form_input.RATING_ACTIONS:
        app.action(form_input.rating_action_pattern(prefix))(handle_rating_click)
    app.action(Action.RATING_COMMENT)(handle_comment_click)
    app.view(Callback.RATING_COMMENT)(handle_comment_submitted)
