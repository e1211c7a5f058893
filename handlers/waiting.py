"""Waiting on the requester: the card's *Waiting on requester* asks them something (a modal), and *Reply* in their
DM answers in the card's thread. Each change and the messages it owes Slack are one transaction; the outbox
sender is woken after the commit.
"""

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.domain.lifecycle import EventKind
from bot.ids import Action, BlockId, Callback
from bot.requests import outbound, waiting
from bot.requests import service as requests
from bot.slack.forms import Errors
from bot.slack.modals import open_modal
from handlers import about_request
from handlers.refusals import REFUSALS, private, refuse


def handle_pause_click(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, deps: Deps) -> None:
    ack()
    clicked = about_request.modal_click(body, respond, "click on Waiting on requester")
    if clicked is None:
        return
    click, number, trigger_id = clicked
    try:
        with deps.read_scope() as session:
            request = requests.check_staff(session, number, click.user)
    except REFUSALS as refusal:
        refuse(respond, refusal)
        return
    open_modal(client, private(respond), trigger_id, waiting.pause_modal(request))


def handle_pause_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], deps: Deps) -> None:
    about = about_request.submission(ack, body, view, BlockId.NOTE, "waiting on requester form")
    if about is None:
        return
    (read, number), now = about, deps.clock()
    question = waiting.parse_question(read.values)
    if isinstance(question, Errors):
        ack(response_action="errors", errors=question.by_block)
        return
    try:
        with deps.session_scope() as session:
            request = requests.act(session, number, EventKind.PAUSED, read.user, now, note=question or None)
            outbound.changed(session, request, EventKind.PAUSED, read.user, now, question or None)
    except REFUSALS as refusal:
        ack(response_action="errors", errors={BlockId.NOTE: str(refusal)})
        return
    ack()
    deps.outbox.wake()


def handle_answer_click(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, deps: Deps) -> None:
    ack()
    clicked = about_request.modal_click(body, respond, "click on Reply")
    if clicked is None:
        return
    click, number, trigger_id = clicked
    try:
        with deps.read_scope() as session:
            request = requests.check_requester(session, number, click.user)
            question = requests.question(session, number)
    except REFUSALS as refusal:
        refuse(respond, refusal)
        return
    open_modal(client, private(respond), trigger_id, waiting.answer_modal(request, question))


def handle_answer_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], deps: Deps) -> None:
    about = about_request.submission(ack, body, view, BlockId.NOTE, "answer form")
    if about is None:
        return
    (read, number), now = about, deps.clock()
    text = waiting.parse_answer(read.values)
    if isinstance(text, Errors):
        ack(response_action="errors", errors=text.by_block)
        return
    try:
        with deps.session_scope() as session:
            request = requests.answer(session, number, read.user, now)
            waiting.answered(session, request, text, f"request:{number}:answer:{read.view_id}", now)
    except REFUSALS as refusal:
        ack(response_action="errors", errors={BlockId.NOTE: str(refusal)})
        return
    ack()
    deps.outbox.wake()


def register(app: App) -> None:
    app.action(Action.PAUSE)(handle_pause_click)
    app.view(Callback.PAUSE)(handle_pause_submitted)
    app.action(Action.ANSWER)(handle_answer_click)
    app.view(Callback.ANSWER)(handle_answer_submitted)
