"""The weekly feedback digest as scheduled: once per Monday, whatever the number of schedulers."""

from datetime import UTC, datetime

from bot.feedback.digest_outbound import send_feedback_digests
from bot.jobs import scheduled as jobs
from bot.jobs.scheduler import build_scheduler
from tests.handlers.feedback_kit import give_feedback, outbox_rows
from tests.handlers.harness import Harness

MONDAY_NINE_BERLIN = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def test_the_digest_runs_once_however_many_schedulers_fire_it(inhouse: Harness) -> None:
    deps = inhouse.running.deps
    first = jobs.weekly_feedback_digest(deps, MONDAY_NINE_BERLIN)
    second = jobs.weekly_feedback_digest(deps, MONDAY_NINE_BERLIN.replace(minute=1))
    assert first is not None
    assert second is None


def test_each_manager_gets_the_weeks_digest_once_from_the_job_and_a_later_run_by_hand(inhouse: Harness) -> None:
    give_feedback(inhouse, "U0SAM")
    inhouse.clock.set(MONDAY_NINE_BERLIN)
    deps = inhouse.running.deps
    assert jobs.weekly_feedback_digest(deps) == 2  # IT's manager and Sales's
    assert jobs.weekly_feedback_digest(deps, MONDAY_NINE_BERLIN.replace(hour=9)) is None
    by_hand = send_feedback_digests(deps, MONDAY_NINE_BERLIN)  # `inhouse feedback digest`, the same morning
    assert (by_hand.new, by_hand.already, by_hand.sent) == ([], 2, 0)
    for manager in ("U0ITMGR", "U0SALESMGR"):
        assert [m["text"] for m in inhouse.dms_to(manager)] == [
            f"Feedback digest for {'IT Support' if manager == 'U0ITMGR' else 'Sales'}, "
            "Mon 23 Nov 2026 to Sun 29 Nov 2026"
        ]
    digests = [row for row in outbox_rows(inhouse) if row.key.startswith("feedback_digest:")]
    assert sorted(row.key for row in digests) == [
        "feedback_digest:it:2026-11-23:U0ITMGR",
        "feedback_digest:sales:2026-11-23:U0SALESMGR",
    ]


def test_the_digest_is_scheduled_for_monday_nine_in_the_orgs_time_zone(inhouse: Harness) -> None:
    scheduler = build_scheduler(inhouse.running.deps, blocking=False)
    trigger = scheduler.get_job("feedback_digest").trigger
    after = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert trigger.get_next_fire_time(None, after) == datetime(2026, 11, 30, 9, 0, tzinfo=trigger.timezone)
    assert str(trigger.timezone) == "Europe/Berlin"
