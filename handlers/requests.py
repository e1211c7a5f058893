"""Requests: ``/request``, the buttons on the card, the request, resolve and transfer modals, and replies under a card.

Each change and the messages it owes Slack (bot.requests.outbound) are one transaction; the outbox sender is
woken after the commit. The ``message`` event (a reply in a card's thread) is idempotent, so Slack's retries
are harmless.
"""

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlalchemy.exc import DBAPIError

from bot.deps import Deps
from bot.domain.lifecycle import EventKind
from bot.errors import NotFound
from bot.ids import Action, BlockId, Callback
from bot.ratings import outbound as rating_prompts
from bot.ratings import service as ratings
from bot.requests import filing, form_input, outbound
from bot.requests import service as requests
from bot.requests.modals import request_modal, resolve_modal, setup_needed_modal, transfer_modal
from bot.slack.forms import Errors, StateValues
from bot.slack.modals import open_modal
from bot.slack.text import PRIORITY_LABELS
from handlers.after_ack import after_ack
from handlers.refusals import REFUSALS, refuse

log = logging.getLogger(__name__)

CANNOT_SAVE = "Inhouse cannot save requests right now. Please try again in a moment: your text is still here."

_CLICKS = {
    Action.ACKNOWLEDGE: EventKind.ACKNOWLEDGED,
    Action.PAUSE: EventKind.PAUSED,
    Action.RESUME: EventKind.RESUMED,
    Action.REOPEN: EventKind.REOPENED,
    Action.TAKE: EventKind.ASSIGNED,
}


# /request


def handle_request_command(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond, deps: Deps) -> None:
    ack()
    work = partial(_open_request_modal, command, client, respond, deps)
    after_ack(deps, work, "opening the /request modal", response_url=command.get("response_url"), urgent=True)


def _open_request_modal(command: dict[str, Any], client: WebClient, respond: Respond, deps: Deps) -> None:
    with deps.read_scope() as session:
        departments = requests.departments(session)
        knows_home = requests.knows_home(session, command["user_id"])
    if not departments:
        open_modal(client, respond, command["trigger_id"], setup_needed_modal())
        return
    provider, description = form_input.split_prefill(command.get("text", ""), dict(departments))
    view = request_modal(departments, provider=provider, description=description, ask_home_department=not knows_home)
    open_modal(client, respond, command["trigger_id"], view)


# Buttons on the card


def handle_open_card(ack: Ack) -> None:
    """The Open button is a link; Slack still sends the click, which only needs an ack."""
    ack()


def handle_click(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, deps: Deps) -> None:
    ack()
    actor, kind, now = body["user"]["id"], _CLICKS[Action(action["action_id"])], deps.clock()
    try:
        with deps.session_scope() as session:
            request = requests.act(session, int(action["value"]), kind, actor, now)
            outbound.changed(session, request, kind, actor, now)
    except REFUSALS as refusal:
        refuse(respond, refusal)
        return
    deps.outbox.wake()


def handle_priority_change(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, deps: Deps
) -> None:
    ack()
    number, priority = action["selected_option"]["value"].split(":", 1)
    actor, now = body["user"]["id"], deps.clock()
    detail = f" to {PRIORITY_LABELS.get(priority, priority).lower()}"
    try:
        with deps.session_scope() as session:
            request = requests.change_priority(session, int(number), actor, priority, now)
            outbound.changed(session, request, EventKind.REPRIORITIZED, actor, now, detail=detail)
    except REFUSALS as refusal:
        refuse(respond, refusal)
        return
    deps.outbox.wake()


def handle_resolve_click(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, deps: Deps
) -> None:
    ack()
    try:
        with deps.read_scope() as session:
            request = requests.check_staff(session, int(action["value"]), body["user"]["id"])
    except REFUSALS as refusal:
        refuse(respond, refusal)
        return
    open_modal(client, respond, body["trigger_id"], resolve_modal(request))


def handle_transfer_click(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, deps: Deps
) -> None:
    ack()
    try:
        with deps.read_scope() as session:
            request = requests.check_staff(session, int(action["value"]), body["user"]["id"])
            departments = requests.departments(session)
    except REFUSALS as refusal:
        refuse(respond, refusal)
        return
    open_modal(client, respond, body["trigger_id"], transfer_modal(request, departments))


