"""The WSGI application: Slack at ``POST /slack/events`` and ``GET /healthz`` for load balancers."""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import Engine

from bot.clock import Clock, system_clock
from bot.follow_ups import FollowUps
from bot.serving.gate import Gate
from bot.serving.health import check

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

SLACK_PATH = "/slack/events"

WsgiApp = Callable[["WSGIEnvironment", "StartResponse"], Iterable[bytes]]


def wsgi_app(
    app: App,
    engine: Engine,
    *,
    signing_secret: str,
    follow_ups: FollowUps | None = None,
    clock: Clock = system_clock,
) -> WsgiApp:
    """``follow_ups`` learns which requests are being answered, so that its work waits for their acks."""
    slack = SlackRequestHandler(app, path=SLACK_PATH)
    gate = Gate(signing_secret)

    def application(environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            health = check(engine, clock())
            status = "200 OK" if health.healthy else "503 Service Unavailable"
            start_response(status, [("Content-Type", "application/json")])
            return [health.body()]
        if environ.get("PATH_INFO") == SLACK_PATH and environ.get("REQUEST_METHOD") == "POST":
            refusal = gate.check(environ)
            if refusal is not None:
                start_response(refusal.status, [("Content-Type", "text/plain; charset=utf-8")])
                return [refusal.reason]
        if follow_ups is None:
            return slack(environ, start_response)
        with follow_ups.answering():
            return slack(environ, start_response)

    return application
