"""Slash commands: ``/request``."""

from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.request_forms import request_modal, setup_needed_modal
from bot.deps import Deps
from handlers import forms
from handlers.after_ack import after_ack
from handlers.modals import open_modal
from storage import directory


def handle_request_command(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond, deps: Deps) -> None:
    ack()
    work = partial(_open_request_modal, command, client, respond, deps)
    after_ack(deps, work, "opening the /request modal", response_url=command.get("response_url"), urgent=True)


def _open_request_modal(command: dict[str, Any], client: WebClient, respond: Respond, deps: Deps) -> None:
    with deps.read_scope() as session:
        departments = [(d.id, d.name) for d in directory.active_departments(session)]
        knows_home = directory.home_department(session, command["user_id"]) is not None
    if not departments:
        open_modal(client, respond, command["trigger_id"], setup_needed_modal())
        return
    provider, description = forms.split_prefill(command.get("text", ""), dict(departments))
    view = request_modal(departments, provider=provider, description=description, ask_home_department=not knows_home)
    open_modal(client, respond, command["trigger_id"], view)


def register(app: App) -> None:
    app.command("/request")(handle_request_command)
