"""Waiting on the requester: what the provider asks them (the pause's modal), their answer from the DM (*Reply*'s
modal), and what an answer owes Slack: itself in the card's thread for the provider, the card showing it came, and
a copy in the requester's DM. The answer stops the customer's clock; the provider resumes the request.
"""

from datetime import datetime

from slack_sdk.models.blocks import Block, InputBlock, PlainTextInputElement, SectionBlock
from slack_sdk.models.views import View
from sqlmodel import Session

from bot.errors import NotFound
from bot.ids import Action, BlockId, Callback
from bot.requests.modals import NOTE_MAX, about_request
from bot.requests.outbound import card_refresh, current_card, in_thread, owe_about
from bot.requests.service import RequestSnapshot
from bot.slack.forms import Errors, StateValues, bounded_text
from bot.slack.message import Message
from bot.slack.outbox import post
from bot.slack.text import escape, escaped, request_ref, user

ANSWER_MAX = 2000


def pause_modal(request: RequestSnapshot) -> View:
    """Waiting on the requester: what the provider asks them goes in the card's thread and in their DM."""
    return about_request(
        request,
        Callback.PAUSE,
        "Ask the requester",
        "Ask and wait",
        [
            SectionBlock(text=f"*{request_ref(request.number)}* {escaped(request.description, 500)}"),
            InputBlock(
                block_id=BlockId.NOTE,
                label="What do you need from them?",
                hint="They get it in a DM with a Reply button. The agreement's clock is paused until you resume.",
                optional=True,
                element=PlainTextInputElement(action_id=Action.NOTE, multiline=True, max_length=NOTE_MAX),
            ),
        ],
    )


def answer_modal(request: RequestSnapshot, question: str | None) -> View:
    """The requester's answer, from their DM."""
    ref, provider = request_ref(request.number), escape(request.provider_name)
    about = f"*{ref}* to *{provider}*\n>{escaped(request.description, 500)}"
    blocks: list[Block] = [SectionBlock(text=about)]
    if question:
        blocks.append(SectionBlock(text=f"They asked:\n>{escaped(question, NOTE_MAX + 200)}"))
    blocks.append(
        InputBlock(
            block_id=BlockId.NOTE,
            label="Your answer",
            hint=f"It goes in the request's thread, where {request.provider_name[:100]} works on it.",
            element=PlainTextInputElement(action_id=Action.NOTE, multiline=True, max_length=ANSWER_MAX),
        )
    )
    return about_request(request, Callback.ANSWER, "Answer", "Send", blocks)


def parse_question(values: StateValues) -> str | Errors:
    errors: dict[str, str] = {}
    question = bounded_text(values, BlockId.NOTE, Action.NOTE, NOTE_MAX, errors, required=None)
    return Errors(errors) if errors else question


def parse_answer(values: StateValues) -> str | Errors:
    errors: dict[str, str] = {}
    blank = "Write your answer: it can't be blank."
    answer = bounded_text(values, BlockId.NOTE, Action.NOTE, ANSWER_MAX, errors, required=blank)
    return Errors(errors) if errors else answer


def answered(session: Session, request: RequestSnapshot, text: str, key: str, now: datetime) -> None:
    """The requester's answer from their DM (``key``: one per modal, so a double submit posts it once)."""
    card = current_card(session, request)
    if card is None:
        raise NotFound(
            f"{request.provider_name} never got the card of {request_ref(request.number)}, so there is no thread "
            "to answer in: please write to them directly."
        )
    ref = request_ref(request.number)
    note = Message(text=f"{user(request.requester_id)} answered:\n>{escaped(text, ANSWER_MAX + 500)}")
    copy = Message(
        text=f"Your answer about *{ref}* is in its thread for *{escape(request.provider_name)}*:\n"
        f">{escaped(text, ANSWER_MAX + 500)}"
    )
    messages = [in_thread(f"{key}:note", request.number, card, note)]
    if request.event_id is not None:  # the answer the request waited for: the card shows it came
        messages.append(card_refresh(f"{key}:card", request.number, card))
    messages.append(post(f"{key}:dm", request.requester_id, copy))
    owe_about(session, request.number, messages, now)
