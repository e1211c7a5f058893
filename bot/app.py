"""The app factory: one Bolt App with every listener registered explicitly."""

import logging
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.context import BoltContext
from slack_sdk.errors import SlackApiError

import handlers.actions
import handlers.commands
import handlers.events
import handlers.submissions
from bot.deps import Deps

log = logging.getLogger(__name__)


def create_app(deps: Deps, listener_executor: Executor | None = None) -> App:
    secret = deps.settings.slack_signing_secret
    app = App(
        client=deps.slack,
        signing_secret=secret.get_secret_value() if secret else None,
        logger=logging.getLogger("inhouse.bolt"),
        listener_executor=listener_executor,
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
        return BoltResponse(status=500, body="")

    for module in (handlers.commands, handlers.actions, handlers.submissions, handlers.events):
        module.register(app)
    return app
