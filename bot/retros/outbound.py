"""What retros owe Slack, as outbox rows written in the transaction that decides them; the sender delivers them.

A retro's messages share the lane ``retro:{id}``, so they go out in the order they were owed: the prompt
(rendered when it is sent, so it shows the retro as it is then; its ts is stored on the retro), each refresh
of it (an update, rendered when sent; refreshes waiting together go out as one update), and at the close the
summary in its thread, then the refresh that shows it closed. An action item's owner gets a DM when it is
assigned and a nudge on its due day; "Mark done" updates the DM that was clicked. Every key is derived from
what it is about, so a retried event or a second scheduler owes nothing twice.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.errors import NotAllowed
from bot.retros.prompt_blocks import prompt
from bot.retros.summary_blocks import assigned_dm, done_dm, nudge_dm, summary_messages
from bot.retros.views import ActionView, retro_view, summary
from bot.slack import outbox as owed
from bot.slack.outbox import POST, UPDATE, Hook, Owed
from bot.slack.payloads import is_user_id
from bot.slack.sender import Call, Kinds, Undeliverable
from storage import outbox
from storage.models import Outbox
from storage.retro_models import Retro

PROMPT = "retro_prompt"
REFRESH = "retro_refresh"
PROMPT_SENT = "retro_prompt_sent"


def lane(retro_id: int) -> str:
    return f"retro:{retro_id}"


def prompt_key(retro_id: int) -> str:
    return f"retro:{retro_id}:prompt"


def _retro(session: Session, retro_id: int) -> Retro:
    retro = session.get(Retro, retro_id)
    if retro is None:
        raise LookupError(f"retro {retro_id} is not in this transaction")
    return retro


def _refresh(retro: Retro, why: str) -> Owed:
    assert retro.id is not None
    return Owed(
        f"retro:{retro.id}:refresh:{why}",
        retro.channel,
        kind=REFRESH,
        payload={"retro": retro.id, "parent_field": "ts"},
        lane=lane(retro.id),
        parent_key=prompt_key(retro.id),
    )


# --- what changes owe (in the caller's transaction) -----------------------------------------------------------


def opened(session: Session, retro_ids: Iterable[int], now: datetime) -> int:
    """The prompt of each retro just opened; how many were owed."""
    prompts = []
    for retro_id in retro_ids:
        retro = _retro(session, retro_id)
        prompts.append(
            Owed(
                prompt_key(retro_id),
                retro.channel,
                kind=PROMPT,
                payload={"retro": retro_id},
                lane=lane(retro_id),
                on_sent=Hook(PROMPT_SENT, {"retro": retro_id}),
            )
        )
    return owed.owe(session, prompts, now)


def entry_added(session: Session, retro_id: int, entry_id: int, now: datetime) -> None:
    """The prompt's counts change."""
    owed.owe(session, [_refresh(_retro(session, retro_id), f"entry:{entry_id}")], now)


def action_added(session: Session, item: ActionView, now: datetime) -> None:
    """The prompt's counts change, and the owner hears it is theirs."""
    dm = owed.post(f"retro_action:{item.id}:assigned", item.owner_id, assigned_dm(item))
    owed.owe(session, [_refresh(_retro(session, item.retro_id), f"action:{item.id}"), dm], now)


def closed(session: Session, retro_ids: Iterable[int], now: datetime) -> int:
    """Each closed retro's summary in its prompt's thread (as many messages as it needs), then the prompt closed."""
    messages: list[Owed] = []
    for retro_id in retro_ids:
        retro = _retro(session, retro_id)
        for part, message in enumerate(summary_messages(summary(session, retro))):
            key = f"retro:{retro_id}:summary:{part}"
            messages.append(owed.post(key, retro.channel, message, lane=lane(retro_id), thread_of=prompt_key(retro_id)))
        messages.append(_refresh(retro, "closed"))
    return owed.owe(session, messages, now)


def nudged(session: Session, items: Iterable[ActionView], now: datetime) -> int:
    """A nudge to each owner (an owner that is not a user id, stored before owners were checked, gets none)."""
    nudges = [
        owed.post(f"retro_action:{item.id}:nudge:{item.due_on}", item.owner_id, nudge_dm(item))
        for item in items
        if is_user_id(item.owner_id)
    ]
    return owed.owe(session, nudges, now)


def marked_done(session: Session, item: ActionView, channel: str, ts: str, now: datetime) -> None:
    """The DM whose button was clicked (an assignment or a nudge) now says it is done.

    Only if it is one of the DMs the outbox posted for this item: the payload says where the click was, and could
    name another of the bot's messages (NotAllowed, which undoes the caller's transaction).
    """
    keys = (f"retro_action:{item.id}:assigned", f"retro_action:{item.id}:nudge:{item.due_on}")
    if not any((row := outbox.by_key(session, key)) is not None and row.ts == ts for key in keys):
        raise NotAllowed("That was not a message about this action item: nothing was changed.")
    owed.owe(session, [owed.update(f"retro_action:{item.id}:done:{ts}", channel, done_dm(item), ts=ts)], now)


def prompt_posted(session: Session, retro_id: int) -> bool:
    row = outbox.by_key(session, prompt_key(retro_id))
    return row is not None and row.status == outbox.SENT


def summary_posted(session: Session, retro_id: int) -> bool:
    row = outbox.by_key(session, f"retro:{retro_id}:summary:0")
    return row is not None and row.status == outbox.SENT


# --- rendering and recording, at send time --------------------------------------------------------------------


def _prompt_call(session: Session, rows: Sequence[Outbox], method: str) -> Call:
    retro = session.get(Retro, rows[0].payload["retro"])
    if retro is None:
        raise Undeliverable("the retro is gone")
    return Call(method, {"channel": retro.channel, **prompt(retro_view(session, retro)).as_kwargs()})


def render_prompt(session: Session, rows: Sequence[Outbox], _now: datetime) -> Call:
    return _prompt_call(session, rows, POST)


def render_refresh(session: Session, rows: Sequence[Outbox], _now: datetime) -> Call:
    """One update for the refreshes waiting together: the prompt as the retro is now (``ts`` from the prompt's row)."""
    return _prompt_call(session, rows, UPDATE)


def prompt_sent(session: Session, row: Outbox, args: Mapping[str, Any], _now: datetime) -> None:
    retro = session.get(Retro, int(args["retro"]))
    if retro is not None and row.ts is not None:
        retro.prompt_ts = row.ts
        session.add(retro)
        session.flush()


KINDS = Kinds(
    renderers={PROMPT: render_prompt, REFRESH: render_refresh},
    hooks={PROMPT_SENT: prompt_sent},
    batchable=frozenset({REFRESH}),
)
