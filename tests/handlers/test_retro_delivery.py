"""Every message of a retro arrives exactly once when Slack fails at the moment it is due, or the process dies.

Each kind of message (the prompt, its refresh, the summary, the "assigned" DM, the nudge, the "done" update)
meets each trouble: a 500, a 429 with Retry-After, a network error after Slack handled the call, a process
killed between the commit and the send (the rows owed, never sent), and a sender killed after Slack took
the message (its lease lapses). Then the clock moves on and the outbox is drained, by the tick or the sender.

IT's retro opens Friday 2026-11-27 15:00 Berlin (14:00 UTC) and closes Tuesday 2026-12-01 14:00 UTC;
action items are due Friday 2026-12-04 (nudged at 09:00 Berlin, 08:00 UTC).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from bot.retros import outbound
from bot.slack.sender import LEASE, PACE, Delivery
from storage import migrate, outbox
from storage.db import session_factory
from storage.types import UTCDateTime
from tests.fakes.databases import empty_database
from tests.handlers.harness import Harness, Json
from tests.handlers.retro_kit import (
    Crash,
    action_rows,
    add_action,
    add_entry,
    buttons,
    click_done,
    dying_sender,
    outbox_rows,
    retro_rows,
    texts,
    the_prompt,
    tick,
    use_retro_org,
    utc,
)

TROUBLES = ("500", "429", "network", "killed_before_send", "killed_after_post")


@dataclass
class Trouble:
    """One way for a message's delivery to go wrong; ``arm`` it before the change that owes the message."""

    how: str
    inhouse: Harness
    monkeypatch: pytest.MonkeyPatch

    def arm(self, method: str) -> None:
        slack, deps = self.inhouse.slack, self.inhouse.running.deps
        self.method = method
        if self.how == "500":
            slack.fail_next(method, error="internal_error", status=500)
        elif self.how == "429":
            slack.fail_next(method, status=429, retry_after=30)
        elif self.how == "network":
            slack.drop_next(method, after_handling=True)
        else:  # the process dies once the change is committed: its sender never runs
            self.monkeypatch.setattr(deps.outbox, "wake", lambda: None)
            self.monkeypatch.setattr(deps.outbox, "drain", Delivery)

    def strike(self) -> None:
        """After the change: a sender killed after posting got as far as Slack; then the process is back."""
        self.inhouse.wait_quiet()
        if self.how == "killed_after_post":
            with pytest.raises(Crash):
                dying_sender(self.inhouse, self.method).drain()
        self.monkeypatch.undo()

    def later(self) -> None:
        """Past any backoff, Retry-After and lease."""
        self.inhouse.clock.advance(seconds=LEASE.total_seconds() + 1)


@pytest.fixture(params=TROUBLES)
def trouble(request: pytest.FixtureRequest, inhouse: Harness) -> Iterator[Trouble]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield Trouble(request.param, inhouse, monkeypatch)


@pytest.fixture
def running(inhouse: Harness) -> Harness:
    use_retro_org(inhouse)
    tick(inhouse, utc(2026, 11, 23, 9))
    return inhouse


@pytest.fixture
def opened(running: Harness) -> Harness:
    tick(running, utc(2026, 11, 27, 14))
    return running


def unsent(inhouse: Harness) -> list[str]:
    return sorted(key for key, status in outbox_rows(inhouse).items() if status != "sent")


def drain(inhouse: Harness) -> None:
    inhouse.wait_quiet()
    inhouse.running.deps.outbox.drain()


def replies(inhouse: Harness) -> list[Json]:
    return inhouse.slack.replies("C0IT", the_prompt(inhouse)["ts"])


def test_the_prompt(running: Harness, trouble: Trouble) -> None:
    trouble.arm("chat.postMessage")
    tick(running, utc(2026, 11, 27, 14))
    trouble.strike()
    (retro,) = retro_rows(running)
    assert retro.id is not None
    assert unsent(running) == [outbound.prompt_key(retro.id)]
    trouble.later()
    tick(running)
    assert unsent(running) == []
    prompt = the_prompt(running)
    assert buttons(prompt) == ["Went well", "To improve", "Action item"]
    (retro,) = retro_rows(running)
    assert retro.prompt_ts == prompt["ts"]


def test_the_prompt_refresh(opened: Harness, trouble: Trouble) -> None:
    trouble.arm("chat.update")
    add_entry(opened, "went_well", "Fast laptop swap")
    trouble.strike()
    (retro,) = retro_rows(opened)
    (refresh,) = unsent(opened)
    assert refresh.startswith(f"retro:{retro.id}:refresh:entry:")
    trouble.later()
    drain(opened)
    assert unsent(opened) == []
    assert texts(the_prompt(opened))[-1] == "Entries so far: Went well 1 · To improve 0 · Action items 0"


def test_the_summary(opened: Harness, trouble: Trouble) -> None:
    add_entry(opened, "went_well", "Fast laptop swap")
    trouble.arm("chat.postMessage")
    tick(opened, utc(2026, 12, 1, 14))
    trouble.strike()
    (retro,) = retro_rows(opened)
    assert f"retro:{retro.id}:summary:0" in unsent(opened)
    trouble.later()
    tick(opened)
    opened.deliver_later(PACE.total_seconds())  # after a 429: a post (and its refresh) per PACE
    assert unsent(opened) == []
    (summary,) = replies(opened)
    assert summary["text"] == "Retrospective closed: IT Support: 1 entries, 0 action items."
    prompt = the_prompt(opened)
    assert (buttons(prompt), texts(prompt)[1]) == ([], "Closed: every entry and action item is in the thread.")


