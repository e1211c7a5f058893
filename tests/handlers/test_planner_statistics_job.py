"""SQLite gathers its query planner statistics only when told: the scheduler tells it, every six hours."""

from datetime import timedelta

import pytest
from apscheduler.job import Job
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine, text

from bot.jobs import scheduled as jobs
from bot.jobs.scheduler import build_scheduler
from storage.db import is_sqlite
from tests.handlers.harness import Harness


def test_the_scheduler_gathers_them_at_start_and_every_six_hours(inhouse: Harness) -> None:
    job = build_scheduler(inhouse.running.deps, blocking=False).get_job("planner_statistics")
    assert isinstance(job, Job)
    assert isinstance(job.trigger, IntervalTrigger)
    assert job.trigger.interval == timedelta(hours=6)
    assert job.next_run_time == inhouse.clock()


def test_the_job_leaves_sqlite_with_statistics_of_the_orgs_tables(inhouse: Harness, engine: Engine) -> None:
    if not is_sqlite(engine):
        pytest.skip("PostgreSQL's autovacuum gathers its own statistics: the job does nothing there")
    jobs.refresh_planner_statistics(inhouse.running.deps)
    with engine.connect() as connection:
        analyzed = {table for (table,) in connection.execute(text("SELECT tbl FROM sqlite_stat1"))}
    assert {"department", "agreement"} <= analyzed  # the tables with rows: the org applied
