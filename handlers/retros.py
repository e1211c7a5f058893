"""Retrospectives: the prompt's buttons, the entry and action item modals, and "Mark done" in an owner's DM.

Only the members and managers of a retro's departments add to it: the buttons refuse anyone else, and so do the
modals' submissions (whose private_metadata names the retro, and could name another one). Each change and the
messages it owes (bot.retros.outbound) are one transaction; the sender is woken after it.
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
from bot.slack import payloads
from bot.slack.forms import Errors
from bot.slack.modals import open_modal
from bot.slack.payloads import Malformed, Submission
from handlers.refusals import REFUSALS, UNREADABLE_FORM, private, refuse, unreadable, unreadable_form

ENTRY_BUTTON = re.compile(rf"^{Action.RETRO_ADD_ENTRY}_\w+$")
CLOSED = "This retrospective has closed: its summary is in the thread."


def handle_add_entry(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, deps: Deps) -> None:
    ack()
    read = payloads.click(body)
    button = form_input.entry_button(read.value) if not isinstance(read, Malformed) else read
    if isinstance(button, Malformed) or isinstance(read, Malformed) or read.trigger_id is None:
        unreadable(respond, "click on a retro's entry button", button if isinstance(button, Malformed) else _NO_TRIGGER)
        return
    retro_id, kind_id = button
    try:
        with deps.read_scope() as session:
            retro = retros.view_for_member(session, retro_id, read.user)
    except REFUSALS as refusal:
        refuse(respond, refusal)
        return
    kind = domain.kind(retro.template, kind_id)
    if retro.closed or kind is None:
        refuse(respond, retros.Closed(CLOSED))
        return
    open_modal(client, private(respond), read.trigger_id, entry_modal(retro, kind))


def handle_add_action(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, deps: Deps) -> None:
    ack()
    read = payloads.clicked_number(body)
    if isinstance(read, Malformed):
        unreadable(respond, "click on a retro's action item button", read)
        return
    click, retro_id = read
    if click.trigger_id is None:
        unreadable(respond, "click on a retro's action item button", _NO_TRIGGER)
        return
    try:
        with deps.read_scope() as session:
            retro = retros.view_for_member(session, retro_id, click.user)
    except REFUSALS as refusal:
        refuse(respond, refusal)
        return
    if retro.closed:
        refuse(respond, retros.Closed(CLOSED))
        return
    open_modal(client, private(respond), click.trigger_id, action_modal(retro))


_NO_TRIGGER = Malformed("the trigger is missing")


def _retro_form(ack: Ack, body: dict[str, Any], view: dict[str, Any], what: str) -> tuple[Submission, int] | None:
    """A retro modal's submission and the retro it names; None (and answered) if it cannot be read."""
    read = payloads.submission(body, view)
    retro_id = payloads.metadata_field_number(read, "retro") if not isinstance(read, Malformed) else read
    if isinstance(retro_id, Malformed):
        unreadable_form(what, retro_id)
        ack(response_action="errors", errors={BlockId.RETRO_TEXT: UNREADABLE_FORM})
        return None
    assert not isinstance(read, Malformed)
    return read, retro_id


def handle_entry_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], deps: Deps) -> None:
    form = _retro_form(ack, body, view, "retro entry")
    if form is None:
        return
    read, retro_id = form
    kind = payloads.metadata_field_text(read, "kind")
    if isinstance(kind, Malformed):
        unreadable_form("retro entry", kind)
        ack(response_action="errors", errors={BlockId.RETRO_TEXT: UNREADABLE_FORM})
        return
    draft = form_input.parse_entry(read.values, kind)
    if isinstance(draft, Errors):
        ack(response_action="errors", errors=draft.by_block)
        return
    now = deps.clock()
    try:
        with deps.session_scope() as session:
            entry_id = retros.add_entry(session, retro_id, draft, read.user, now)
            outbound.entry_added(session, retro_id, entry_id, now)
    except REFUSALS as refusal:
        ack(response_action="errors", errors={BlockId.RETRO_TEXT: str(refusal)})
        return
    ack()
    deps.outbox.wake()


def handle_action_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], deps: Deps) -> None:
    form = _retro_form(ack, body, view, "retro action item")
    if form is None:
        return
    (read, retro_id), now = form, deps.clock()
    draft = form_input.parse_action(read.values, today=now.date())
    if isinstance(draft, Errors):
        ack(response_action="errors", errors=draft.by_block)
        return
    try:
        with deps.session_scope() as session:
            item = retros.add_action(session, retro_id, draft, read.user, now)
            outbound.action_added(session, item, now)
    except retros.OwnerNotInRetro as refusal:
        ack(response_action="errors", errors={BlockId.RETRO_OWNER: str(refusal)})
        return
    except REFUSALS as refusal:
        ack(response_action="errors", errors={BlockId.RETRO_TEXT: str(refusal)})
        return
    ack()
    deps.outbox.wake()


def handle_done(ack: Ack, body: dict[str, Any], respond: Respond, deps: Deps) -> None:
    ack()
    read = payloads.clicked_number(body)
    where = payloads.message_at(read[0]) if not isinstance(read, Malformed) else read
    if isinstance(where, Malformed):
        unreadable(respond, "click on Mark done", where)
        return
    assert not isinstance(read, Malformed)
    (click, action_id), (channel, ts), now = read, where, deps.clock()
    try:
        with deps.session_scope() as session:
            item = retros.mark_done(session, action_id, click.user, now)
            outbound.marked_done(session, item, channel, ts, now)
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
