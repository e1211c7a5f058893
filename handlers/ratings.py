"""Rating a resolved request in one click, both ways, and the requester's comment.

Each rating and what it owes Slack (bot.ratings.outbound: the clicked prompt, the card) are one transaction.
"""

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.ids import Action, BlockId, Callback
from bot.ratings import form_input, outbound
from bot.ratings import service as ratings
from bot.ratings.blocks import comment_modal
from bot.slack import payloads
from bot.slack.forms import Errors
from bot.slack.modals import open_modal
from bot.slack.payloads import Malformed
from handlers.refusals import REFUSALS, UNREADABLE_FORM, private, refuse, unreadable, unreadable_form


def handle_rating_click(ack: Ack, body: dict[str, Any], respond: Respond, deps: Deps) -> None:
    ack()
    read = payloads.clicked_number(body)
    if isinstance(read, Malformed):
        unreadable(respond, "rating click", read)
        return
    click, number = read
    rating = form_input.parse_rating_action(click.action_id)
    prompt = payloads.message_at(click)
    if rating is None or isinstance(prompt, Malformed) or click.action_ts is None:
        why = prompt if isinstance(prompt, Malformed) else Malformed("the rating or the click's time is missing")
        unreadable(respond, "rating click", why)
        return
    (direction, score), now = rating, deps.clock()
    try:
        with deps.session_scope() as session:
            request = ratings.rate(session, number, direction, click.user, score, now)
            outbound.rated(session, request, direction, click.user, score, prompt, click.action_ts, now)
    except REFUSALS as refusal:
        refuse(respond, refusal)
        return
    deps.outbox.wake()


def handle_comment_click(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, deps: Deps) -> None:
    ack()
    read = payloads.clicked_number(body)
    if isinstance(read, Malformed):
        unreadable(respond, "click on Add a comment", read)
        return
    click, number = read
    if click.trigger_id is None:
        unreadable(respond, "click on Add a comment", Malformed("the trigger is missing"))
        return
    try:
        with deps.read_scope() as session:
            request = ratings.check_requester(session, number, click.user)
    except REFUSALS as refusal:
        refuse(respond, refusal)
        return
    open_modal(client, private(respond), click.trigger_id, comment_modal(request))


def handle_comment_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], deps: Deps) -> None:
    read = payloads.submission(body, view)
    number = payloads.metadata_number(read) if not isinstance(read, Malformed) else read
    if isinstance(number, Malformed):
        unreadable_form("rating comment", number)
        ack(response_action="errors", errors={BlockId.COMMENT: UNREADABLE_FORM})
        return
    assert not isinstance(read, Malformed)
    text = form_input.parse_comment(read.values)
    if isinstance(text, Errors):
        ack(response_action="errors", errors=text.by_block)
        return
    now = deps.clock()
    try:
        with deps.session_scope() as session:
            request = ratings.comment(session, number, read.user, text, now)
            outbound.commented(session, request, read.view_id, now)
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
