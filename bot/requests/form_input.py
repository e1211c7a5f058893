"""Modal state in, drafts or field errors out. Pure: no Slack calls, no database."""

from datetime import date
from typing import Any

from bot.domain.lifecycle import Priority
from bot.ids import Action, BlockId
from bot.requests.service import RequestDraft
from bot.slack.forms import Errors, StateValues


def _value(values: StateValues, block: BlockId, action: Action) -> dict[str, Any]:
    return values.get(block, {}).get(action, {})


def _text(values: StateValues, block: BlockId, action: Action) -> str:
    return (_value(values, block, action).get("value") or "").strip()


def _selected(values: StateValues, block: BlockId, action: Action) -> str | None:
    option = _value(values, block, action).get("selected_option") or {}
    value = option.get("value")
    return str(value) if value else None


def parse_request(values: StateValues, *, today: date) -> RequestDraft | Errors:
    errors: dict[str, str] = {}
    provider = _selected(values, BlockId.DEPARTMENT, Action.DEPARTMENT)
    if provider is None:
        errors[BlockId.DEPARTMENT] = "Choose the department you are asking."
    priority = _selected(values, BlockId.PRIORITY, Action.PRIORITY) or Priority.NORMAL
    if priority not in set(Priority):
        errors[BlockId.PRIORITY] = "Choose low, normal, high or urgent."
    description = _text(values, BlockId.DESCRIPTION, Action.DESCRIPTION)
    if not description:
        errors[BlockId.DESCRIPTION] = "Say what you need: the description can't be blank."
    needed_by = _date(values, errors, today)
    asked_home = BlockId.REQUESTER_DEPARTMENT in values
    home = _selected(values, BlockId.REQUESTER_DEPARTMENT, Action.REQUESTER_DEPARTMENT)
    if asked_home and home is None:
        errors[BlockId.REQUESTER_DEPARTMENT] = "Choose your own department."
    if errors or provider is None:
        return Errors(errors)
    return RequestDraft(
        provider_id=provider,
        priority=priority,
        description=description,
        needed_by=needed_by,
        requester_department_id=home,
    )


def _date(values: StateValues, errors: dict[str, str], today: date) -> date | None:
    raw = _value(values, BlockId.NEEDED_BY, Action.NEEDED_BY).get("selected_date")
    if not raw:
        return None
    try:
        chosen = date.fromisoformat(raw)
    except ValueError:
        errors[BlockId.NEEDED_BY] = "Pick a date from the calendar."
        return None
    if chosen < today:
        errors[BlockId.NEEDED_BY] = "The date has passed: pick today or a later day."
    return chosen


def parse_note(values: StateValues, *, required: bool) -> str | Errors:
    note = _text(values, BlockId.NOTE, Action.NOTE)
    if required and not note:
        return Errors({BlockId.NOTE: "Write a short note on what was done."})
    return note


def parse_transfer(values: StateValues) -> tuple[str, str] | Errors:
    department = _selected(values, BlockId.DEPARTMENT, Action.DEPARTMENT)
    if department is None:
        return Errors({BlockId.DEPARTMENT: "Choose the department to transfer to."})
    return department, _text(values, BlockId.NOTE, Action.NOTE)


def split_prefill(text: str, departments: dict[str, str]) -> tuple[str | None, str]:
    """``/request it laptop won't boot`` -> ("it", "laptop won't boot"): a leading department id or name."""
    words = text.strip().split(maxsplit=1)
    if not words:
        return None, ""
    first = words[0].lower()
    for department_id, name in departments.items():
        if first in (department_id.lower(), name.lower()):
            return department_id, words[1] if len(words) > 1 else ""
    return None, text.strip()
