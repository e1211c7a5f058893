"""The weekly feedback digest as scheduled: once per Monday, whatever the number of schedulers."""

from datetime import UTC, datetime

from bot.jobs import scheduled as jobs
from bot.jobs.scheduler import build_scheduler
from tests.handlers.harness import Harness

MONDAY_NINE_BERLIN = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def test_the_digest_runs_once_however_many_schedulers_fire_it(inhouse: Harness) -> None:
    deps = inhouse.running.deps
    first = jobs.weekly_feedback_digest(deps, MONDAY_NINE_BERLIN)
    second = jobs.weekly_feedback_digest(deps, MONDAY_NINE_BERLIN.replace(minute=1))
    assert first is not None
    assert second is None


def test_the_digest_is_scheduled_for_monday_nine_in_the_orgs_time_zone(inhouse: Harness) -> None:
    scheduler = build_scheduler(inhouse.running.deps, blocking=False)
    trigger = scheduler.get_job("feedback_digest").trigger
    after = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert trigger.get_next_fire_time(None, after) == datetime(2026, 11, 30, 9, 0, tzinfo=trigger.timezone)
    assert str(trigger.timezone) == "Europe/Berlin"
