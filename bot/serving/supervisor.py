"""Keep the scheduler process beside the web workers alive: when it dies, log it and start it again.

Without it, a scheduler killed by the OOM killer or a ``kill -9`` stays dead: SLA alerts stop and nothing
says so. Restarts back off (1 s, 2 s, 4 s … up to a minute) while it keeps dying soon after starting.
"""

import logging
import subprocess
import threading
import time
from collections.abc import Sequence

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
        self.restarts = 0
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._keep_running, name="supervisor", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout_s: float = 60.0) -> None:
        self._stopping.set()
        with self._lock:
            process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            process.wait(timeout=timeout_s)
        self._thread.join(timeout=timeout_s)

    def _keep_running(self) -> None:
        backoff = self.first_backoff_s
        while not self._stopping.is_set():
            started = time.monotonic()
            with self._lock:
                if self._stopping.is_set():
                    return
                self.process = subprocess.Popen(self.argv)
            code = self.process.wait()
            if self._stopping.is_set():
                return
            ran = time.monotonic() - started
            backoff = self.first_backoff_s if ran >= self.healthy_after_s else backoff
            log.error("The scheduler process exited (%s) after %.0f s; starting it again in %.0f s", code, ran, backoff)
            self.restarts += 1
            self._stopping.wait(backoff)
            backoff = min(backoff * 2, self.max_backoff_s)
