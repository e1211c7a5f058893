"""Modal submissions: a new request, a resolution, a transfer."""

from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import announce, rating_prompts
from bot.deps import Deps
from bot.domain.lifecycle import EventKind, TransitionError
from bot.ids import BlockId, Callback
from bot.services import filing, ratings, requests
from handlers import forms
from handlers.after_ack import after_ack

REFUSALS = (requests.NotAllowed, requests.NotFound, TransitionError)


def _values(view: dict[str, Any]) -> forms.StateValues:
    values: forms.StateValues = view["state"]["values"]
    return values


def handle_request_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, deps: Deps
) -> None:
    now = deps.clock()
    draft = forms.parse_request(_values(view), today=now.date())
    if isinstance(draft, forms.Errors):
        ack(response_action="errors", errors=draft.by_block)
        return
    try:
        with deps.read_scope() as session:  # the reads, outside the writer's turn
            prepared = filing.prepare_filing(session, draft, body["user"]["id"], now)
        with deps.session_scope() as session:
            request = filing.file_request(session, prepared)
    except requests.NotFound as missing:
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
    note = forms.parse_note(_values(view), required=True)
    if isinstance(note, forms.Errors):
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
    choice = forms.parse_transfer(_values(view))
    if isinstance(choice, forms.Errors):
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


def register(app: App) -> None:
    app.view(Callback.REQUEST)(handle_request_submitted)
    app.view(Callback.RESOLVE)(handle_resolve_submitted)
    app.view(Callback.TRANSFER)(handle_transfer_submitted)
