"""Work that follows an ack (the outbox sender's drain after a commit, opening a modal), behind the acks still to give.

Slack waits 3 seconds for an ack and turns a late one into an error for the user; the card or the DM that
follows (delivered from the outbox by ``bot.slack.sender``, woken by the commit) can come a little later.
In a burst, though, twenty listeners posting cards compete for the CPU and the GIL with the requests still
waiting for their ack: measured on 2 cores, the follow-up work of a request
costs 2.5 to 8 ms of CPU, its ack 2 to 5 ms. So follow-ups wait until the worker has answered every request
and stayed quiet for ``quiet`` seconds (in a burst the next request comes well within that), and at most
``patience`` seconds after they were handed over, so that under a steady load they are late by that much and
no more. Opening a modal is ``urgent``: the person is looking at the screen and the trigger expires 3 seconds
after the click, so it waits for no quiet time and at most ``URGENT_PATIENCE_S``, on a pool of its own: never
behind cards. What the follow-ups deliver is stored in the outbox first, so a worker that stops before it ran
them loses nothing: the scheduler's sender delivers it.
"""

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager

FOLLOW_UP_PATIENCE_S = 0.5
URGENT_PATIENCE_S = 0.1
QUIET_S = 0.1

Work = Callable[[], None]


class _Lane:
    """Work of one kind, first in first out (so earliest deadline first), and the pool that runs it."""

    def __init__(self, pool: Executor, patience: float, quiet: float) -> None:
        self.pool = pool
        self.patience = patience
        self.quiet = quiet
        self.waiting: deque[tuple[float, Work]] = deque()  # (deadline, work)


class FollowUps:
    """Runs follow-up work after the acks this worker is giving (see ``answering``): urgent work on its own pool."""

    def __init__(
        self,
        pool: Executor,
        urgent_pool: Executor,
        *,
        patience: float = FOLLOW_UP_PATIENCE_S,
        urgent_patience: float = URGENT_PATIENCE_S,
        quiet: float = QUIET_S,
    ) -> None:
        # A modal waits for no quiet time: in a burst its patience is short anyway, and alone it opens at once.
        self._lanes = {False: _Lane(pool, patience, quiet), True: _Lane(urgent_pool, urgent_patience, 0.0)}
        self._answering = 0
        self._quiet_since = float("-inf")  # when the last request being answered was answered
        self._changed = threading.Condition()

    @contextmanager
    def answering(self) -> Iterator[None]:
        """Around the handling of one request from Slack: follow-ups wait while any is open."""
        with self._changed:
            self._answering += 1
        try:
            yield
        finally:
            with self._changed:
                self._answering -= 1
                if self._answering == 0:
                    self._quiet_since = time.monotonic()
                    self._changed.notify_all()

    def submit(self, work: Work, *, urgent: bool = False) -> None:
        lane = self._lanes[urgent]
        waiting = (time.monotonic() + lane.patience, work)
        with self._changed:
            lane.waiting.append(waiting)
        try:
            lane.pool.submit(self._run_next, lane)  # one task per work: it runs the lane's first
        except BaseException:  # the pool is shut down: take the work back, so no task runs it for another
            with self._changed:
                lane.waiting.remove(waiting)
            raise

    def _run_next(self, lane: _Lane) -> None:
        with self._changed:
            while (wait := self._wait_left(lane, lane.waiting[0][0])) > 0:
                self._changed.wait(wait)
            _deadline, work = lane.waiting.popleft()
        work()

    def _wait_left(self, lane: _Lane, deadline: float) -> float:
        """Seconds before work due at ``deadline`` may run: 0 once the worker is quiet or the deadline passed."""
        now = time.monotonic()
        if self._answering > 0:
            return deadline - now
        return min(deadline - now, self._quiet_since + lane.quiet - now)
