"""Retro modal state and button values in, drafts or field errors out. Pure: no Slack, no database."""

import json
from datetime import date
from typing import Any

from bot.ids import Action, BlockId
from bot.retros.prompt_blocks import SIGN
from bot.retros.service import ActionDraft, EntryDraft
from bot.slack.forms import Errors, StateValues


def _input(values: StateValues, block: BlockId, action: Action) -> dict[str, Any]:
    return values.get(block, {}).get(action, {})


def _text(values: StateValues) -> str:
    return (_input(values, BlockId.RETRO_TEXT, Action.RETRO_TEXT).get("value") or "").strip()


def _signed(values: StateValues) -> bool:
    chosen = _input(values, BlockId.RETRO_SIGN, Action.RETRO_SIGN).get("selected_options") or []
    return any(option.get("value") == SIGN for option in chosen)


def entry_button(value: str) -> tuple[int, str]:
    """``"12:went_well"`` -> (12, "went_well")."""
    retro, _, kind = value.partition(":")
    return int(retro), kind


def parse_entry(values: StateValues, private_metadata: str) -> tuple[int, EntryDraft] | Errors:
    origin = json.loads(private_metadata)
    text = _text(values)
    if not text:
        return Errors({BlockId.RETRO_TEXT: "Write your entry: it can't be blank."})
    return int(origin["retro"]), EntryDraft(kind=str(origin["kind"]), text=text, signed=_signed(values))


def parse_action(values: StateValues, private_metadata: str, *, today: date) -> tuple[int, ActionDraft] | Errors:
    errors: dict[str, str] = {}
    text = _text(values)
    if not text:
        errors[BlockId.RETRO_TEXT] = "Say what will be done."
    owner = _input(values, BlockId.RETRO_OWNER, Action.RETRO_OWNER).get("selected_user")
    if not owner:
        errors[BlockId.RETRO_OWNER] = "Pick the person who owns it."
    due = _due(_input(values, BlockId.RETRO_DUE, Action.RETRO_DUE).get("selected_date"), today, errors)
    if errors or due is None or not owner:
        return Errors(errors)
    draft = ActionDraft(text=text, owner_id=str(owner), due_on=due, signed=_signed(values))
    return int(json.loads(private_metadata)["retro"]), draft


def _due(raw: str | None, today: date, errors: dict[str, str]) -> date | None:
    try:
        chosen = date.fromisoformat(raw) if raw else None
    except ValueError:
        chosen = None
    if chosen is None:
        errors[BlockId.RETRO_DUE] = "Pick a due date from the calendar."
    elif chosen < today:
        errors[BlockId.RETRO_DUE] = "The date has passed: pick today or a later day."
    return chosen
