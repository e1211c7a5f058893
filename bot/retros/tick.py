"""The retro job: each minute, open the retros that are due, close those whose window passed, nudge owners.

A pure function of ``now`` (tests pass an injected clock's time). Each step decides in one short
transaction that also owes its messages in the outbox; then the outbox is drained, so a prompt, a summary
or a nudge that a scheduler owed and could not send (Slack failing, the process killed) goes out at the
next tick.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from bot.deps import Deps
from bot.retros import outbound
from bot.retros import service as retros
from bot.slack.sender import Delivery

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetroTick:
    opened: int = 0
    closed: int = 0
    nudged: int = 0
    delivery: Delivery = field(default_factory=Delivery)
    """What the outbox sent after (everything due, the prompts, summaries and nudges owed here included)."""


def retro_tick(deps: Deps, now: datetime | None = None) -> RetroTick:
    """``now`` is the instant the retros are decided at; the outbox rows are owed at the clock's time."""
    now = now or deps.clock()
    with deps.session_scope() as session:
        opened = retros.open_due(session, now)
        outbound.opened(session, opened, deps.clock())
    with deps.session_scope() as session:
        closed = retros.close_due(session, now)
        outbound.closed(session, closed, deps.clock())
    with deps.session_scope() as session:
        nudges = retros.due_nudges(session, now)
        outbound.nudged(session, nudges, deps.clock())
    report = RetroTick(len(opened), len(closed), len(nudges), deps.outbox.drain())
    if report.opened or report.closed or report.nudged:
        log.info("Retro tick: %d opened, %d closed, %d nudged", report.opened, report.closed, report.nudged)
    return report
