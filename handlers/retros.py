"""Retrospectives: the prompt's buttons, the entry and action item modals, and "Mark done" in an owner's DM.

Each change and the messages it owes (bot.retros.outbound) are one transaction; the sender is woken after it.
"""

import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.domain import retros as domain
from bot.ids import Action, BlockId, Callback
from bot.retros import form_input, outbound
from bot.retros import service as retros
from bot.retros.prompt_blocks import action_modal, entry_modal
from bot.slack.forms import Errors
from bot.slack.modals import open_modal
from handlers.refusals import REFUSALS, refuse

ENTRY_BUTTON = re.compile(rf"^{Action.RETRO_ADD_ENTRY}_\w+$")


def handle_add_entry(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, deps: Deps
) -> None:
    ack()
    retro_id, kind_id = form_input.entry_button(action["value"])
    try:
        with deps.read_scope() as session:
            retro = retros.view(session, retro_id)
    except REFUSALS as refusal:
        refuse(respond, refusal)
        return
    kind = domain.kind(retro.template, kind_id)
    if retro.closed or kind is None:
        refuse(respond, retros.Closed("This retrospective has closed: its summary is in the thread."))
        return
    open_modal(client, respond, body["trigger_id"], entry_modal(retro, kind))


def handle_add_action(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, deps: Deps
) -> None:
    ack()
    try:
        with deps.read_scope() as session:
            retro = retros.view(session, int(action["value"]))
    except REFUSALS as refusal:
        refuse(respond, refusal)
        return
    if retro.closed:
        refuse(respond, retros.Closed("This retrospective has closed: its summary is in the thread."))
        return
    open_modal(client, respond, body["trigger_id"], action_modal(retro))


def handle_entry_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], deps: Deps) -> None:
    parsed = form_input.parse_entry(view["state"]["values"], view["private_metadata"])
    if isinstance(parsed, Errors):
        ack(response_action="errors", errors=parsed.by_block)
        return
    retro_id, draft = parsed
    now = deps.clock()
    try:
        with deps.session_scope() as session:
            entry_id = retros.add_entry(session, retro_id, draft, body["user"]["id"], now)
            outbound.entry_added(session, retro_id, entry_id, now)
    except REFUSALS as refusal:
        ack(response_action="errors", errors={BlockId.RETRO_TEXT: str(refusal)})
        return
    ack()
    deps.outbox.wake()


def handle_action_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], deps: Deps) -> None:
    now = deps.clock()
    parsed = form_input.parse_action(view["state"]["values"], view["private_metadata"], today=now.date())
    if isinstance(parsed, Errors):
        ack(response_action="errors", errors=parsed.by_block)
        return
    retro_id, draft = parsed
    try:
        with deps.session_scope() as session:
            item = retros.add_action(session, retro_id, draft, body["user"]["id"], now)
            outbound.action_added(session, item, now)
    except REFUSALS as refusal:
        ack(response_action="errors", errors={BlockId.RETRO_TEXT: str(refusal)})
        return
    ack()
    deps.outbox.wake()


def handle_done(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, deps: Deps) -> None:
    ack()
    now = deps.clock()
    try:
        with deps.session_scope() as session:
            item = retros.mark_done(session, int(action["value"]), body["user"]["id"], now)
            outbound.marked_done(session, item, body["channel"]["id"], body["message"]["ts"], now)
    except REFUSALS as refusal:
        refuse(respond, refusal)
        return
    deps.outbox.wake()


def register(app: App) -> None:
    app.action(ENTRY_BUTTON)(handle_add_entry)
    app.action(Action.RETRO_ADD_ACTION)(handle_add_action)
    app.action(Action.RETRO_ACTION_DONE)(handle_done)
    app.view(Callback.RETRO_ENTRY)(handle_entry_submitted)
    app.view(Callback.RETRO_ACTION)(handle_action_submitted)
