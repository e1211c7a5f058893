"""Requests from where people already talk: the message shortcut *Turn into request*, and a department's intake
emoji on a message in its channel.

The shortcut opens the request modal (after the ack, on the modal pool) prefilled with the message and a link to
it; the link is built from the workspace's domain in the payload, or asked of Slack when the payload has none.
The reaction event carries no message: Slack has its answer (Bolt acks events before the listener runs), and the
work after it, behind the acks of a burst, reads the message (conversations.history, or .replies for a reply in a
thread), files it in one transaction with the card, the DM and the answer in its thread owed, and wakes the sender.
A failed read files nothing: reacting again tries again.
"""

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.ids import Callback
from bot.requests import drafting, filing, intake, outbound
from bot.requests.modals import setup_needed_modal
from bot.requests.request_modal import request_modal
from bot.requests.service import Source
from bot.slack import messages, payloads
from bot.slack.modals import open_modal
from bot.slack.payloads import Malformed
from handlers.after_ack import after_ack
from handlers.refusals import private, unreadable

log = logging.getLogger(__name__)


def handle_turn_into_request(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, deps: Deps) -> None:
    ack()
    read = payloads.message_shortcut(body)
    if isinstance(read, Malformed):
        unreadable(respond, "Turn into request", read)
        return
    work = partial(_open_from_message, read, client, respond, deps)
    after_ack(deps, work, "opening the request modal for a message", response_url=body.get("response_url"))


def _open_from_message(read: payloads.MessageShortcut, client: WebClient, respond: Respond, deps: Deps) -> None:
    message = messages.from_payload(read.channel, read.message)
    link = messages.link_in(read.team_domain, message) or messages.permalink(client, read.channel, message.ts)
    with deps.read_scope() as session:
        form = drafting.from_message(session, read.user, message, Source(read.channel, message.ts, link))
    open_modal(client, private(respond), read.trigger_id, request_modal(form) if form else setup_needed_modal())


def handle_reaction_added(event: dict[str, Any], deps: Deps) -> None:
    reaction = payloads.reaction(event)
    if reaction is not None:
        after_ack(deps, partial(_file_reacted, reaction, deps), "filing a message by its reaction", urgent=False)


def _file_reacted(reaction: payloads.Reaction, deps: Deps) -> None:
    with deps.read_scope() as session:
        department = intake.department_for(session, reaction.channel, reaction.emoji)
        if department is None or intake.already_filed(session, reaction.channel, reaction.ts):
            return
    message = messages.fetch(deps.slack, reaction.channel, reaction.ts)
    if message is None or message.author is None:  # gone, or a bot's: only people's messages are filed
        return
    link, now = messages.permalink(deps.slack, reaction.channel, reaction.ts), deps.clock()
    draft, key = intake.draft_from(department, message, link), intake.reaction_key(reaction.channel, reaction.ts)
    with deps.read_scope() as session:
        prepared = filing.prepare_filing(session, draft, message.author, now, view_id=key)
    with deps.session_scope() as session:
        request = filing.file_request(session, prepared)  # None: filed already, by a reaction at the same moment
        if request is not None:
            outbound.filed(session, request, now)
            intake.answer_in_thread(session, request, message, now)
    if request is not None:
        log.info("Filed request #%s from a reaction in %s", request.number, reaction.channel)
        deps.outbox.wake()


def register(app: App) -> None:
    app.shortcut(Callback.TURN_INTO_REQUEST)(handle_turn_into_request)
    app.event("reaction_added")(handle_reaction_added)