# Modal submissions


def _values(view: dict[str, Any]) -> StateValues:
    values: StateValues = view["state"]["values"]
    return values


def handle_request_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], deps: Deps) -> None:
    now = deps.clock()
    draft = form_input.parse_request(_values(view), today=now.date())
    if isinstance(draft, Errors):
        ack(response_action="errors", errors=draft.by_block)
        return
    try:
        with deps.read_scope() as session:  # the reads, outside the writer's turn
            prepared = filing.prepare_filing(session, draft, body["user"]["id"], now)
        with deps.session_scope() as session:  # the writer's turn: the request, its card and DM owed
            request = filing.file_request(session, prepared)
            outbound.filed(session, request, now)
    except NotFound as missing:
        ack(response_action="errors", errors={BlockId.DEPARTMENT: str(missing)})
        return
    except DBAPIError as failure:  # the database is down or refused: the modal stays open with the text in it
        log.error("Could not file a request: the database failed (%s)", type(failure.orig or failure).__name__)
        ack(response_action="errors", errors={BlockId.DESCRIPTION: CANNOT_SAVE})
        return
    ack()
    deps.outbox.wake()


def handle_resolve_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], deps: Deps) -> None:
    note = form_input.parse_note(_values(view), required=True)
    if isinstance(note, Errors):
        ack(response_action="errors", errors=note.by_block)
        return
    actor, now = body["user"]["id"], deps.clock()
    try:
        with deps.session_scope() as session:
            request = requests.resolve(session, int(view["private_metadata"]), actor, note, now)
            asked = ratings.ask_after_resolve(session, request.number, now)  # once per request, in the same lock
            outbound.changed(session, request, EventKind.RESOLVED, actor, now, note)
            rating_prompts.ask(session, request, actor, asked, now)
    except REFUSALS as refusal:
        ack(response_action="errors", errors={BlockId.NOTE: str(refusal)})
        return
    ack()
    deps.outbox.wake()


def handle_transfer_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], deps: Deps) -> None:
    choice = form_input.parse_transfer(_values(view))
    if isinstance(choice, Errors):
        ack(response_action="errors", errors=choice.by_block)
        return
    department, note = choice
    actor, number, now = body["user"]["id"], int(view["private_metadata"]), deps.clock()
    try:
        with deps.session_scope() as session:
            old = requests.get(session, number)
            new = requests.transfer(session, number, actor, department, now, note=note or None)
            outbound.transferred(session, old, new, actor, note or None, now)
    except REFUSALS as refusal:
        ack(response_action="errors", errors={BlockId.DEPARTMENT: str(refusal)})
        return
    ack()
    deps.outbox.wake()


# Replies under a card


def handle_message(event: dict[str, Any], deps: Deps) -> None:
    """A person's reply in a card's thread; the provider's first one is the request's first response."""
    thread_ts, user = event.get("thread_ts"), event.get("user")
    if event.get("subtype") or event.get("bot_id") or not thread_ts or not user or thread_ts == event.get("ts"):
        return
    now = deps.clock()
    with deps.session_scope() as session:
        request = requests.record_reply(session, event["channel"], thread_ts, user, now)
        if request is not None:
            outbound.replied(session, request, now)
    if request is not None:
        deps.outbox.wake()


def register(app: App) -> None:
    app.command("/request")(handle_request_command)
    for action_id in _CLICKS:
        app.action(action_id)(handle_click)
    app.action(Action.RESOLVE)(handle_resolve_click)
    app.action(Action.OPEN_CARD)(handle_open_card)
    app.action(Action.CHANGE_PRIORITY)(handle_priority_change)
    app.action(Action.TRANSFER)(handle_transfer_click)
    app.view(Callback.REQUEST)(handle_request_submitted)
    app.view(Callback.RESOLVE)(handle_resolve_submitted)
    app.view(Callback.TRANSFER)(handle_transfer_submitted)
    app.event("message")(handle_message)
