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
from bot.domain.lifecycle import EventKind, Priority
from bot.errors import NotFound
from bot.ids import Action, BlockId, Callback
from bot.ratings import outbound as rating_prompts
from bot.ratings import service as ratings
from bot.requests import drafting, filing, form_input, outbound
from bot.requests import service as requests
from bot.requests.modals import resolve_modal, setup_needed_modal, transfer_modal
from bot.requests.request_modal import request_modal
from bot.slack import payloads
from bot.slack.forms import Errors, user_of
from bot.slack.message import Message
from bot.slack.modals import open_modal, update_modal
from bot.slack.payloads import Malformed
from bot.slack.text import PRIORITY_LABELS
from handlers import about_request
from handlers.after_ack import after_ack
from handlers.refusals import REFUSALS, UNREADABLE_FORM, private, refuse, unreadable, unreadable_form

log = logging.getLogger(__name__)

CANNOT_SAVE = "Inhouse cannot save requests right now. Please try again in a moment: your text is still here."

_CLICKS = {
    Action.ACKNOWLEDGE: EventKind.ACKNOWLEDGED,
    Action.RESUME: EventKind.RESUMED,
    Action.REOPEN: EventKind.REOPENED,
    Action.TAKE: EventKind.ASSIGNED,
}


# /request


def handle_request_command(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond, deps: Deps) -> None:
    ack()
    user, trigger_id = payloads.user_of(command), command.get("trigger_id")
    if isinstance(user, Malformed) or not isinstance(trigger_id, str):
        unreadable(respond, "/request", user if isinstance(user, Malformed) else Malformed("the trigger is missing"))
        return
    text = command.get("text")
    work = partial(_open_request_modal, user, trigger_id, text if isinstance(text, str) else "", client, respond, deps)
    after_ack(deps, work, "opening the /request modal", response_url=command.get("response_url"), urgent=True)


def _open_request_modal(user: str, trigger_id: str, text: str, client: WebClient, respond: Respond, deps: Deps) -> None:
    with deps.read_scope() as session:
        asked = drafting.for_command(session, user, text)
    if isinstance(asked, Message):  # help, a department that does not exist, or a newcomer: the catalog
        private(respond)(**asked.as_kwargs(), response_type="ephemeral", replace_original=False)
        return
    open_modal(client, private(respond), trigger_id, request_modal(asked) if asked else setup_needed_modal())


def handle_request_choice(ack: Ack, body: dict[str, Any], client: WebClient, deps: Deps) -> None:
    """A department or a service chosen in the request modal: the modal shows what that one offers and asks."""
    ack()
    read = payloads.view_choice(body)
    if isinstance(read, Malformed) or read.callback_id != Callback.REQUEST:
        return  # the same selects in other modals dispatch nothing; a malformed payload has no modal to update
    work = partial(_update_request_modal, read, client, deps)
    after_ack(deps, work, f"updating the request modal after a {read.action_id} choice", urgent=True)


def _update_request_modal(read: payloads.ViewChoice, client: WebClient, deps: Deps) -> None:
    source = form_input.source_of(read.private_metadata)
    requester = user_of(read.values, BlockId.REQUESTER, Action.REQUESTER)
    with deps.read_scope() as session:
        form = drafting.updated_form(session, read.user, read.values, source, requester)
    update_modal(client, read.view_id, read.view_hash, request_modal(form))


# Buttons on the card


def handle_open_card(ack: Ack) -> None:
    """The Open button is a link; Slack still sends the click, which only needs an ack."""
    ack()


def handle_click(ack: Ack, body: dict[str, Any], respond: Respond, deps: Deps) -> None:
    ack()
    read = payloads.clicked_number(body)
    if isinstance(read, Malformed):
        unreadable(respond, "click on a card", read)
        return
    click, number = read
    kind = _CLICKS[Action(click.action_id)]  # the listener is registered for these action ids only
    work = partial(_apply_click, number, kind, click.user, respond, deps)
    after_ack(deps, work, f"the {click.action_id} click", response_url=body.get("response_url"), urgent=False)


def _apply_click(number: int, kind: EventKind, actor: str, respond: Respond, deps: Deps) -> None:
    """The click's change, behind the acks of a burst (bot.follow_ups): its card and notes come after it anyway."""
    now = deps.clock()
    try:
        with deps.session_scope() as session:
            request = requests.act(session, number, kind, actor, now)
            outbound.changed(session, request, kind, actor, now)
    except REFUSALS as refusal:
        refuse(respond, refusal)
        return
    deps.outbox.wake()


def handle_priority_change(ack: Ack, body: dict[str, Any], respond: Respond, deps: Deps) -> None:
    ack()
    read = payloads.selected_value(body)
    if isinstance(read, Malformed):
        unreadable(respond, "priority change", read)
        return
    click, value = read
    chosen = _priority_choice(value)
    if isinstance(chosen, Malformed):
        unreadable(respond, "priority change", chosen)
        return
    (number, priority), now = chosen, deps.clock()
    detail = f" to {PRIORITY_LABELS.get(priority, priority).lower()}"
    try:
        with deps.session_scope() as session:
            request = requests.change_priority(session, number, click.user, priority, now)
            outbound.changed(session, request, EventKind.REPRIORITIZED, click.user, now, detail=detail)
    except REFUSALS as refusal:
        refuse(respond, refusal)
        return
    deps.outbox.wake()


