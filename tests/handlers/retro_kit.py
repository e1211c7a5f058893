"""Running retrospectives the way people and the scheduler do, for the retro tests.

The retro org adds IT's own retro to the test org, Fridays at 15:00 Berlin (window 2 working days);
the pair org has instead IT with Sales on Mondays at 10:00 (start-stop-continue, window 1 working day).
Both lower anonymity_min to 2.
"""

from datetime import UTC, date, datetime
from typing import Any

from slack_sdk import WebClient
from sqlmodel import col, select

from bot.ids import Action, BlockId, Callback
from bot.org.apply import apply_org
from bot.org.model import load_org_text
from bot.outbox_kinds import all_kinds
from bot.retros.tick import RetroTick, retro_tick
from bot.slack.sender import Sender
from storage import outbox
from storage.retro_models import Retro, RetroAction, RetroEntry
from tests.fakes.app_server import BOT_TOKEN
from tests.fakes.signing import AppResponse, checkboxes, datepicker, plain_value, users_select
from tests.handlers.harness import Harness, Json
from tests.orgs import TEST_ORG

IT_RETRO = """
[[retros]]
department = "it"
channel = "C0IT"
cron = "0 15 * * fri"
"""
PAIR_RETRO = """
[[retros]]
departments = ["it", "sales"]
channel = "C0ITSALES"
cron = "0 10 * * mon"
window = "1d"
template = "start-stop-continue"
"""
RETRO_ORG = TEST_ORG.replace('timezone = "Europe/Berlin"\n', 'timezone = "Europe/Berlin"\nanonymity_min = 2\n', 1)
PAIR_ORG = RETRO_ORG + PAIR_RETRO
RETRO_ORG += IT_RETRO


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def use_retro_org(inhouse: Harness, text: str = RETRO_ORG) -> None:
    with inhouse.session_scope() as session:
        apply_org(session, load_org_text(text, "retro-org.toml"))


def tick(inhouse: Harness, at: datetime | None = None) -> RetroTick:
    """One retro tick at ``at`` (the clock is set there first), after the app's pending work."""
    if at is not None:
        inhouse.clock.set(at)
    inhouse.wait_quiet()
    return retro_tick(inhouse.running.deps, inhouse.clock())


def prompts(inhouse: Harness, channel: str = "C0IT") -> list[Json]:
    """The retro prompts in a channel, oldest first (as they read now)."""
    return [
        m
        for m in inhouse.slack.messages(channel)
        if "Retrospective: " in m["text"] and m.get("thread_ts", m["ts"]) == m["ts"]
    ]


def the_prompt(inhouse: Harness, channel: str = "C0IT") -> Json:
    (prompt,) = prompts(inhouse, channel)
    return prompt


def texts(message: Json) -> list[str]:
    """The mrkdwn of each section and context block."""
    found = []
    for block in message["blocks"]:
        if block["type"] == "section":
            found.append(block["text"]["text"])
        elif block["type"] == "context":
            found += [element["text"] for element in block["elements"]]
    return found


def buttons(message: Json) -> list[str]:
    return [e["text"]["text"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


def _open(inhouse: Harness, prompt: Json, action_id: str, user: str, channel: str) -> str:
    opened = len(inhouse.slack.calls_to("views.open"))
    response = inhouse.signer.block_action(action_id, user_id=user, channel_id=channel, message_ts=prompt["ts"]).send()
    assert response.status == 200
    modal = inhouse.slack.wait_for("views.open", count=opened + 1)[-1]
    return str(modal.response["view"]["id"])


def add_entry(
    inhouse: Harness, kind: str, text: str, *, user: str = "U0BOB", signed: bool = False, channel: str = "C0IT"
) -> AppResponse:
    view_id = _open(inhouse, prompts(inhouse, channel)[-1], f"{Action.RETRO_ADD_ENTRY}_{kind}", user, channel)
    values: dict[Any, Any] = {
        BlockId.RETRO_TEXT: {Action.RETRO_TEXT: plain_value(text)},
        BlockId.RETRO_SIGN: {Action.RETRO_SIGN: checkboxes(["sign"] if signed else [])},
    }
    response = inhouse.signer.view_submission(Callback.RETRO_ENTRY, values, user_id=user, view_id=view_id).send()
    inhouse.wait_quiet()
    return response


def add_action(
    inhouse: Harness,
    text: str,
    *,
    owner: str | None = "U0ALICE",
    due: date | None = date(2026, 12, 4),
    user: str = "U0ITMGR",
    signed: bool = True,
    channel: str = "C0IT",
) -> AppResponse:
    view_id = _open(inhouse, prompts(inhouse, channel)[-1], Action.RETRO_ADD_ACTION, user, channel)
    values: dict[Any, Any] = {
        BlockId.RETRO_TEXT: {Action.RETRO_TEXT: plain_value(text)},
        BlockId.RETRO_OWNER: {Action.RETRO_OWNER: users_select(owner)},
        BlockId.RETRO_DUE: {Action.RETRO_DUE: datepicker(due.isoformat() if due else None)},
        BlockId.RETRO_SIGN: {Action.RETRO_SIGN: checkboxes(["sign"] if signed else [])},
    }
    response = inhouse.signer.view_submission(Callback.RETRO_ACTION, values, user_id=user, view_id=view_id).send()
    inhouse.wait_quiet()
    return response


def click_done(inhouse: Harness, user: str, dm: Json, *, as_user: str | None = None) -> AppResponse:
    channel = inhouse.slack.dm_channel(user)
    response = inhouse.signer.block_action(
        Action.RETRO_ACTION_DONE, user_id=as_user or user, channel_id=channel, message_ts=dm["ts"]
    ).send()
    inhouse.wait_quiet()
    return response


def retro_rows(inhouse: Harness) -> list[Retro]:
    with inhouse.session_scope() as session:
        return list(session.exec(select(Retro).order_by(col(Retro.id))))


def entry_rows(inhouse: Harness) -> list[tuple[str, str, bool, str | None]]:
    with inhouse.session_scope() as session:
        rows = session.exec(select(RetroEntry).order_by(col(RetroEntry.id)))
        return [(row.kind, row.text, row.anonymous, row.author_id) for row in rows]


def action_rows(inhouse: Harness) -> list[RetroAction]:
    with inhouse.session_scope() as session:
        return list(session.exec(select(RetroAction).order_by(col(RetroAction.id))))


def outbox_rows(inhouse: Harness) -> dict[str, str]:
    """Every outbox row's key and status."""
    with inhouse.session_scope() as session:
        statuses = (outbox.PENDING, outbox.SENDING, outbox.SENT, outbox.DEAD)
        return {row.key: row.status for status in statuses for row in outbox.by_status(session, status)}


class Crash(BaseException):
    """The process dies: nothing after this point runs, no handler catches it."""


def dying_sender(inhouse: Harness, method: str) -> Sender:
    """A sender whose process dies right after Slack handled its first call of ``method``."""

    class DiesAfterSlackHandled(WebClient):
        def api_call(self, api_method: str, **kwargs: Any) -> Any:
            response = super().api_call(api_method, **kwargs)
            if api_method == method:
                raise Crash
            return response

    client = DiesAfterSlackHandled(token=BOT_TOKEN, base_url=inhouse.slack.base_url, retry_handlers=[], timeout=5)
    return Sender(inhouse.session_scope, client, inhouse.clock, all_kinds(inhouse.running.deps.settings))
