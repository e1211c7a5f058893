"""Work that follows an ack (posting a card, updating it, DMs, opening a modal), run behind the acks still to give.

Slack waits 3 seconds for an ack and turns a late one into an error for the user; the card or the DM that
follows can come a little later. In a burst, though, twenty listeners posting cards compete for the CPU and
the GIL with the requests still waiting for their ack: measured on 2 cores, the follow-up work of a request
costs 2.5 to 8 ms of CPU, its ack 2 to 5 ms. So follow-ups wait until no request to this worker is being
answered, and at most ``patience`` seconds after they were handed over, so that under a steady load they are
late by that much and no more. Opening a modal is ``urgent``: the person is looking at the screen and the
trigger expires 3 seconds after the click, so it waits at most ``URGENT_PATIENCE_S``.
"""

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from contextlib import contextmanager

FOLLOW_UP_PATIENCE_S = 0.5
URGENT_PATIENCE_S = 0.1


class FollowUps:
    """Runs follow-up work on ``pool`` after the acks this worker is giving (see ``answering``)."""

    def __init__(
        self, pool: Executor, *, patience: float = FOLLOW_UP_PATIENCE_S, urgent_patience: float = URGENT_PATIENCE_S
    ) -> None:
        self.pool = pool
        self.patience = patience
        self.urgent_patience = urgent_patience
        self._answering = 0
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

    def submit(self, work: Callable[[], None], *, urgent: bool = False) -> Future[None]:
        deadline = time.monotonic() + (self.urgent_patience if urgent else self.patience)

        def run() -> None:
            with self._changed:
                self._changed.wait_for(lambda: self._answering == 0, timeout=max(0.0, deadline - time.monotonic()))
            work()

        return self.pool.submit(run)
