"""The request modal: the department first, then (if it offers any) the service, then that service's fields and
what to bring. Choosing a department or a service updates the open modal in place (``views.update``).

The ids of the blocks that depend on a choice carry it: a department's service menu, a service's fields and its
priority. Slack keeps what was typed into a block whose id stays the same and forgets the rest, so a field never
shows an answer given for another service, and a service's own starting priority applies when it is chosen. What
the person filled in so far is also set as the new view's initial values (``Filled``), so nothing depends on that.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DatePickerElement,
    InputBlock,
    InputInteractiveElement,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.domain import services
from bot.domain.services import Field, Service
from bot.ids import Action, BlockId, Callback
from bot.requests.card import turned_from
from bot.requests.service import Source
from bot.slack.text import PRIORITY_LABELS, escaped

DESCRIPTION_MAX = 2000
OPTION_TEXT_MAX = 75  # Slack's limit for an option's text
SECTION_TEXT_MAX = 3000


def service_block(department_id: str) -> str:
    return f"{BlockId.SERVICE}:{department_id}"


def field_block(service_id: str, field_id: str) -> str:
    return f"{BlockId.FIELD}:{service_id}:{field_id}"


def priority_block(service: Service | None) -> str:
    return f"{BlockId.PRIORITY}:{service.id}" if service is not None else BlockId.PRIORITY


@dataclass(frozen=True)
class Filled:
    """What the person filled in so far: kept when the modal changes under them."""

    priority: str | None = None
    description: str = ""
    needed_by: date | None = None
    home: str | None = None
    answers: Mapping[str, str] = field(default_factory=dict)
    """Field id -> its input's value: the text, an option's value, an ISO date or a user id."""


@dataclass(frozen=True)
class RequestForm:
    """What the modal offers and shows: the departments (id, name), the chosen one's services, the chosen service.

    Turned from a message (``source``), it links to it and asks whom the request is from (``requester``, at first
    the message's author), instead of the filer's own department.
    """

    departments: Sequence[tuple[str, str]]
    provider: str | None = None
    services: Sequence[Service] = ()
    service: Service | None = None
    ask_home_department: bool = False
    filled: Filled = Filled()
    source: Source | None = None
    requester: str | None = None


def _options(choices: Sequence[tuple[str, str]]) -> list[Option]:
    return [Option(value=value, label=label[:OPTION_TEXT_MAX]) for value, label in choices]


def _select(action_id: str, options: list[Option], initial: str | None, placeholder: str) -> StaticSelectElement:
    chosen = next((option for option in options if option.value == initial), None)
    return StaticSelectElement(action_id=action_id, options=options, initial_option=chosen, placeholder=placeholder)


def request_modal(form: RequestForm) -> View:
    blocks: list[Block] = []
    if form.source is not None:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=turned_from(form.source))]))
    blocks.append(
        InputBlock(
            block_id=BlockId.DEPARTMENT,
            label="Which department?",
            dispatch_action=True,
            element=_select(Action.DEPARTMENT, _options(form.departments), form.provider, "Choose a department"),
        )
    )
    if form.provider is not None and form.services:
        blocks.append(_service_menu(form.provider, form.services, form.service))
    if form.service is not None:
        blocks += _service_blocks(form.service, form.filled.answers)
    blocks += _request_blocks(form)
    return View(
        type="modal",
        callback_id=Callback.REQUEST,
        title="New request",
        submit="Send",
        close="Cancel",
        blocks=blocks,
        private_metadata=json.dumps({"source": form.source.to_dict()}) if form.source is not None else None,
    )


def _service_menu(department_id: str, offered: Sequence[Service], chosen: Service | None) -> InputBlock:
    return InputBlock(
        block_id=service_block(department_id),
        label="Which service?",
        hint="Leave it empty if none of these fits.",
        optional=True,
        dispatch_action=True,
        element=_select(
            Action.SERVICE,
            _options([(service.id, service.name) for service in offered]),
            chosen.id if chosen is not None else None,
            "Choose a service",
        ),
    )


def _service_blocks(service: Service, answers: Mapping[str, str]) -> list[Block]:
    """What the service is, what to bring, and its fields."""
    blocks: list[Block] = []
    if service.description:
        blocks.append(SectionBlock(text=escaped(service.description, SECTION_TEXT_MAX)))
    if service.requester_provides:
        bring = "\n".join(f"• {line}" for line in service.requester_provides)
        blocks.append(SectionBlock(text="*Please have ready:*\n" + escaped(bring, SECTION_TEXT_MAX - 30)))
    blocks += [
        InputBlock(
            block_id=field_block(service.id, each.id),
            label=each.label,
            optional=not each.required,
            element=_field_element(each, answers.get(each.id)),
        )
        for each in service.fields
    ]
    return blocks


def _field_element(each: Field, value: str | None) -> InputInteractiveElement:
    match each.type:
        case "text" | "long_text":
            longest = services.TEXT_ANSWER_MAX if each.type == "text" else services.LONG_TEXT_ANSWER_MAX
            return PlainTextInputElement(
                action_id=Action.FIELD, multiline=each.type == "long_text", max_length=longest, initial_value=value
            )
        case "select":
            options = _options([(str(index), text) for index, text in enumerate(each.options)])
            return _select(Action.FIELD, options, value, "Choose one")
        case "date":
            return DatePickerElement(action_id=Action.FIELD, initial_date=value)
        case "user":
            return UserSelectElement(action_id=Action.FIELD, initial_user=value, placeholder="Choose someone")
        case "number":
            return NumberInputElement(action_id=Action.FIELD, is_decimal_allowed=True, initial_value=value)


def _request_blocks(form: RequestForm) -> list[Block]:
    filled = form.filled
    priority = filled.priority or (form.service.priority if form.service else None) or "normal"
    blocks: list[Block] = [
        InputBlock(
            block_id=priority_block(form.service),
            label="Priority",
            element=_select(Action.PRIORITY, _options(list(PRIORITY_LABELS.items())), priority, "Choose a priority"),
        ),
        InputBlock(
            block_id=BlockId.DESCRIPTION,
            label="What do you need?",
            element=PlainTextInputElement(
                action_id=Action.DESCRIPTION,
                multiline=True,
                max_length=DESCRIPTION_MAX,
                initial_value=filled.description[:DESCRIPTION_MAX] or None,
            ),
        ),
        InputBlock(
            block_id=BlockId.NEEDED_BY,
            label="Needed by",
            optional=True,
            element=DatePickerElement(
                action_id=Action.NEEDED_BY, initial_date=filled.needed_by.isoformat() if filled.needed_by else None
            ),
        ),
    ]
    if form.source is not None:
        blocks.append(
            InputBlock(
                block_id=BlockId.REQUESTER,
                label="Who is it from?",
                hint="The message's author; choose someone else if the request is theirs.",
                element=UserSelectElement(action_id=Action.REQUESTER, initial_user=form.requester),
            )
        )
    elif form.ask_home_department:
        blocks.append(
            InputBlock(
                block_id=BlockId.REQUESTER_DEPARTMENT,
                label="Which department are you in?",
                hint="We ask once and remember it.",
                element=_select(
                    Action.REQUESTER_DEPARTMENT, _options(form.departments), filled.home, "Your department"
                ),
            )
        )
    return blocks
