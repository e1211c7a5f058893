"""The App Home tab, published on ``app_home_opened``. Idempotent, so Slack's retries are harmless."""

import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.requests import service as requests
from bot.requests.home import home_view
from bot.slack import payloads

log = logging.getLogger(__name__)


def handle_home_opened(event: dict[str, Any], client: WebClient, deps: Deps) -> None:
    if event.get("tab", "home") != "home":
        return
    user = payloads.event_user(event)
    if user is None:  # an event that names no user: there is no one to publish a Home tab for
        log.info("Ignored an app_home_opened event without a user id")
        return
    with deps.read_scope() as session:
        mine = requests.open_requests_of(session, user)
        queues = requests.queues_of(session, user)
    client.views_publish(user_id=user, view=home_view(mine, queues))


def register(app: App) -> None:
    app.event("app_home_opened")(handle_home_opened)
