"""Rating a resolved request in one click, both ways, and the requester's comment."""

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import rating_prompts
from bot.blocks.ratings import comment_modal
from bot.deps import Deps
from bot.ids import Action, BlockId, Callback
from bot.services import ratings
from bot.services.requests import NotAllowed, NotFound
from bot.slack_calls import Place
from handlers import feedback_forms
from handlers.forms import Errors
from handlers.modals import open_modal

REFUSALS = (NotAllowed, NotFound)


def _refuse(client: WebClient, body: dict[str, Any], reason: Exception) -> None:
    client.chat_postEphemeral(channel=body["channel"]["id"], user=body["user"]["id"], text=str(reason))


def handle_rating_click(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, deps: Deps) -> None:
    ack()
    direction, score = feedback_forms.parse_rating_action(action["action_id"])
    rater = body["user"]["id"]
    try:
        with deps.session_scope() as session:
            request = ratings.rate(session, int(action["value"]), direction, rater, score, deps.clock())
    except REFUSALS as refusal:
        _refuse(client, body, refusal)
        return
    prompt = Place(body["channel"]["id"], body["message"]["ts"])
    rating_prompts.rated(client, request, direction, rater, score, prompt)


def handle_comment_click(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, deps: Deps
) -> None:
    ack()
    try:
        with deps.session_scope() as session:
            request = ratings.check_requester(session, int(action["value"]), body["user"]["id"])
    except REFUSALS as refusal:
        _refuse(client, body, refusal)
        return
    open_modal(client, respond, body["trigger_id"], comment_modal(request))


def handle_comment_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, deps: Deps
) -> None:
    values = view["state"]["values"]
    text = feedback_forms.parse_required_text(values, BlockId.COMMENT, Action.COMMENT, "Write a comment, or cancel.")
    if isinstance(text, Errors):
        ack(response_action="errors", errors=text.by_block)
        return
    try:
        with deps.session_scope() as session:
            request = ratings.comment(session, int(view["private_metadata"]), body["user"]["id"], text, deps.clock())
    except REFUSALS as refusal:
        ack(response_action="errors", errors={BlockId.COMMENT: str(refusal)})
        return
    ack()
    rating_prompts.refresh_card(client, request)


def register(app: App) -> None:
    for prefix in feedback_forms.RATING_ACTIONS:
        app.action(feedback_forms.rating_action_pattern(prefix))(handle_rating_click)
    app.action(Action.RATING_COMMENT)(handle_comment_click)
    app.view(Callback.RATING_COMMENT)(handle_comment_submitted)
