from datetime import UTC, datetime, timedelta

from bot.domain.alerts import Clocks, Level, Metric, Milestone, next_check, reached, worth_announcing

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CLOCKS = Clocks(
    first_response_warn=T0 + timedelta(hours=3),
    first_response_due=T0 + timedelta(hours=4),
    resolution_warn=T0 + timedelta(hours=20),
    resolution_due=T0 + timedelta(hours=30),
    resolution_reminder=T0 + timedelta(hours=50),
)


def test_nothing_is_reached_before_the_first_warning() -> None:
    assert reached(CLOCKS, set(), T0 + timedelta(hours=2)) == []


def test_the_warning_is_reached_at_its_instant() -> None:
    at = T0 + timedelta(hours=3)
    assert reached(CLOCKS, set(), at) == [Milestone(Metric.FIRST_RESPONSE, Level.WARNING, at)]


def test_a_raised_milestone_is_not_reached_again() -> None:
    raised = {(Metric.FIRST_RESPONSE, Level.WARNING)}
    assert reached(CLOCKS, raised, T0 + timedelta(hours=3, minutes=30)) == []


def test_after_downtime_every_missed_milestone_is_reached_oldest_first() -> None:
    levels = [(m.metric, m.level) for m in reached(CLOCKS, set(), T0 + timedelta(hours=31))]
    assert levels == [
        (Metric.FIRST_RESPONSE, Level.WARNING),
        (Metric.FIRST_RESPONSE, Level.BREACH),
        (Metric.RESOLUTION, Level.WARNING),
        (Metric.RESOLUTION, Level.BREACH),
    ]


def test_a_warning_is_not_announced_with_its_own_breach() -> None:
    newly = reached(CLOCKS, set(), T0 + timedelta(hours=5))
    assert [(m.metric, m.level) for m in worth_announcing(newly, set())] == [(Metric.FIRST_RESPONSE, Level.BREACH)]


def test_the_next_check_is_the_earliest_milestone_not_raised() -> None:
    raised = {(Metric.FIRST_RESPONSE, Level.WARNING), (Metric.FIRST_RESPONSE, Level.BREACH)}
    assert next_check(CLOCKS, raised) == T0 + timedelta(hours=20)


def test_a_request_with_no_running_clock_needs_no_check() -> None:
    assert next_check(Clocks(), set()) is None
