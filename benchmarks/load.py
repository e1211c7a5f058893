"""Concurrent clients on keep-alive connections, timing each request from its first byte sent to its answer read."""

import http.client
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

NO_ANSWER = 0  # the status recorded when the connection failed or timed out
IDLE_LIMIT = 1.0  # seconds: reconnect rather than reuse a connection the server may be closing (keepalive is 2 s)

Prepared = tuple[bytes, dict[str, str]]  # a body and its headers, ready to send


@dataclass(frozen=True)
class Outcome:
    status: int
    seconds: float


class _Connection:
    def __init__(self, port: int, timeout: float) -> None:
        self.port = port
        self.timeout = timeout
        self._http: http.client.HTTPConnection | None = None
        self._last_used = 0.0

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> Outcome:
        if self._http is None or time.monotonic() - self._last_used > IDLE_LIMIT:
            self.close()
            self._http = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            self._http.connect()  # outside the timing: Slack keeps its connections warm too
        connection = self._http
        started = time.perf_counter()
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
            if response.will_close:
                self.close()
        except (OSError, http.client.HTTPException):
            status = NO_ANSWER
            self.close()
        elapsed = time.perf_counter() - started
        self._last_used = time.monotonic()
        return Outcome(status, elapsed)

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None


class Load:
    """``concurrency`` client threads; each keeps one connection per server port across batches."""

    def __init__(self, concurrency: int, timeout: float = 30.0) -> None:
        self.concurrency = concurrency
        self.timeout = timeout
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="client")
        self._local = threading.local()
        self._all: list[_Connection] = []
        self._lock = threading.Lock()

    def run(self, port: int, path: str, count: int, prepare: Callable[[], Prepared]) -> list[Outcome]:
        """Send ``count`` requests, ``concurrency`` at a time, all clients starting together (a burst)."""
        remaining = [count]
        start = threading.Barrier(self.concurrency)

        def client() -> list[Outcome]:
            outcomes: list[Outcome] = []
            connection = self._connection(port)
            start.wait(timeout=self.timeout)
            while self._take(remaining):
                body, headers = prepare()
                outcomes.append(connection.post(path, body, headers))
            return outcomes

        futures = [self._pool.submit(client) for _ in range(self.concurrency)]
        return [outcome for future in futures for outcome in future.result()]

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        for connection in self._all:
            connection.close()

    def _take(self, remaining: list[int]) -> bool:
        with self._lock:
            if remaining[0] <= 0:
                return False
            remaining[0] -= 1
            return True

    def _connection(self, port: int) -> _Connection:
        connections: dict[int, _Connection] = self._local.__dict__.setdefault("connections", {})
        if port not in connections:
            connections[port] = _Connection(port, self.timeout)
            with self._lock:
                self._all.append(connections[port])
        return connections[port]
