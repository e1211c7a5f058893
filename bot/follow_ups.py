"""Work that follows an ack (posting a card, updating it, DMs, opening a modal), run behind the acks still to give.

Slack waits 3 seconds for an ack and turns a late one into an error for the user; the card or the DM that
follows can come a little later. In a burst, though, twenty listeners posting cards compete for the CPU and
the GIL with the requests still waiting for their ack: measured on 2 cores, the follow-up work of a request
costs 2.5 to 8 ms of CPU, its ack 2 to 5 ms. So follow-ups wait until no request to this worker is being
answered, and at most ``patience`` seconds after they were handed over, so that under a steady load they are
late by that much and no more. Opening a modal is ``urgent``: the person is looking at the screen and the
trigger expires 3 seconds after the click, so it waits at most ``URGENT_PATIENCE_S``. Waiting work runs
earliest deadline first, so a modal never queues behind cards handed over before it.
"""

import heapq
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass, field

FOLLOW_UP_PATIENCE_S = 0.5
URGENT_PATIENCE_S = 0.1


@dataclass(order=True)
class _Waiting:
    deadline: float
    sequence: int  # first come, first served among equal deadlines
    work: Callable[[], None] = field(compare=False)


class FollowUps:
    """Runs follow-up work on ``pool`` after the acks this worker is giving (see ``answering``)."""

    def __init__(
        self, pool: Executor, *, patience: float = FOLLOW_UP_PATIENCE_S, urgent_patience: float = URGENT_PATIENCE_S
    ) -> None:
        self.pool = pool
        self.patience = patience
        self.urgent_patience = urgent_patience
        self._answering = 0
        self._waiting: list[_Waiting] = []  # a heap: the earliest deadline first
        self._sequence = itertools.count()
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
                    self._changed.notify_all()

    def submit(self, work: Callable[[], None], *, urgent: bool = False) -> None:
        deadline = time.monotonic() + (self.urgent_patience if urgent else self.patience)
        with self._changed:
            heapq.heappush(self._waiting, _Waiting(deadline, next(self._sequence), work))
            self._changed.notify_all()  # an earlier deadline than the ones being waited for
        self.pool.submit(self._run_next)  # one task per work: it runs whichever work is due first

    def _run_next(self) -> None:
        with self._changed:
            while self._answering > 0 and (left := self._waiting[0].deadline - time.monotonic()) > 0:
                self._changed.wait(left)
            work = heapq.heappop(self._waiting).work
        work()
