"""Modal state in, drafts or field errors out. Pure: no Slack calls, no database."""

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

from bot.domain import services
from bot.domain.lifecycle import Priority
from bot.domain.services import Answer, Field, Service
from bot.ids import Action, BlockId
from bot.requests.modals import NOTE_MAX
from bot.requests.request_modal import DESCRIPTION_MAX, Filled, field_block, priority_block, service_block
from bot.requests.service import RequestDraft, Source
from bot.slack import payloads
from bot.slack.forms import Errors, StateValues, bounded_text, date_of, selected_of, text_of, too_long, user_of

NO_SERVICES: Mapping[str, Sequence[Service]] = MappingProxyType({})
NO_NAMES: Mapping[str, str] = MappingProxyType({})


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
    values: StateValues,
    *,
    today: date,
    catalog: Mapping[str, Sequence[Service]] = NO_SERVICES,
    source: Source | None = None,
) -> RequestDraft | Errors:
    """``catalog``: what each department offers now, by department id; ``source``: the message the modal was
    opened from (it then asks whom the request is from)."""
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
    requester = user_of(values, BlockId.REQUESTER, Action.REQUESTER) if source is not None else None
    if source is not None and not payloads.is_user_id(requester):
        errors[BlockId.REQUESTER] = "Choose whom the request is from."
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
        source=source,
        requester=requester,
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


@dataclass(frozen=True)
class Prefill:
    """What ``/request TEXT`` asks for: a department (or a service, which names its department) and what is needed;
    or help, or a first word that names neither (``unknown``)."""

    provider: str | None = None
    service: str | None = None
    description: str = ""
    unknown: str | None = None
    help: bool = False


HELP = "help"


def split_prefill(text: str, departments: Mapping[str, str], services: Mapping[str, str] = NO_NAMES) -> Prefill:
    """``/request it laptop won't boot`` -> it, "laptop won't boot": a leading department id or name, or a service
    id (``services``: service id -> its department); ``help``; otherwise the first word is ``unknown``."""
    words = text.strip().split(maxsplit=1)
    if not words:
        return Prefill()
    first, rest = words[0].lower(), words[1] if len(words) > 1 else ""
    for department_id, name in departments.items():
        if first in (department_id.lower(), name.lower()):
            return Prefill(provider=department_id, description=rest)
    for service_id, department_id in services.items():
        if first == service_id.lower():
            return Prefill(provider=department_id, service=service_id, description=rest)
    if first == HELP and not rest:
        return Prefill(help=True)
    return Prefill(unknown=words[0], description=rest)


_LINK = re.compile(r"^https://[^\s<>|]{1,490}$")
_CHANNEL = re.compile(r"^[CG][A-Z0-9]{1,31}$")
_TS = re.compile(r"^[0-9]{1,12}\.[0-9]{1,9}$")


def source_of(private_metadata: str) -> Source | None:
    """The message a request modal was opened from, as its private_metadata carries it; None if none (or not one:
    the metadata comes back from the client, so it is checked like anything else it sends)."""
    try:
        parsed = json.loads(private_metadata) if private_metadata else None
    except (ValueError, RecursionError):
        return None
    source = parsed.get("source") if isinstance(parsed, dict) else None
    if not isinstance(source, dict):
        return None
    channel, ts, link = source.get("channel"), source.get("ts"), source.get("link")
    if not (isinstance(channel, str) and isinstance(ts, str) and isinstance(link, str)):
        return None
    if not (_CHANNEL.fullmatch(channel) and _TS.fullmatch(ts) and _LINK.fullmatch(link)):
        return None
    return Source(channel, ts, link)
