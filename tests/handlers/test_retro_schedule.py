"""A retro is posted once per scheduled period: on time in its zone, across DST, caught up once, never twice.

IT's retro runs Fridays at 15:00 Berlin. The bot is running from Monday 2026-11-23 (the first tick).
"""

import threading

import pytest

from bot.retros.tick import RetroTick, retro_tick
from bot.slack.sender import LEASE
from tests.handlers.harness import Harness
from tests.handlers.retro_kit import (
    Crash,
    buttons,
    dying_sender,
    prompts,
    retro_rows,
    tick,
    use_retro_org,
    utc,
)


def running_from(inhouse: Harness, year: int, month: int, day: int) -> None:
    use_retro_org(inhouse)
    tick(inhouse, utc(year, month, day, 9))


def test_nothing_is_posted_before_the_scheduled_time(inhouse: Harness) -> None:
    running_from(inhouse, 2026, 11, 23)
    assert tick(inhouse, utc(2026, 11, 27, 13, 59)) == RetroTick()
    assert prompts(inhouse) == []


def test_the_prompt_is_posted_at_the_scheduled_time_in_the_departments_zone(inhouse: Harness) -> None:
    running_from(inhouse, 2026, 11, 23)
    report = tick(inhouse, utc(2026, 11, 27, 14, 0))
    assert (report.opened, report.delivery.sent, report.closed, report.nudged) == (1, 1, 0, 0)
    (prompt,) = prompts(inhouse)
    assert prompt["text"] == ("Retrospective: IT Support. Entries so far: Went well 0 · To improve 0 · Action items 0")
    assert buttons(prompt) == ["Went well", "To improve", "Action item"]
    (retro,) = retro_rows(inhouse)
    assert (retro.period_start, retro.period_end) == (utc(2026, 11, 27, 14), utc(2026, 12, 4, 14))
    assert retro.closes_at == utc(2026, 12, 1, 14)  # two working days later, 15:00 Berlin
    assert retro.prompt_ts == prompt["ts"]


def test_the_schedule_keeps_local_time_when_daylight_saving_ends(inhouse: Harness) -> None:
    running_from(inhouse, 2026, 10, 19)
    tick(inhouse, utc(2026, 10, 23, 13, 0))  # 15:00 CEST
    assert len(prompts(inhouse)) == 1
    tick(inhouse, utc(2026, 10, 30, 13, 0))  # 14:00 CET: not yet
    assert len(prompts(inhouse)) == 1
    tick(inhouse, utc(2026, 10, 30, 14, 0))  # 15:00 CET
    assert [r.period_start for r in retro_rows(inhouse)] == [utc(2026, 10, 23, 13), utc(2026, 10, 30, 14)]


def test_a_run_missed_while_the_bot_was_down_is_caught_up_once(inhouse: Harness) -> None:
    running_from(inhouse, 2026, 11, 23)
    assert tick(inhouse, utc(2026, 11, 28, 10, 0)).delivery.sent == 1  # down from Friday 14:00 to Saturday
    assert tick(inhouse, utc(2026, 11, 28, 10, 1)).delivery.sent == 0
    assert len(prompts(inhouse)) == 1


def test_a_run_missed_for_its_whole_period_is_not_posted_late(inhouse: Harness) -> None:
    running_from(inhouse, 2026, 11, 23)
    tick(inhouse, utc(2026, 12, 4, 14, 30))  # down for all of last week's period
    assert [r.period_start for r in retro_rows(inhouse)] == [utc(2026, 12, 4, 14)]


def test_a_new_schedule_does_not_post_for_a_period_that_began_before_it(inhouse: Harness) -> None:
    use_retro_org(inhouse)
    tick(inhouse, utc(2026, 11, 28, 10, 0))  # first seen on Saturday: Friday's period is not its own
    assert prompts(inhouse) == []


def test_schedulers_ticking_at_once_post_one_prompt(inhouse: Harness) -> None:
    running_from(inhouse, 2026, 11, 23)
    inhouse.clock.set(utc(2026, 11, 27, 14, 0))
    start = threading.Barrier(3)
    reports: list[RetroTick] = []

    def scheduler() -> None:
        start.wait()
        reports.append(retro_tick(inhouse.running.deps, inhouse.clock()))

    threads = [threading.Thread(target=scheduler) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(report.opened for report in reports) == 1
    assert sum(report.delivery.sent for report in reports) == 1
    assert len(prompts(inhouse)) == 1


def test_a_sender_that_died_after_posting_is_not_followed_by_a_second_prompt(
    inhouse: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    running_from(inhouse, 2026, 11, 23)
    deps = inhouse.running.deps
    monkeypatch.setattr(deps.outbox, "drain", dying_sender(inhouse, "chat.postMessage").drain)
    with pytest.raises(Crash):  # the scheduler posts the prompt, and its process dies before recording it
        tick(inhouse, utc(2026, 11, 27, 14, 0))
    monkeypatch.undo()
    inhouse.clock.advance(seconds=59)
    assert tick(inhouse).delivery.sent == 0  # still leased to the dead sender
    inhouse.clock.set(utc(2026, 11, 27, 14) + LEASE)
    assert tick(inhouse).delivery.sent == 1  # the lease lapsed: the next tick finds the prompt in the channel
    (prompt,) = prompts(inhouse)
    (retro,) = retro_rows(inhouse)
    assert retro.prompt_ts == prompt["ts"]
    assert len(inhouse.slack.calls_to("chat.postMessage")) == 1
