"""The app factory: one Bolt App with every listener registered explicitly."""

import logging
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.context import BoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

import handlers.actions
import handlers.commands
import handlers.events
import handlers.feedback
import handlers.ratings
import handlers.retros
import handlers.submissions
from bot.deps import Deps
from bot.log_privacy import withhold_request_bodies

log = logging.getLogger(__name__)


SORRY = (
    "Sorry, Inhouse ran into a problem with that and could not finish it. Please try again in a moment; "
    "if it keeps happening, tell your Inhouse admin."
)


def _apologize(body: dict[str, Any]) -> None:
    """Tell the user privately, where Slack gave us a way to (commands and button clicks)."""
    response_url = body.get("response_url")
    if not response_url:
        return
    try:
        WebhookClient(response_url).send(text=SORRY, response_type="ephemeral", replace_original=False)
    except Exception:  # the error handler must not fail in turn
        log.warning("Could not tell the user about the error", exc_info=True)


# Bolt runs every listener on one thread pool, the part before ack() included. With Bolt's default of 5
# threads, a burst's acks wait behind the Slack calls that earlier listeners make after acking; 32 leaves
# a thread for each of a worker's request threads and for the work after the acks.
LISTENER_THREADS = 32


def create_app(deps: Deps, listener_executor: Executor | None = None) -> App:
    secret = deps.settings.slack_signing_secret
    app = App(
        client=deps.slack,
        signing_secret=secret.get_secret_value() if secret else None,
        logger=withhold_request_bodies(logging.getLogger("inhouse.bolt")),
        listener_executor=listener_executor or ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="listener"),
    )

    @app.middleware
    def inject_deps(context: BoltContext, next: Any) -> None:
        context["deps"] = deps
        next()

    @app.error
    def report_error(error: Exception, body: dict[str, Any]) -> BoltResponse:
        # Never log the body: it carries user text and user ids.
        kind = body.get("type") or body.get("command") or "request"
        if isinstance(error, SlackApiError):
            log.error("Slack refused a call while handling %s: %s", kind, error.response.get("error"))
        else:
            log.exception("Unexpected error while handling %s", kind)
        _apologize(body)
        return BoltResponse(status=500, body="")

    for module in (
        handlers.commands,
        handlers.actions,
        handlers.submissions,
        handlers.events,
        handlers.feedback,
        handlers.ratings,
        handlers.retros,
    ):
        module.register(app)
    return app