def _priority_choice(value: str) -> tuple[int, str] | Malformed:
    """``"12:high"`` -> (12, "high")."""
    number, _, priority = value.partition(":")
    parsed = payloads.number(number)
    if isinstance(parsed, Malformed):
        return parsed
    return (parsed, priority) if priority in set(Priority) else Malformed("the priority is not one")


def handle_resolve_click(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, deps: Deps) -> None:
    ack()
    read = about_request.modal_click(body, respond, "click on Resolve")
    if read is None:
        return
    click, number, trigger_id = read
    try:
        with deps.read_scope() as session:
            request = requests.check_staff(session, number, click.user)
    except REFUSALS as refusal:
        refuse(respond, refusal)
        return
    open_modal(client, private(respond), trigger_id, resolve_modal(request))


def handle_transfer_click(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, deps: Deps) -> None:
    ack()
    read = about_request.modal_click(body, respond, "click on Transfer")
    if read is None:
        return
    click, number, trigger_id = read
    try:
        with deps.read_scope() as session:
            request = requests.check_staff(session, number, click.user)
            departments = requests.departments(session)
    except REFUSALS as refusal:
        refuse(respond, refusal)
        return
    open_modal(client, private(respond), trigger_id, transfer_modal(request, departments))


# Modal submissions


def _unreadable_form(ack: Ack, block: BlockId, what: str, malformed: Malformed) -> None:
    unreadable_form(what, malformed)
    ack(response_action="errors", errors={block: UNREADABLE_FORM})


def handle_request_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], deps: Deps) -> None:
    read = payloads.submission(body, view)
    if isinstance(read, Malformed):
        _unreadable_form(ack, BlockId.DESCRIPTION, "request form", read)
        return
    now, request = deps.clock(), None  # stays None when this modal was submitted before (a double submit)
    try:
        with deps.read_scope() as session:  # the reads, outside the writer's turn
            offered = drafting.catalog(session)
        source = form_input.source_of(read.private_metadata)
        draft = form_input.parse_request(read.values, today=now.date(), catalog=offered, source=source)
        if isinstance(draft, Errors):
            ack(response_action="errors", errors=draft.by_block)
            return
        with deps.read_scope() as session:
            filed = requests.filed_from(session, read.view_id) is not None
            requester = draft.requester or read.user
            prepared = None if filed else filing.prepare_filing(session, draft, requester, now, view_id=read.view_id)
        if prepared is not None:
            with deps.session_scope() as session:  # the writer's turn: the request, its card and DM owed
                request = filing.file_request(session, prepared)
                if request is not None:
                    outbound.filed(session, request, now)
    except NotFound as missing:
        ack(response_action="errors", errors={BlockId.DEPARTMENT: str(missing)})
        return
    except DBAPIError as failure:  # the database is down or refused: the modal stays open with the text in it
        log.error("Could not file a request: the database failed (%s)", type(failure.orig or failure).__name__)
        ack(response_action="errors", errors={BlockId.DESCRIPTION: CANNOT_SAVE})
        return
    ack()
    if request is not None:
        deps.outbox.wake()


def handle_resolve_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], deps: Deps) -> None:
    about = about_request.submission(ack, body, view, BlockId.NOTE, "resolve form")
    if about is None:
        return
    (read, number), now = about, deps.clock()
    note = form_input.parse_note(read.values, required=True)
    if isinstance(note, Errors):
        ack(response_action="errors", errors=note.by_block)
        return
    try:
        with deps.session_scope() as session:
            request = requests.resolve(session, number, read.user, note, now)
            asked = ratings.ask_after_resolve(session, request.number, now)  # once per request, in the same lock
            outbound.changed(session, request, EventKind.RESOLVED, read.user, now, note)
            rating_prompts.ask(session, request, read.user, asked, now)
    except REFUSALS as refusal:
        ack(response_action="errors", errors={BlockId.NOTE: str(refusal)})
        return
    ack()
    deps.outbox.wake()


def handle_transfer_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], deps: Deps) -> None:
    about = about_request.submission(ack, body, view, BlockId.DEPARTMENT, "transfer form")
    if about is None:
        return
    (read, number), now = about, deps.clock()
    choice = form_input.parse_transfer(read.values)
    if isinstance(choice, Errors):
        ack(response_action="errors", errors=choice.by_block)
        return
    department, note = choice
    try:
        with deps.session_scope() as session:
            old = requests.get(session, number)
            new = requests.transfer(session, number, read.user, department, now, note=note or None)
            outbound.transferred(session, old, new, read.user, note or None, now)
    except REFUSALS as refusal:
        ack(response_action="errors", errors={BlockId.DEPARTMENT: str(refusal)})
        return
    ack()
    deps.outbox.wake()


# Replies under a card


def handle_message(event: dict[str, Any], deps: Deps) -> None:
    """A person's reply in a card's thread: the provider's first is the request's first response, the requester's
    first while it waits on them their answer (it stops the customer's clock; the request keeps waiting)."""
    thread_ts, user, channel = (
        payloads.event_text(event, "thread_ts"),
        payloads.event_user(event),
        payloads.event_text(event, "channel"),
    )
    if event.get("subtype") or event.get("bot_id") or not thread_ts or not user or not channel:
        return
    if thread_ts == event.get("ts"):
        return
    now = deps.clock()
    with deps.session_scope() as session:
        request = requests.record_reply(session, channel, thread_ts, user, now)
        if request is not None:
            outbound.replied(session, request, now)
    if request is not None:
        deps.outbox.wake()


def register(app: App) -> None:
    app.command("/request")(handle_request_command)
    app.action(Action.DEPARTMENT)(handle_request_choice)
    app.action(Action.SERVICE)(handle_request_choice)
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
