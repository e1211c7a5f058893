"""The modals about a request: resolve it, transfer it (filing one: ``bot.requests.request_modal``)."""

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    Block,
    InputBlock,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.ids import Action, BlockId, Callback
from bot.requests.service import RequestSnapshot
from bot.slack.text import escape, request_ref

NOTE_MAX = 1000


def _department_options(departments: Sequence[tuple[str, str]]) -> list[Option]:
    return [Option(value=department_id, label=name[:75]) for department_id, name in departments]


def _select(action_id: str, options: list[Option], initial: str | None, placeholder: str) -> StaticSelectElement:
    chosen = next((option for option in options if option.value == initial), None)
    return StaticSelectElement(action_id=action_id, options=options, initial_option=chosen, placeholder=placeholder)


def about_request(
    request: RequestSnapshot, callback: Callback, title: str, submit: str, blocks: Sequence[Block]
) -> View:
    """A modal about one request: its number rides in private_metadata, its title names it."""
    return View(
        type="modal",
        callback_id=callback,
        private_metadata=str(request.number),
        title=f"{title} {request_ref(request.number)}",
        submit=submit,
        close="Cancel",
        blocks=blocks,
    )


def resolve_modal(request: RequestSnapshot) -> View:
    return about_request(
        request,
        Callback.RESOLVE,
        "Resolve",
        "Resolve",
        [
            SectionBlock(text=f"*{request_ref(request.number)}* {escape(request.description[:500])}"),
            InputBlock(
                block_id=BlockId.NOTE,
                label="What was done?",
                element=PlainTextInputElement(action_id=Action.NOTE, multiline=True, max_length=NOTE_MAX),
            ),
        ],
    )


def transfer_modal(request: RequestSnapshot, departments: Sequence[tuple[str, str]]) -> View:
    others = [(department_id, name) for department_id, name in departments if department_id != request.provider_id]
    return about_request(
        request,
        Callback.TRANSFER,
        "Transfer",
        "Transfer",
        [
            InputBlock(
                block_id=BlockId.DEPARTMENT,
                label="To which department?",
                element=_select(Action.DEPARTMENT, _department_options(others), None, "Choose a department"),
            ),
            InputBlock(
                block_id=BlockId.NOTE,
                label="Note for them",
                optional=True,
                element=PlainTextInputElement(action_id=Action.NOTE, multiline=True, max_length=NOTE_MAX),
            ),
        ],
    )


def setup_needed_modal() -> View:
    return View(
        type="modal",
        title="Inhouse",
        close="Close",
        blocks=[
            SectionBlock(
                text="No departments are set up yet, so there is nobody to send a request to. "
                "Ask your Inhouse admin to apply the org file (`inhouse org apply FILE`)."
            )
        ],
    )
