"""Buttons on the request card."""

from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import announce
from bot.blocks.request_forms import resolve_modal, transfer_modal
from bot.blocks.text import PRIORITY_LABELS
from bot.deps import Deps
from bot.domain.lifecycle import EventKind, TransitionError
from bot.ids import Action
from bot.services import requests
from handlers.after_ack import after_ack
from handlers.modals import open_modal
from storage import directory

_CLICKS = {
    Action.ACKNOWLEDGE: EventKind.ACKNOWLEDGED,
    Action.PAUSE: EventKind.PAUSED,
    Action.RESUME: EventKind.RESUMED,
    Action.REOPEN: EventKind.REOPENED,
    Action.TAKE: EventKind.ASSIGNED,
}

REFUSALS = (requests.NotAllowed, requests.NotFound, TransitionError)


def _refuse(client: WebClient, body: dict[str, Any], reason: Exception) -> None:
    """Privately, where the click happened: the channel, or the DM of a breach alert."""
    client.chat_postEphemeral(channel=body["channel"]["id"], user=body["user"]["id"], text=str(reason))


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
        _refuse(client, body, refusal)
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
        _refuse(client, body, refusal)
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
        _refuse(client, body, refusal)
        return
    open_modal(client, respond, body["trigger_id"], resolve_modal(request))


def handle_transfer_click(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, deps: Deps
) -> None:
    ack()
    try:
        with deps.read_scope() as session:
            request = requests.check_staff(session, int(action["value"]), body["user"]["id"])
            departments = [(d.id, d.name) for d in directory.active_departments(session)]
    except REFUSALS as refusal:
        _refuse(client, body, refusal)
        return
    open_modal(client, respond, body["trigger_id"], transfer_modal(request, departments))


def register(app: App) -> None:
    for action_id in _CLICKS:
        app.action(action_id)(handle_click)
    app.action(Action.RESOLVE)(handle_resolve_click)
    app.action(Action.OPEN_CARD)(handle_open_card)
    app.action(Action.CHANGE_PRIORITY)(handle_priority_change)
    app.action(Action.TRANSFER)(handle_transfer_click)
