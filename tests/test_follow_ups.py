"""Follow-up work waits for the acks a worker is giving, but never longer than its patience."""

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.follow_ups import FollowUps

A_MOMENT = 0.05  # long enough for a free pool thread to start the work, had it been allowed to


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(2) as executor:
        yield executor


def test_a_follow_up_waits_until_the_request_being_answered_is_answered(pool: ThreadPoolExecutor) -> None:
    follow_ups, ran = FollowUps(pool, pool, patience=30.0), threading.Event()
    with follow_ups.answering():
        follow_ups.submit(ran.set)
        assert not ran.wait(A_MOMENT)
    assert ran.wait(5)


def test_a_follow_up_waits_for_every_open_request(pool: ThreadPoolExecutor) -> None:
    follow_ups, ran = FollowUps(pool, pool, patience=30.0), threading.Event()
    with follow_ups.answering():
        with follow_ups.answering():
            follow_ups.submit(ran.set)
        assert not ran.wait(A_MOMENT)
    assert ran.wait(5)


def test_a_follow_up_waits_for_the_worker_to_stay_quiet_after_its_last_answer(pool: ThreadPoolExecutor) -> None:
    follow_ups, ran = FollowUps(pool, pool, patience=10 * A_MOMENT, quiet=30.0), threading.Event()
    with follow_ups.answering():
        follow_ups.submit(ran.set)
    assert not ran.wait(A_MOMENT)  # the next request of a burst would come within the quiet time
    assert ran.wait(5)  # but its patience runs out first


def test_urgent_work_waits_only_its_own_patience(pool: ThreadPoolExecutor) -> None:
    follow_ups, ran = FollowUps(pool, pool, patience=30.0, urgent_patience=A_MOMENT), threading.Event()
    with follow_ups.answering():
        follow_ups.submit(ran.set, urgent=True)
        assert ran.wait(5)


def test_under_a_steady_load_a_follow_up_runs_after_its_patience(pool: ThreadPoolExecutor) -> None:
    follow_ups, ran = FollowUps(pool, pool, patience=A_MOMENT), threading.Event()
    with follow_ups.answering():
        follow_ups.submit(ran.set)
        assert ran.wait(5)


def test_with_nothing_being_answered_a_follow_up_runs_at_once(pool: ThreadPoolExecutor) -> None:
    follow_ups, ran = FollowUps(pool, pool, patience=30.0), threading.Event()
    follow_ups.submit(ran.set)
    assert ran.wait(5)


def test_a_modal_opens_while_every_follow_up_thread_is_busy(pool: ThreadPoolExecutor) -> None:
    release, modal_opened = threading.Event(), threading.Event()

    def card_post_sleeping_out_a_retry_after() -> None:
        release.wait(5)

    with ThreadPoolExecutor(1) as one_thread:
        follow_ups = FollowUps(one_thread, pool, patience=A_MOMENT, urgent_patience=A_MOMENT)
        follow_ups.submit(card_post_sleeping_out_a_retry_after)
        follow_ups.submit(modal_opened.set, urgent=True)
        assert modal_opened.wait(5)
        release.set()


def test_work_handed_to_a_pool_that_is_shut_down_is_refused() -> None:
    stopped = ThreadPoolExecutor(1)
    stopped.shutdown()
    follow_ups = FollowUps(stopped, stopped)
    with pytest.raises(RuntimeError):
        follow_ups.submit(lambda: None)
