"""Events API: the App Home tab and replies under cards. Both are idempotent, so Slack's retries are harmless."""

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot import announce
from bot.blocks.home import home_view
from bot.deps import Deps
from bot.services import requests
from storage import directory


def handle_home_opened(event: dict[str, Any], client: WebClient, deps: Deps) -> None:
    if event.get("tab", "home") != "home":
        return
    user = event["user"]
    with deps.read_scope() as session:
        mine = requests.open_requests_of(session, user)
        queues = []
        for department_id in directory.staff_departments(session, user):
            department = directory.get_department(session, department_id)
            if department is not None:
                queues.append((department.name, requests.open_queue(session, department_id)))
    client.views_publish(user_id=user, view=home_view(mine, queues))


def handle_message(event: dict[str, Any], client: WebClient, deps: Deps) -> None:
    """A person's reply in a card's thread; the provider's first one is the request's first response."""
    thread_ts, user = event.get("thread_ts"), event.get("user")
    if event.get("subtype") or event.get("bot_id") or not thread_ts or not user or thread_ts == event.get("ts"):
        return
    with deps.session_scope() as session:
        request = requests.record_reply(session, event["channel"], thread_ts, user, deps.clock())
    if request is not None:
        announce.card_refreshed(client, request)


def register(app: App) -> None:
    app.event("app_home_opened")(handle_home_opened)
    app.event("message")(handle_message)
