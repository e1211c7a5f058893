"""The real app, in HTTP mode, on a free local port, talking to the fake Slack."""

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from typing import Any, TypeVar
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from pydantic import SecretStr
from slack_bolt import App
from sqlalchemy import Engine

from bot.cli.support import build_deps
from bot.config import Settings
from bot.deps import Deps
from bot.follow_ups import FollowUps
from bot.serving.app import create_app
from bot.serving.web import wsgi_app
from storage.db import SessionScope
from tests.fakes.clock import FixedClock

T = TypeVar("T")

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test"


class TrackingExecutor(ThreadPoolExecutor):
    """Runs Bolt's listeners and knows when none is running, so tests wait for work done after an ack."""

    def __init__(self, threads: int = 8) -> None:
        super().__init__(max_workers=threads, thread_name_prefix="listener")
        self._pending = 0
        self._idle = threading.Condition()

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        with self._idle:
            self._pending += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, _future: Future[Any]) -> None:
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float = 10.0) -> None:
        with self._idle:
            if not self._idle.wait_for(lambda: self._pending == 0, timeout):
                raise AssertionError(f"{self._pending} listeners still running after {timeout}s")


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class RunningApp:
    url: str
    app: App
    deps: Deps
    session_scope: SessionScope
    listeners: TrackingExecutor
    after_ack: TrackingExecutor

    def idle(self) -> None:
        self.listeners.wait_idle()
        self.after_ack.wait_idle()


@contextmanager
def running_app(engine: Engine, slack_api_url: str, clock: FixedClock) -> Iterator[RunningApp]:
    settings = Settings(
        slack_bot_token=SecretStr(BOT_TOKEN),
        slack_signing_secret=SecretStr(SIGNING_SECRET),
        slack_api_url=slack_api_url,
        database_url=str(engine.url),
        _env_file=None,
    )
    listeners, after_ack = TrackingExecutor(), TrackingExecutor(threads=2)
    deps = build_deps(settings, engine, clock=clock, after_ack=FollowUps(after_ack, after_ack))
    app = create_app(deps, listener_executor=listeners)
    server = make_server(
        "127.0.0.1",
        0,
        wsgi_app(app, engine, signing_secret=SIGNING_SECRET, follow_ups=deps.after_ack),
        server_class=_ThreadingServer,
        handler_class=_QuietHandler,
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield RunningApp(
            f"http://127.0.0.1:{server.server_port}/slack/events", app, deps, deps.session_scope, listeners, after_ack
        )
    finally:
        server.shutdown()
        server.server_close()
        listeners.shutdown(wait=True)
        after_ack.shutdown(wait=True)  # let work that started after an ack finish before the database is wiped
