"""The App Home tab, published on ``app_home_opened``. Idempotent, so Slack's retries are harmless."""

import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.relationships import home as relationships
from bot.reports import health as reports
from bot.reports.health import health_blocks
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
    now = deps.clock()
    with deps.read_scope() as session:
        mine = requests.open_requests_of(session, user)
        queues = requests.queues_of(session, user)
        managed = reports.managed_health(session, user, now)
        findings = relationships.home_blocks(session, user, now)
    health = [block for figures in managed for block in health_blocks(figures)] + findings
    client.views_publish(user_id=user, view=home_view(mine, queues, health))


def register(app: App) -> None:
    app.event("app_home_opened")(handle_home_opened)
