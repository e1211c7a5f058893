"""The app factory: one Bolt App with every listener registered explicitly."""

import logging
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.context import BoltContext
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.errors import SlackApiError

import handlers.checkups
import handlers.feedback
import handlers.home
import handlers.inhouse
import handlers.intake
import handlers.ratings
import handlers.requests
import handlers.retros
import handlers.waiting
from bot.deps import Deps
from bot.serving.log_privacy import withhold_request_bodies
from bot.slack.payloads import envelope_problem
from bot.slack.text import clean, clean_all
from handlers.after_ack import apologize

log = logging.getLogger(__name__)


# Bolt runs every listener on one thread pool, the part before ack() included. With Bolt's default of 5
# threads, a burst's acks wait behind the Slack calls that earlier listeners make after acking; 32 leaves
# a thread for each of a worker's request threads and for the work after the acks.
LISTENER_THREADS = 32


class _TokenNotice(logging.Filter):
    """Bolt warns at every start that SLACK_BOT_TOKEN "will be unused" when given a client: the client carries it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def _without_token_notice(logger: logging.Logger) -> logging.Logger:
    logger.addFilter(_TOKEN_NOTICE)
    return logger


_TOKEN_NOTICE = _TokenNotice()


def _clean_user_text(body: dict[str, Any]) -> None:
    """Text on its way in loses NUL and other control characters, whatever listener reads it."""
    state = (body.get("view") or {}).get("state") if isinstance(body.get("view"), dict) else None
    if isinstance(state, dict):
        clean_all(state)
    if isinstance(body.get("text"), str):  # a slash command's text
        body["text"] = clean(body["text"])


def create_app(deps: Deps, listener_executor: Executor | None = None) -> App:
    secret = deps.settings.slack_signing_secret
    app = App(
        client=deps.slack,
        signing_secret=secret.get_secret_value() if secret else None,
        logger=_without_token_notice(withhold_request_bodies(logging.getLogger("inhouse.bolt"))),
        listener_executor=listener_executor or ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="listener"),
    )

    @app.middleware
    def inject_deps(context: BoltContext, body: dict[str, Any], next: Any) -> None:
        context["deps"] = deps
        _clean_user_text(body)
        next()

    @app.error
    def report_error(error: Exception, body: dict[str, Any]) -> BoltResponse:
        # Never log the body: it carries user text and user ids.
        unroutable = envelope_problem(body)
        if unroutable is not None:  # Bolt tripped on it while routing (bot.serving.gate turns most away before)
            log.info(
                "Ignored a signed payload that no listener can take: %s (%s)", unroutable.reason, type(error).__name__
            )
            return BoltResponse(status=404, body="")
        kind = body.get("type") or body.get("command") or "request"
        if isinstance(error, SlackApiError):
            log.error("Slack refused a call while handling %s: %s", kind, error.response.get("error"))
        else:
            log.exception("Unexpected error while handling %s", kind)
        apologize(body.get("response_url"))
        return BoltResponse(status=500, body="")

    for module in (
        handlers.requests,
        handlers.intake,
        handlers.waiting,
        handlers.home,
        handlers.feedback,
        handlers.ratings,
        handlers.retros,
        handlers.inhouse,
        handlers.checkups,
    ):
        module.register(app)
    return app
