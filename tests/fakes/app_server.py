"""The real app, in HTTP mode, on a free local port, talking to the fake Slack."""

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from pydantic import SecretStr
from slack_bolt import App
from sqlalchemy import Engine

from bot.app import create_app
from bot.config import Settings
from bot.deps import Deps, slack_client
from bot.web import wsgi_app
from storage.db import SessionScope, session_factory
from tests.fakes.clock import FixedClock

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test"


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        pass


@dataclass
class RunningApp:
    url: str
    app: App
    deps: Deps
    session_scope: SessionScope


@contextmanager
def running_app(engine: Engine, slack_api_url: str, clock: FixedClock) -> Iterator[RunningApp]:
    settings = Settings(
        slack_bot_token=SecretStr(BOT_TOKEN),
        slack_signing_secret=SecretStr(SIGNING_SECRET),
        slack_api_url=slack_api_url,
        database_url=str(engine.url),
        _env_file=None,  # type: ignore[call-arg]
    )
    deps = Deps(settings=settings, session_scope=session_factory(engine), clock=clock, slack=slack_client(settings))
    listeners = ThreadPoolExecutor(max_workers=8, thread_name_prefix="listener")
    app = create_app(deps, listener_executor=listeners)
    server = make_server("127.0.0.1", 0, wsgi_app(app, engine), server_class=_ThreadingServer,
                         handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield RunningApp(f"http://127.0.0.1:{server.server_port}/slack/events", app, deps, deps.session_scope)
    finally:
        server.shutdown()
        server.server_close()
        listeners.shutdown(wait=True)  # let work that started after an ack finish before the database is wiped
