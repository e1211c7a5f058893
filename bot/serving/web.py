"""The WSGI application: Slack at ``POST /slack/events`` and ``GET /healthz`` for load balancers."""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import Engine, text

from bot.serving.follow_ups import FollowUps

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

SLACK_PATH = "/slack/events"

WsgiApp = Callable[["WSGIEnvironment", "StartResponse"], Iterable[bytes]]


def database_reachable(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database means "not healthy"
        return False
    return True


def wsgi_app(app: App, engine: Engine, follow_ups: FollowUps | None = None) -> WsgiApp:
    """``follow_ups`` learns which requests are being answered, so that its work waits for their acks."""
    slack = SlackRequestHandler(app, path=SLACK_PATH)

    def application(environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            healthy = database_reachable(engine)
            status = "200 OK" if healthy else "503 Service Unavailable"
            start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok\n" if healthy else b"database unreachable\n"]
        if follow_ups is None:
            return slack(environ, start_response)
        with follow_ups.answering():
            return slack(environ, start_response)

    return application
