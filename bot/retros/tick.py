"""The retro job: each minute, open the retros that are due, close those whose window passed, nudge owners.

A pure function of ``now`` (tests pass an injected clock's time). Each step decides in one short
transaction and talks to Slack outside it.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.deps import Deps
from bot.retros import claims as retro_claims
from bot.retros import outbound as retro_delivery
from bot.retros import service as retros

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetroTick:
    opened: int
    posted: int
    closed: int
    nudged: int


def retro_tick(deps: Deps, now: datetime | None = None) -> RetroTick:
    now = now or deps.clock()
    with deps.session_scope() as session:
        opened = retros.open_due(session, now)
    posted = post_prompts(deps, now)
    with deps.session_scope() as session:
        closing = retro_claims.claim_closings(session, now)
    for summary in closing:
        ts = retro_delivery.post_summary(deps.slack, summary)
        with deps.session_scope() as session:
            retro_claims.record_summary(session, summary.retro.id, ts)
    with deps.session_scope() as session:
        nudges = retro_claims.claim_nudges(session, now)
    for action in nudges:
        retro_delivery.nudge(deps.slack, action)
    report = RetroTick(len(opened), posted, len(closing), len(nudges))
    if report != RetroTick(0, 0, 0, 0):
        log.info("Retro tick: %s", report)
    return report


def post_prompts(deps: Deps, now: datetime) -> int:
    """Post every prompt owed; how many were posted."""
    with deps.session_scope() as session:
        claims = retro_claims.claim_prompts(session, now)
    posted = 0
    for claim in claims:
        ts = retro_delivery.post_prompt(deps.slack, claim.retro, retried=claim.retried)
        with deps.session_scope() as session:
            retro_claims.record_prompt(session, claim.retro.id, ts)
        posted += ts is not None
    return posted
