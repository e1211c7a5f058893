"""SQLite writers take turns: one transaction at a time per database file, each woken as soon as the last ends.

Every transaction on SQLite begins with BEGIN IMMEDIATE (see ``storage.db``), so each takes the database's
one write lock. SQLite's busy timeout makes the others wait for it, but by sleeping and retrying in growing
steps of up to 100 ms: under a burst of concurrent submissions a writer waits many times longer than the
transactions ahead of it take (measured: waits of 300-600 ms behind transactions of 4 ms). Here writers
queue on a thread lock within a process and on a kernel file lock (``flock``) across the worker processes,
and each is woken the moment the lock is free. The busy timeout stays as the backstop for writers that do
not come through here (migrations, the sqlite3 shell).
"""

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class WriterTurns:
    """The turns of one database file; get it with ``writer_turns(path)`` so a process has one per file."""

    def __init__(self, database: str, timeout: float) -> None:
        self.lock_path = f"{database}-writer"  # beside SQLite's own -wal and -shm files
        self.timeout = timeout
        self._threads = threading.Lock()
        self._holder = threading.local()

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Hold the turn for the enclosed transaction; a nested one in the same thread shares it."""
        if getattr(self._holder, "holding", False):
            yield
            return
        if not self._threads.acquire(timeout=self.timeout):
            raise TimeoutError(f"waited {self.timeout:.0f} s for a turn to write to the SQLite database")
        try:
            # A descriptor per turn: flock excludes other descriptors, in this process as in others.
            descriptor = os.open(self.lock_path, os.O_RDONLY | os.O_CREAT, 0o644)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX)  # blocks without the GIL; released by close
                self._holder.holding = True
                try:
                    yield
                finally:
                    self._holder.holding = False
            finally:
                os.close(descriptor)
        finally:
            self._threads.release()


_turns: dict[str, WriterTurns] = {}
_registry = threading.Lock()


def writer_turns(database: str, timeout: float) -> WriterTurns:
    """The process's one ``WriterTurns`` for ``database`` (an absolute or working-directory-relative path)."""
    key = os.path.abspath(database)
    with _registry:
        if key not in _turns:
            _turns[key] = WriterTurns(key, timeout)
        return _turns[key]
