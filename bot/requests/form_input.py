"""Modal state in, drafts or field errors out. Pure: no Slack calls, no database."""

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

from bot.domain import services
from bot.domain.lifecycle import Priority
from bot.domain.services import Answer, Field, Service
from bot.ids import Action, BlockId
from bot.requests.modals import NOTE_MAX
from bot.requests.request_modal import DESCRIPTION_MAX, Filled, field_block, priority_block, service_block
from bot.requests.service import RequestDraft
from bot.slack import payloads
from bot.slack.forms import Errors, StateValues, bounded_text, date_of, selected_of, text_of, too_long, user_of

NO_SERVICES: Mapping[str, Sequence[Service]] = MappingProxyType({})


def chosen(values: StateValues) -> tuple[str | None, str | None]:
    """The department and the service chosen so far in the request modal (None where nothing is)."""
    provider = selected_of(values, BlockId.DEPARTMENT, Action.DEPARTMENT)
    service = selected_of(values, service_block(provider), Action.SERVICE) if provider else None
    return provider, service


def filled(values: StateValues, service: Service | None) -> Filled:
    """What was filled in, read where the modal for ``service`` has its inputs (others' answers are not kept)."""
    needed_by = date_of(values, BlockId.NEEDED_BY, Action.NEEDED_BY)
    raw = {each.id: _raw(values, service.id, each) for each in service.fields} if service is not None else {}
    return Filled(
        priority=selected_of(values, priority_block(service), Action.PRIORITY),
        description=text_of(values, BlockId.DESCRIPTION, Action.DESCRIPTION),
        needed_by=needed_by if isinstance(needed_by, date) else None,
        home=selected_of(values, BlockId.REQUESTER_DEPARTMENT, Action.REQUESTER_DEPARTMENT),
        answers={field_id: value for field_id, value in raw.items() if value},
    )


def parse_request(
    values: StateValues, *, today: date, catalog: Mapping[str, Sequence[Service]] = NO_SERVICES
) -> RequestDraft | Errors:
    """``catalog``: what each department offers now, by department id."""
    errors: dict[str, str] = {}
    provider, service_id = chosen(values)
    if provider is None:
        errors[BlockId.DEPARTMENT] = "Choose the department you are asking."
    service = next((s for s in catalog.get(provider or "", ()) if s.id == service_id), None)
    if provider is not None and service_id is not None and service is None:
        errors[service_block(provider)] = "That service is no longer offered: choose another one, or none."
    priority = selected_of(values, priority_block(service), Action.PRIORITY) or Priority.NORMAL
    if priority not in set(Priority):
        errors[priority_block(service)] = "Choose low, normal, high or urgent."
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
    answers = _answers(values, service, errors) if service is not None else ()
    if errors or provider is None:
        return Errors(errors)
    return RequestDraft(
        provider_id=provider,
        priority=priority,
        description=description,
        needed_by=needed_by,
        requester_department_id=home,
        service_id=service.id if service is not None else None,
        answers=answers,
    )


def _raw(values: StateValues, service_id: str, each: Field) -> str | None:
    """A field's input as Slack reports it: the text, an option's value, an ISO date or a user id."""
    block = field_block(service_id, each.id)
    match each.type:
        case "select":
            return selected_of(values, block, Action.FIELD)
        case "date":
            picked = date_of(values, block, Action.FIELD)
            return picked.isoformat() if isinstance(picked, date) else picked
        case "user":
            return user_of(values, block, Action.FIELD)
        case _:
            return text_of(values, block, Action.FIELD) or None


def _answers(values: StateValues, service: Service, errors: dict[str, str]) -> tuple[Answer, ...]:
    answers = []
    for each in service.fields:
        block = field_block(service.id, each.id)
        raw = _raw(values, service.id, each)
        problem = _problem(each, raw) if raw is not None else None
        if problem is not None:
            errors[block] = problem
        elif raw is None and each.required:
            errors[block] = f"{service.name} needs this."
        elif raw is not None:
            shown = each.options[int(raw)] if each.type == "select" else raw
            answers.append(Answer(each.id, each.label, each.type, shown))
    return tuple(answers)


def _problem(each: Field, raw: str) -> str | None:
    """What is wrong with a field's input, if anything."""
    match each.type:
        case "select":
            return None if raw.isdigit() and int(raw) < len(each.options) else "Choose one of the options."
        case "date":
            return None if _is_date(raw) else "Pick a date from the calendar."
        case "user":
            return None if payloads.is_user_id(raw) else "Choose someone from the list."
        case "number":
            return None if _is_number(raw) else "Write a number, like 3 or 2.5."
        case "long_text":
            return too_long(raw, services.LONG_TEXT_ANSWER_MAX)
        case _:
            return too_long(raw, services.TEXT_ANSWER_MAX)


def _is_date(raw: str) -> bool:
    try:
        date.fromisoformat(raw)
    except ValueError:
        return False
    return True


def _is_number(raw: str) -> bool:
    try:
        return Decimal(raw).is_finite()
    except InvalidOperation:
        return False


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
