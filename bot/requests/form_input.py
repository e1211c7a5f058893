"""Modal state in, drafts or field errors out. Pure: no Slack calls, no database."""

from datetime import date

from bot.domain.lifecycle import Priority
from bot.ids import Action, BlockId
from bot.requests.modals import DESCRIPTION_MAX, NOTE_MAX
from bot.requests.service import RequestDraft
from bot.slack.forms import Errors, StateValues, bounded_text, date_of, selected_of


def parse_request(values: StateValues, *, today: date) -> RequestDraft | Errors:
    errors: dict[str, str] = {}
    provider = selected_of(values, BlockId.DEPARTMENT, Action.DEPARTMENT)
    if provider is None:
        errors[BlockId.DEPARTMENT] = "Choose the department you are asking."
    priority = selected_of(values, BlockId.PRIORITY, Action.PRIORITY) or Priority.NORMAL
    if priority not in set(Priority):
        errors[BlockId.PRIORITY] = "Choose low, normal, high or urgent."
    description = bounded_text(
        values,
        BlockId.DESCRIPTION,
        Action.DESCRIPTION,
        DESCRIPTION_MAX,
        errors,
        required="Say what you need: the description can't be blank.",
    )
    needed_by = _date(values, errors, today)
    asked_home = isinstance(values, dict) and BlockId.REQUESTER_DEPARTMENT in values
    home = selected_of(values, BlockId.REQUESTER_DEPARTMENT, Action.REQUESTER_DEPARTMENT)
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
    chosen = date_of(values, BlockId.NEEDED_BY, Action.NEEDED_BY)
    if chosen is None:
        return None
    if isinstance(chosen, str):
        errors[BlockId.NEEDED_BY] = "Pick a date from the calendar."
        return None
    if chosen < today:
        errors[BlockId.NEEDED_BY] = "The date has passed: pick today or a later day."
    return chosen


def parse_note(values: StateValues, *, required: bool) -> str | Errors:
    errors: dict[str, str] = {}
    blank = "Write a short note on what was done." if required else None
    note = bounded_text(values, BlockId.NOTE, Action.NOTE, NOTE_MAX, errors, required=blank)
    return Errors(errors) if errors else note


def parse_transfer(values: StateValues) -> tuple[str, str] | Errors:
    errors: dict[str, str] = {}
    department = selected_of(values, BlockId.DEPARTMENT, Action.DEPARTMENT)
    if department is None:
        errors[BlockId.DEPARTMENT] = "Choose the department to transfer to."
    note = bounded_text(values, BlockId.NOTE, Action.NOTE, NOTE_MAX, errors, required=None)
    if errors or department is None:
        return Errors(errors)
    return department, note


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
