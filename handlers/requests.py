"""Requests: ``/request``, the buttons on the card, the request, resolve and transfer modals, and replies under a card.

The ``message`` event (a reply in a card's thread) is idempotent, so Slack's retries are harmless.
"""

from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.domain.lifecycle import EventKind
from bot.errors import NotFound
from bot.ids import Action, BlockId, Callback
from bot.ratings import outbound as rating_prompts
from bot.ratings import service as ratings
from bot.requests import filing, form_input
from bot.requests import outbound as announce
from bot.requests import service as requests
from bot.requests.modals import request_modal, resolve_modal, setup_needed_modal, transfer_modal
from bot.slack.forms import Errors, StateValues
from bot.slack.modals import open_modal
from bot.slack.text import PRIORITY_LABELS
from handlers.after_ack import after_ack
from handlers.refusals import REFUSALS, refuse

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


def handle_click(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, deps: Deps) -> None:
    ack()
    work = partial(_apply_click, body, action, client, deps)
    after_ack(deps, work, f"the {action['action_id']} click", response_url=body.get("response_url"))


def _apply_click(body: dict[str, Any], action: dict[str, Any], client: WebClient, deps: Deps) -> None:
    actor, kind = body["user"]["id"], _CLICKS[Action(action["action_id"])]
    try:
        with deps.session_scope() as session:
            request = requests.act(session, int(action["value"]), kind, actor, deps.clock())
    except REFUSALS as refusal:
        refuse(client, body, refusal)
        return
    announce.changed(client, request, kind, actor)


def handle_priority_change(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, deps: Deps
) -> None:
    ack()
    number, priority = action["selected_option"]["value"].split(":", 1)
    actor = body["user"]["id"]
    try:
        with deps.session_scope() as session:
            request = requests.change_priority(session, int(number), actor, priority, deps.clock())
    except REFUSALS as refusal:
        refuse(client, body, refusal)
        return
    detail = f" to {PRIORITY_LABELS[priority].lower()}"
    announce.changed(client, request, EventKind.REPRIORITIZED, actor, detail=detail)


def handle_resolve_click(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, deps: Deps
) -> None:
    ack()
    try:
        with deps.read_scope() as session:
            request = requests.check_staff(session, int(action["value"]), body["user"]["id"])
    except REFUSALS as refusal:
        refuse(client, body, refusal)
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
        refuse(client, body, refusal)
        return
    open_modal(client, respond, body["trigger_id"], transfer_modal(request, departments))


# Modal submissions


def _values(view: dict[str, Any]) -> StateValues:
    values: StateValues = view["state"]["values"]
    return values


def handle_request_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, deps: Deps
) -> None:
    now = deps.clock()
    draft = form_input.parse_request(_values(view), today=now.date())
    if isinstance(draft, Errors):
        ack(response_action="errors", errors=draft.by_block)
        return
    try:
        with deps.read_scope() as session:  # the reads, outside the writer's turn
            prepared = filing.prepare_filing(session, draft, body["user"]["id"], now)
        with deps.session_scope() as session:
            request = filing.file_request(session, prepared)
    except NotFound as missing:
        ack(response_action="errors", errors={BlockId.DEPARTMENT: str(missing)})
        return
    ack()
    after_ack(deps, partial(_post_card, request, client, deps), f"posting the card of #{request.number}")


def _post_card(request: requests.RequestSnapshot, client: WebClient, deps: Deps) -> None:
    ts = announce.post_card(client, request)
    if ts is not None:
        with deps.session_scope() as session:
            requests.attach_card(session, request.number, request.provider_channel, ts)
    announce.filed(client, request, card_posted=ts is not None)


def handle_resolve_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, deps: Deps
) -> None:
    note = form_input.parse_note(_values(view), required=True)
    if isinstance(note, Errors):
        ack(response_action="errors", errors=note.by_block)
        return
    actor, now = body["user"]["id"], deps.clock()
    try:
        with deps.session_scope() as session:
            request = requests.resolve(session, int(view["private_metadata"]), actor, note, now)
            asked = ratings.ask_after_resolve(session, request.number, now)  # once per request, in the same lock
    except REFUSALS as refusal:
        ack(response_action="errors", errors={BlockId.NOTE: str(refusal)})
        return
    ack()
    announce.changed(client, request, EventKind.RESOLVED, actor, note)
    rating_prompts.ask(client, request, actor, asked)


def handle_transfer_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, deps: Deps
) -> None:
    choice = form_input.parse_transfer(_values(view))
    if isinstance(choice, Errors):
        ack(response_action="errors", errors=choice.by_block)
        return
    department, note = choice
    actor, number = body["user"]["id"], int(view["private_metadata"])
    try:
        with deps.session_scope() as session:
            old = requests.get(session, number)
            new = requests.transfer(session, number, actor, department, deps.clock(), note=note or None)
    except REFUSALS as refusal:
        ack(response_action="errors", errors={BlockId.DEPARTMENT: str(refusal)})
        return
    ack()
    ts = announce.transferred(client, old, new, actor, note or None)
    if ts is not None:
        with deps.session_scope() as session:
            requests.attach_card(session, number, new.provider_channel, ts)


# Replies under a card


def handle_message(event: dict[str, Any], client: WebClient, deps: Deps) -> None:
    """A person's reply in a card's thread; the provider's first one is the request's first response."""
    thread_ts, user = event.get("thread_ts"), event.get("user")
    if event.get("subtype") or event.get("bot_id") or not thread_ts or not user or thread_ts == event.get("ts"):
        return
    with deps.session_scope() as session:
        request = requests.record_reply(session, event["channel"], thread_ts, user, deps.clock())
    if request is not None:
        announce.card_refreshed(client, request)


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
