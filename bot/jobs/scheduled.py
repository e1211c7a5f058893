"""Scheduled work. Each job opens its own session scope and reads time from the injected clock."""

import logging
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.feedback import digest_outbound
from bot.org.sync import Synced, sync_groups
from bot.reports import periodic as reports
from bot.sla import sweep as sla_sweep
from bot.slack.client import directory_client
from bot.slack.directory import LookupFailed, SlackDirectory
from bot.slack.sender import Delivery
from storage import planner_statistics, runs
from storage.feedback import org_timezone

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TickReport:
    swept: bool
    milestones: int
    delivery: Delivery


def sla_tick(deps: Deps, now: datetime | None = None) -> TickReport:
    """One sweep (detect and owe alerts, one transaction), then deliver what is owed."""
    now = now or deps.clock()
    with deps.session_scope() as session:
        result = sla_sweep.sweep(session, now)
    delivery = deps.outbox.drain()
    if result.milestones or delivery.sent or delivery.dead:
        log.info(
            "SLA tick: %d milestones, %d sent, %d retrying, %d dead",
            result.milestones,
            delivery.sent,
            delivery.retrying,
            delivery.dead,
        )
    return TickReport(result.ran, result.milestones, delivery)


def directory_sync(deps: Deps, now: datetime | None = None) -> Synced | None:
    """The user groups the org file names, looked up again and applied: once an hour, whatever the schedulers."""
    now = now or deps.clock()
    with deps.session_scope() as session:
        if not runs.claim(session, "directory_sync", now.replace(minute=0, second=0, microsecond=0), now):
            return None
    try:
        synced = sync_groups(deps.session_scope, SlackDirectory(directory_client(deps.settings)), now)
    except (LookupFailed, SlackApiError, OSError) as failure:  # the next hour tries again
        log.warning("Directory sync: could not look the user groups up in Slack (%s)", failure)
        return None
    if synced.left:
        deps.outbox.wake()  # the managers' DMs about what was assigned to people who left
    return synced


def periodic_reports(deps: Deps, now: datetime | None = None) -> int:
    """Each department's monthly (or weekly) report in its channel, when due: owed once per period, then sent."""
    now = now or deps.clock()
    with deps.session_scope() as session:
        owed = reports.post_due(session, now)
    if owed:
        log.info("Periodic reports: %d owed", owed)
        deps.outbox.wake()
    return owed


def weekly_feedback_digest(deps: Deps, now: datetime | None = None) -> int | None:
    """The week's feedback digest, once per day it is due even with several schedulers; DMs sent, or None.

    The claim and the DMs owed are one transaction; the DMs' keys (per department, week and manager) would make
    a second run owe nothing new anyway.
    """
    now = now or deps.clock()
    with deps.session_scope() as session:
        zone = ZoneInfo(org_timezone(session))
        day_start = datetime.combine(now.astimezone(zone).date(), time(), zone)
        if not runs.claim(session, "feedback_digest", day_start, now):
            return None
        run = digest_outbound.owe_feedback_digests(session, now)
    run = digest_outbound.delivered(deps, run)
    log.info("Feedback digest: %d DMs owed, %d sent, %d to retry", len(run.new), run.sent, run.waiting)
    return run.sent


def refresh_planner_statistics(deps: Deps) -> None:
    """SQLite's query planner statistics gathered again (milliseconds; nothing on PostgreSQL): the reports' plans
    read the pairs in order only when the statistics show how few there are (``storage.planner_statistics``)."""
    with deps.session_scope() as session:
        planner_statistics.refresh(session.connection())
