"""The check-up in Slack: the DM that asks, the nudge, and the modal with a checkbox group per other department."""

import json

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.checkups.service import Form
from bot.domain.checkups import ASKED
from bot.ids import Action, BlockId, Callback
from bot.slack.message import Message
from bot.slack.text import when

MODAL_BLOCKS = 100  # Slack's limit for a modal
BLOCKS_PER_DEPARTMENT = 2  # the statements, and what gets in the way
MAX_DEPARTMENTS = (MODAL_BLOCKS - 2) // BLOCKS_PER_DEPARTMENT  # room for the introduction and the note of the rest
OBSTACLE_MAX = 1000
PRIVACY = (
    "Nobody sees your answers. When the check-up closes only shares per department are kept (how many of your "
    "department said yes), your answers are deleted, and what you write goes, without your name, into the next "
    "retro with that department, only if enough people of your department wrote about it."
)


def _open_button(checkup_id: int) -> ActionsBlock:
    button = ButtonElement(
        text="Answer the check-up", action_id=Action.CHECKUP_OPEN, value=str(checkup_id), style="primary"
    )
    return ActionsBlock(elements=[button])


def invitation(checkup_id: int, closes: str) -> Message:
    head = (
        "*Check-up: who depends on whom?*\nFor each department you work with, tick what is true between you and "
        f"them. It takes a few minutes, and you can change your answers until it closes {closes}."
    )
    blocks: list[Block] = [
        SectionBlock(text=head),
        ContextBlock(elements=[MarkdownTextObject(text=PRIVACY)]),
        _open_button(checkup_id),
    ]
    return Message(text="Check-up: who depends on whom? Tell Inhouse which departments you work with.", blocks=blocks)


def nudge(checkup_id: int, closes: str) -> Message:
    head = f"*The check-up closes {closes}* and your department's answers count only if you give yours."
    blocks: list[Block] = [SectionBlock(text=head), _open_button(checkup_id)]
    return Message(text="A reminder: the check-up closes soon.", blocks=blocks)


def closes_text(form: Form) -> str:
    return when(form.closes_at)


def modal(form: Form) -> View:
    """One checkbox group per other department (those you work with first) and a line on what gets in the way.

    Past ``MAX_DEPARTMENTS`` the rest are left out (a modal takes 100 blocks) and the form says so.
    """
    shown = form.departments[:MAX_DEPARTMENTS]
    intro = (
        f"For each department, tick what is true. Untouched means no. Open until {closes_text(form)}; "
        "you can come back and change your answers."
    )
    blocks: list[Block] = [SectionBlock(text=intro)]
    for department, name in shown:
        blocks += _department_inputs(form, department, name)
    if left_out := len(form.departments) - len(shown):
        note = f"{left_out} more departments, the ones you have exchanged the fewest requests with, do not fit here."
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=note)]))
    return View(
        type="modal",
        callback_id=Callback.CHECKUP,
        private_metadata=json.dumps({"checkup": form.checkup_id}),
        title="Check-up",
        submit="Send",
        close="Later",
        blocks=blocks,
    )


def _department_inputs(form: Form, department: str, name: str) -> list[Block]:
    options = [Option(value=question.id, text=question.text) for question in ASKED]
    given = form.answers.get(department)
    ticked = [option for option in options if given is not None and option.value in given.questions]
    checks = CheckboxesElement(action_id=Action.CHECKUP_QUESTIONS, options=options, initial_options=ticked or None)
    obstacle = PlainTextInputElement(
        action_id=Action.CHECKUP_OBSTACLE,
        multiline=True,
        max_length=OBSTACLE_MAX,
        initial_value=given.obstacle if given is not None and given.obstacle else None,
    )
    return [
        InputBlock(block_id=f"{BlockId.CHECKUP_ABOUT}:{department}", label=name[:2000], optional=True, element=checks),
        InputBlock(
            block_id=f"{BlockId.CHECKUP_OBSTACLE}:{department}",
            label=f"What gets in the way between us and {name}?"[:2000],
            optional=True,
            element=obstacle,
        ),
    ]


def thanks(closes: str) -> View:
    text = f"Thank you: your answers are in. Until the check-up closes {closes} the button in your DM opens them again."
    return View(type="modal", title="Check-up", close="Done", blocks=[SectionBlock(text=text)])