def test_the_assigned_dm(opened: Harness, trouble: Trouble) -> None:
    trouble.arm("chat.postMessage")
    add_action(opened, "Document the VPN", owner="U0ALICE")
    trouble.strike()
    (item,) = action_rows(opened)
    assert f"retro_action:{item.id}:assigned" in unsent(opened)
    trouble.later()
    drain(opened)
    assert unsent(opened) == []
    (dm,) = opened.dms_to("U0ALICE")
    assert dm["text"] == "You own an action item from the IT Support retrospective, due Fri 04 Dec 2026:"
    assert texts(the_prompt(opened))[-1] == "Entries so far: Went well 0 · To improve 0 · Action items 1"


def test_the_nudge(opened: Harness, trouble: Trouble) -> None:
    add_action(opened, "Document the VPN", owner="U0ALICE")
    tick(opened, utc(2026, 12, 1, 14))  # the retro closes: its summary is out of the way
    trouble.arm("chat.postMessage")
    assert tick(opened, utc(2026, 12, 4, 8)).nudged == 1
    trouble.strike()
    (item,) = action_rows(opened)
    assert unsent(opened) == [f"retro_action:{item.id}:nudge:{date(2026, 12, 4)}"]
    trouble.later()
    assert tick(opened).nudged == 0
    assert unsent(opened) == []
    _assigned, nudge = opened.dms_to("U0ALICE")
    assert nudge["text"].startswith("Reminder: your action item from the IT Support retrospective")


def test_the_done_update(opened: Harness, trouble: Trouble) -> None:
    add_action(opened, "Document the VPN", owner="U0ALICE")
    (dm,) = opened.dms_to("U0ALICE")
    trouble.arm("chat.update")
    click_done(opened, "U0ALICE", dm)
    trouble.strike()
    (item,) = action_rows(opened)
    assert item.status == "done"
    assert unsent(opened) == [f"retro_action:{item.id}:done:{dm['ts']}"]
    trouble.later()
    drain(opened)
    assert unsent(opened) == []
    (dm,) = opened.dms_to("U0ALICE")
    assert dm["text"].startswith(":white_check_mark: Done: your action item")
    assert buttons(dm) == []


def test_retros_held_before_the_outbox_keep_their_prompt(engine: Engine, tmp_path: Path) -> None:
    """The upgrade owes the prompt a claim had left unposted, and records the posted ones for their threads."""
    opened = utc(2026, 11, 27, 14)
    with empty_database(engine, tmp_path) as before:
        migrate.upgrade(before, "0005_one_outbox")
        schedule = sa.table(
            "retro_schedule",
            *(sa.column(c) for c in ("id", "channel", "cron", "timezone", "window", "template", "active")),
            sa.column("departments", sa.JSON()),
        )
        retro = sa.table(
            "retro",
            *(sa.column(c) for c in ("id", "schedule_id", "channel", "template", "prompt_ts")),
            *(sa.column(c, sa.JSON()) for c in ("departments", "facts")),
            *(sa.column(c, UTCDateTime()) for c in ("period_start", "period_end", "facts_since", "opened_at")),
            *(sa.column(c, UTCDateTime()) for c in ("closes_at", "closed_at", "prompt_claimed_at")),
        )
        with before.begin() as connection:
            connection.execute(
                schedule.insert().values(
                    id="it", departments=["it"], channel="C0IT", cron="0 15 * * fri",
                    timezone="Europe/Berlin", window="2d", template="went-well", active=True,
                )
            )  # fmt: skip
            common = {
                "schedule_id": "it", "channel": "C0IT", "template": "went-well", "departments": ["it"],
                "facts": {}, "period_end": opened, "facts_since": opened, "opened_at": opened, "closes_at": opened,
            }  # fmt: skip
            connection.execute(
                retro.insert(),
                [
                    {**common, "id": 1, "period_start": utc(2026, 11, 13, 14), "prompt_ts": "1.000100",
                     "closed_at": opened, "prompt_claimed_at": opened},
                    {**common, "id": 2, "period_start": utc(2026, 11, 20, 14), "prompt_ts": "1.000200",
                     "closed_at": None, "prompt_claimed_at": opened},
                    {**common, "id": 3, "period_start": utc(2026, 11, 27, 14), "prompt_ts": None,
                     "closed_at": None, "prompt_claimed_at": opened},
                ],
            )  # fmt: skip
        migrate.upgrade(before)
        with session_factory(before)() as session:
            rows = {
                row.key: (row.kind, row.lane, row.status, row.ts, row.payload)
                for status in ("pending", "sent")
                for row in outbox.by_status(session, status)
            }
    hook = {"name": outbound.PROMPT_SENT, "args": {"retro": 3}}
    assert rows == {
        "retro:1:prompt": (outbound.PROMPT, "retro:1", "sent", "1.000100", {"retro": 1}),
        "retro:2:prompt": (outbound.PROMPT, "retro:2", "sent", "1.000200", {"retro": 2}),
        "retro:3:prompt": (outbound.PROMPT, "retro:3", "pending", None, {"retro": 3, "on_sent": hook}),
    }
