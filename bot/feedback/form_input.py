"""Feedback modal state in, drafts or field errors out. Pure: no Slack, no database."""

import json
import re
from dataclasses import dataclass
from typing import Any

from bot.domain.feedback import SCORES
from bot.feedback.blocks import ANONYMOUS
from bot.feedback.service import FeedbackDraft
from bot.ids import Action, BlockId
from bot.slack.forms import Errors, StateValues

_REQUEST_NUMBER = re.compile(r"#?(\d{1,9})")
_FEEDBACK_ID = re.compile(r"\d{1,16}")
_TS = re.compile(r"\d{1,12}\.\d{1,9}")
FEEDBACK_ID_LIMIT = 2**53  # ids are below it (storage.feedback_models): a larger number names no feedback


@dataclass(frozen=True)
class ReplyOrigin:
    """What the reply modal remembers: which feedback, and the ts of the message it was opened from.

    Not where to post: the note under the feedback goes where the database says the feedback went.
    """

    feedback_id: int
    ts: str


def _input(values: StateValues, block: BlockId, action: Action) -> dict[str, Any]:
    return values.get(block, {}).get(action, {})


def _text(values: StateValues, block: BlockId, action: Action) -> str:
    return (_input(values, block, action).get("value") or "").strip()


def _selected(values: StateValues, block: BlockId, action: Action) -> str | None:
    option = _input(values, block, action).get("selected_option") or {}
    return str(option["value"]) if option.get("value") else None


def request_number(text: str) -> int | None:
    """``#42`` or ``42`` -> 42; anything else -> None."""
    match = _REQUEST_NUMBER.fullmatch(text.strip())
    return int(match.group(1)) if match else None


def split_prefill(text: str) -> tuple[str | None, int | None]:
    """``/feedback it`` -> ("it", None); ``/feedback #42`` -> (None, 42)."""
    words = text.split()
    if not words:
        return None, None
    number = request_number(words[0])
    return (None, number) if number is not None else (words[0], None)


def parse_feedback(values: StateValues) -> FeedbackDraft | Errors:
    errors: dict[str, str] = {}
    department = _selected(values, BlockId.DEPARTMENT, Action.DEPARTMENT)
    raw_request = _text(values, BlockId.FEEDBACK_REQUEST, Action.FEEDBACK_REQUEST)
    number = request_number(raw_request)
    if raw_request and number is None:
        errors[BlockId.FEEDBACK_REQUEST] = "Give a request number, like #42."
    elif department is None and number is None:
        errors[BlockId.DEPARTMENT] = "Choose a department, or give a request number below."
    rating = _selected(values, BlockId.RATING, Action.RATING)
    went_well = _text(values, BlockId.WENT_WELL, Action.WENT_WELL)
    could_be_better = _text(values, BlockId.COULD_BE_BETTER, Action.COULD_BE_BETTER)
    if rating is None and not went_well and not could_be_better:
        errors[BlockId.RATING] = "Give a rating, or say what went well or what could be better."
    elif rating is not None and rating not in {str(score) for score in SCORES}:
        errors[BlockId.RATING] = "Choose a rating from 1 to 5."
    if errors:
        return Errors(errors)
    chosen = _input(values, BlockId.ANONYMOUS, Action.ANONYMOUS).get("selected_options") or []
    return FeedbackDraft(
        department_id=department,
        request_number=number,
        rating=int(rating) if rating is not None else None,
        went_well=went_well,
        could_be_better=could_be_better,
        anonymous=any(option.get("value") == ANONYMOUS for option in chosen),
    )


def parse_required_text(values: StateValues, block: BlockId, action: Action, error: str) -> str | Errors:
    text = _text(values, block, action)
    return text if text else Errors({block: error})


def feedback_id(value: Any) -> int | None:
    """A feedback id from a button's value (text) or a modal's metadata (a number); None if it cannot be one."""
    if isinstance(value, str) and _FEEDBACK_ID.fullmatch(value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 < value < FEEDBACK_ID_LIMIT else None


def message_ts(value: Any) -> str | None:
    return value if isinstance(value, str) and _TS.fullmatch(value) else None


def parse_reply_origin(private_metadata: Any) -> ReplyOrigin | None:
    """The reply modal's metadata; None for anything the reply modal did not write (it comes back from Slack)."""
    if not isinstance(private_metadata, str):
        return None
    try:
        origin = json.loads(private_metadata)
    except (ValueError, RecursionError):
        return None
    if not isinstance(origin, dict):
        return None
    number, ts = feedback_id(origin.get("feedback")), message_ts(origin.get("ts"))
    if number is None or ts is None:
        return None
    return ReplyOrigin(number, ts)
