"""Retro modal state and button values in, drafts or field errors out. Pure: no Slack, no database."""

from datetime import date

from bot.ids import Action, BlockId
from bot.retros.prompt_blocks import SIGN, TEXT_MAX
from bot.retros.service import ActionDraft, EntryDraft
from bot.slack.forms import Errors, StateValues, bounded_text, date_of, selected_values_of, user_of
from bot.slack.payloads import Malformed, is_user_id, number

_KIND = frozenset("abcdefghijklmnopqrstuvwxyz_")


def _signed(values: StateValues) -> bool:
    return SIGN in selected_values_of(values, BlockId.RETRO_SIGN, Action.RETRO_SIGN)


def entry_button(value: str | None) -> tuple[int, str] | Malformed:
    """``"12:went_well"`` -> (12, "went_well")."""
    retro, _, kind = (value or "").partition(":")
    retro_id = number(retro)
    if isinstance(retro_id, Malformed):
        return retro_id
    if not kind or len(kind) > 32 or not set(kind) <= _KIND:
        return Malformed("the entry button names no kind")
    return retro_id, kind


def parse_entry(values: StateValues, kind: str) -> EntryDraft | Errors:
    errors: dict[str, str] = {}
    text = bounded_text(
        values, BlockId.RETRO_TEXT, Action.RETRO_TEXT, TEXT_MAX, errors, required="Write your entry: it can't be blank."
    )
    return Errors(errors) if errors else EntryDraft(kind=kind, text=text, signed=_signed(values))


def parse_action(values: StateValues, *, today: date) -> ActionDraft | Errors:
    errors: dict[str, str] = {}
    text = bounded_text(
        values, BlockId.RETRO_TEXT, Action.RETRO_TEXT, TEXT_MAX, errors, required="Say what will be done."
    )
    owner = user_of(values, BlockId.RETRO_OWNER, Action.RETRO_OWNER)
    if owner is None:
        errors[BlockId.RETRO_OWNER] = "Pick the person who owns it."
    elif not is_user_id(owner):
        errors[BlockId.RETRO_OWNER] = "Pick the person who owns it from the list."
    due = _due(date_of(values, BlockId.RETRO_DUE, Action.RETRO_DUE), today, errors)
    if errors or due is None or owner is None:
        return Errors(errors)
    return ActionDraft(text=text, owner_id=owner, due_on=due, signed=_signed(values))


def _due(chosen: date | str | None, today: date, errors: dict[str, str]) -> date | None:
    if not isinstance(chosen, date):
        errors[BlockId.RETRO_DUE] = "Pick a due date from the calendar."
        return None
    if chosen < today:
        errors[BlockId.RETRO_DUE] = "The date has passed: pick today or a later day."
    return chosen
