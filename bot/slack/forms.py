"""What every feature's form parsing shares: a modal's state values in, field errors out.

The readers take whatever Slack (or someone posing as it) put in the state: an input of the wrong type reads
as empty, so it gets the field's ordinary "fill this in" error, and nothing raises.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

StateValues = dict[str, dict[str, dict[str, Any]]]


@dataclass(frozen=True)
class Errors:
    """Field errors by block_id, as ``ack(response_action="errors", errors=...)`` takes them."""

    by_block: dict[str, str]


def state_of(values: StateValues, block: str, action: str) -> dict[str, Any]:
    """One input's state, ``{}`` when it is missing or not an object."""
    inputs = values.get(block) if isinstance(values, dict) else None
    found = inputs.get(action) if isinstance(inputs, dict) else None
    return found if isinstance(found, dict) else {}


def text_of(values: StateValues, block: str, action: str) -> str:
    """A text input's value, stripped; ``""`` when empty, missing or not text."""
    value = state_of(values, block, action).get("value")
    return value.strip() if isinstance(value, str) else ""


def selected_of(values: StateValues, block: str, action: str) -> str | None:
    """A select's chosen option value; None when nothing (readable) is chosen."""
    option = state_of(values, block, action).get("selected_option")
    value = option.get("value") if isinstance(option, dict) else None
    return value if isinstance(value, str) and value else None


def selected_values_of(values: StateValues, block: str, action: str) -> list[str]:
    """The values of the options ticked in a checkboxes or multi-select input."""
    options = state_of(values, block, action).get("selected_options")
    if not isinstance(options, list):
        return []
    return [o["value"] for o in options if isinstance(o, dict) and isinstance(o.get("value"), str)]


def user_of(values: StateValues, block: str, action: str) -> str | None:
    """A users_select's chosen user, as Slack reports it (check its shape before trusting it)."""
    user = state_of(values, block, action).get("selected_user")
    return user if isinstance(user, str) and user else None


def date_of(values: StateValues, block: str, action: str) -> date | str | None:
    """A datepicker's date; None when none was picked, the raw text when it is not a date."""
    raw = state_of(values, block, action).get("selected_date")
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        return "?"
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return raw


def too_long(text: str, max_length: int) -> str | None:
    """The field error for text over the input's ``max_length`` (Slack's limit, checked again here), or None.

    Text is never stored cut, nor in full past the limit: the person shortens it, and sees by how much.
    """
    if len(text) <= max_length:
        return None
    return f"Keep it under {max_length:,} characters: this has {len(text):,}."


def bounded_text(
    values: StateValues, block: str, action: str, max_length: int, errors: dict[str, str], *, required: str | None
) -> str:
    """A text input's value; a field error in ``errors`` when it is over ``max_length``, or blank and ``required``.

    ``required`` is the error for a blank value (None: the input is optional).
    """
    text = text_of(values, block, action)
    problem = too_long(text, max_length)
    if problem is not None:
        errors[block] = problem
    elif required is not None and not text:
        errors[block] = required
    return text
