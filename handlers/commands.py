"""Slash commands: ``/request``."""

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.request_forms import request_modal, setup_needed_modal
from bot.deps import Deps
from handlers import forms
from storage import directory


def handle_request_command(ack: Ack, command: dict[str, Any], client: WebClient, deps: Deps) -> None:
    ack()
    with deps.session_scope() as session:
        departments = [(d.id, d.name) for d in directory.active_departments(session)]
        knows_home = directory.home_department(session, command["user_id"]) is not None
    if not departments:
        client.views_open(trigger_id=command["trigger_id"], view=setup_needed_modal())
        return
    provider, description = forms.split_prefill(command.get("text", ""), dict(departments))
    view = request_modal(departments, provider=provider, description=description, ask_home_department=not knows_home)
    client.views_open(trigger_id=command["trigger_id"], view=view)


def register(app: App) -> None:
    app.command("/request")(handle_request_command)
