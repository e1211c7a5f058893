"""APScheduler wiring: which jobs run when. Jobs are rebuilt from code and the org at every start,
so no job state is stored (nothing pickled)."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.checkups.tick import checkup_tick
from bot.deps import Deps
from bot.jobs import scheduled as jobs
from bot.retros import tick as retro_tick
from storage.feedback import org_timezone

SLA_TICK_SECONDS = 60
SENDER_THREADS = 8  # each mostly waits for Slack; the sender keeps to one message at a time per lane


@contextmanager
def delivering(deps: Deps) -> Iterator[None]:
    """The outbox sender's loop, on threads of its own, for as long as the scheduler runs: it delivers what web
    workers owed and could not send (they died, Slack failed) and what the jobs owe, within a second or two."""
    stop = threading.Event()
    loop = threading.Thread(
        target=deps.outbox.run, args=(stop,), kwargs={"threads": SENDER_THREADS}, name="outbox", daemon=True
    )
    loop.start()
    try:
        yield
    finally:
        stop.set()
        loop.join(timeout=30)


REPORTS_EVERY_MINUTES = 5  # a report is due from 09:00 on its day: posted by 09:05
STATISTICS_EVERY_HOURS = 6


def build_scheduler(deps: Deps, *, blocking: bool) -> BaseScheduler:
    scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
    scheduler: BaseScheduler = scheduler_class(
        timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 55}
    )
    scheduler.add_job(
        jobs.sla_tick,
        IntervalTrigger(seconds=SLA_TICK_SECONDS, timezone=UTC),
        args=[deps],
        id="sla_tick",
        name="SLA sweep and outbox delivery",
        next_run_time=deps.clock(),
    )
    with deps.session_scope() as session:
        zone = org_timezone(session)
    scheduler.add_job(
        jobs.weekly_feedback_digest,
        CronTrigger(day_of_week="mon", hour=9, timezone=zone),
        args=[deps],
        id="feedback_digest",
        name="Weekly feedback digest to managers",
        misfire_grace_time=6 * 3600,  # a scheduler down at 09:00 still sends it that morning
    )
    scheduler.add_job(
        retro_tick.retro_tick,
        IntervalTrigger(seconds=SLA_TICK_SECONDS, timezone=UTC),
        args=[deps],
        id="retro_tick",
        name="Retrospectives: open, close, nudge (periods computed from the org's crons)",
        next_run_time=deps.clock(),
    )
    scheduler.add_job(
        checkup_tick,
        IntervalTrigger(seconds=SLA_TICK_SECONDS, timezone=UTC),
        args=[deps],
        id="checkup_tick",
        name="Check-ups: close, open, nudge (periods computed from the org's crons)",
        next_run_time=deps.clock(),
    )
    scheduler.add_job(
        jobs.periodic_reports,
        IntervalTrigger(minutes=REPORTS_EVERY_MINUTES, timezone=UTC),
        args=[deps],
        id="periodic_reports",
        name="Each department's monthly (or weekly) report in its channel",
        next_run_time=deps.clock(),
    )
    scheduler.add_job(
        jobs.directory_sync,
        IntervalTrigger(hours=1, timezone=UTC),
        args=[deps],
        id="directory_sync",
        name="The org file's user groups looked up again: who joined and left its departments",
    )
    scheduler.add_job(
        jobs.refresh_planner_statistics,
        IntervalTrigger(hours=STATISTICS_EVERY_HOURS, timezone=UTC),
        args=[deps],
        id="planner_statistics",
        name="SQLite's query planner statistics gathered again as the data grows",
        next_run_time=deps.clock(),
    )
    return scheduler
