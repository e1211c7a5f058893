"""Keep the scheduler process beside the web workers alive: when it dies, log it and start it again.

Without it, a scheduler killed by the OOM killer or a ``kill -9`` stays dead: SLA alerts stop and nothing
says so. Restarts back off (1 s, 2 s, 4 s … up to a minute) while it keeps dying soon after starting.

The supervisor is a small process of its own (``inhouse scheduler --keep-alive``), not a thread of
gunicorn's master: a master that forks its workers while a thread of it waits on a child hands each worker
a copy of that wait's lock, and a worker then hung for its whole graceful timeout on SIGTERM.
"""

import logging
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from types import FrameType

log = logging.getLogger(__name__)


class Supervised:
    def __init__(
        self,
        argv: Sequence[str],
        *,
        first_backoff_s: float = 1.0,
        max_backoff_s: float = 60.0,
        healthy_after_s: float = 600.0,
    ) -> None:
        self.argv = list(argv)
        self.first_backoff_s, self.max_backoff_s, self.healthy_after_s = first_backoff_s, max_backoff_s, healthy_after_s
        self.process: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()

    def run(self) -> None:
        """Run the child until SIGTERM (passed on to it), starting it again whenever it exits."""
        signal.signal(signal.SIGTERM, self._stop)
        backoff = self.first_backoff_s
        while not self._stopping.is_set():
            started = time.monotonic()
            self.process = subprocess.Popen(self.argv)
            code = self.process.wait()
            if self._stopping.is_set():
                return
            ran = time.monotonic() - started
            backoff = self.first_backoff_s if ran >= self.healthy_after_s else backoff
            log.error("The scheduler process exited (%s) after %.0f s; starting it again in %.0f s", code, ran, backoff)
            self._stopping.wait(backoff)
            backoff = min(backoff * 2, self.max_backoff_s)

    def _stop(self, _signum: int, _frame: FrameType | None) -> None:
        self._stopping.set()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
