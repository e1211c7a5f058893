"""The check-up job: each minute, close the check-up whose window passed, open the one that is due, nudge once.

A pure function of ``now``. Each step decides in one short transaction that also owes its messages in the outbox;
then the sender is woken (the DMs are due one a second, so the scheduler's sender delivers most of them later).
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.checkups import outbound
from bot.checkups import service as checkups
from bot.deps import Deps

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckupTick:
    closed: int = 0
    opened: int = 0
    invited: int = 0
    nudged: int = 0


def checkup_tick(deps: Deps, now: datetime | None = None) -> CheckupTick:
    """``now`` is the instant the check-ups are decided at; the outbox rows are owed at the clock's time."""
    now = now or deps.clock()
    with deps.session_scope() as session:
        closed = checkups.close_due(session, now)
    with deps.session_scope() as session:
        opened = checkups.open_due(session, now)
        invited = outbound.opened(session, opened, deps.clock())
    with deps.session_scope() as session:
        nudged = outbound.nudged(session, checkups.due_nudges(session, now), deps.clock())
    report = CheckupTick(len(closed), len(opened), invited, nudged)
    if report != CheckupTick():
        log.info("Check-up tick: %d closed, %d opened (%d DMs owed), %d nudges owed", *vars(report).values())
        deps.outbox.wake()
    return report
