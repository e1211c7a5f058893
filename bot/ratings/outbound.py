"""What request ratings owe Slack: the prompts, asked once after the resolve; each click shown on its prompt and card.

Owed in the transaction that resolved the request or recorded the rating (``bot.slack.outbox``).
"""

from datetime import datetime

from sqlmodel import Session

from bot.domain.feedback import Direction
from bot.errors import NotAllowed
from bot.ratings.blocks import provider_prompt, requester_prompt
from bot.requests.outbound import card_refresh, current_card, in_thread, owe_about
from bot.requests.service import RequestSnapshot
from bot.slack.outbox import Owed, post, update
from bot.slack.text import request_ref
from storage import outbox


def prompt_key(number: int, direction: Direction) -> str:
    """The outbox key of a request's rating prompt in one direction (its row keeps the ts it was posted at)."""
    return f"request:{number}:rating:{direction}"


def ask(session: Session, request: RequestSnapshot, resolver: str, asked: list[Direction], now: datetime) -> None:
    """The requester rates the service in a DM; the resolver rates the request in the card's thread, or a DM."""
    messages: list[Owed] = []
    if Direction.CUSTOMER_TO_PROVIDER in asked:
        prompt = requester_prompt(request)
        messages.append(post(prompt_key(request.number, Direction.CUSTOMER_TO_PROVIDER), request.requester_id, prompt))
    if Direction.PROVIDER_TO_CUSTOMER in asked:
        prompt, key = provider_prompt(request, resolver), prompt_key(request.number, Direction.PROVIDER_TO_CUSTOMER)
        card = current_card(session, request)
        if card is not None:
            messages.append(in_thread(key, request.number, card, prompt))
        else:
            messages.append(post(key, resolver, prompt))
    owe_about(session, request.number, messages, now)


def rated(
    session: Session,
    request: RequestSnapshot,
    direction: Direction,
    rater: str,
    score: int,
    prompt: tuple[str, str],
    click: str,
    now: datetime,
) -> None:
    """The clicked prompt (``prompt``: its channel and ts) shows the score, and so does the card.

    ``click`` is the click's action_ts: each click is a change of its own, and Slack's retry of one is not.
    The clicked message is replaced only if it is the prompt the outbox posted for this request and direction:
    the payload says where it was clicked, and could name another of the bot's messages (NotAllowed).
    """
    channel, ts = prompt
    posted = outbox.by_key(session, prompt_key(request.number, direction))
    if posted is None or posted.ts != ts:
        raise NotAllowed(f"That was not the rating prompt of {request_ref(request.number)}: nothing was changed.")
    if direction is Direction.CUSTOMER_TO_PROVIDER:
        message = requester_prompt(request, score)
    else:
        message = provider_prompt(request, rater, rater, score)
    key = f"request:{request.number}:rating:{direction}:click:{click}"
    owe_about(
        session, request.number, [update(f"{key}:prompt", channel, message, ts=ts), *_card(session, request, key)], now
    )


def commented(session: Session, request: RequestSnapshot, submission: str, now: datetime) -> None:
    """The requester's comment shows on the card; ``submission`` is the comment modal's view id."""
    owe_about(session, request.number, _card(session, request, f"request:{request.number}:comment:{submission}"), now)


def _card(session: Session, request: RequestSnapshot, key: str) -> list[Owed]:
    card = current_card(session, request)
    return [card_refresh(f"{key}:card", request.number, card)] if card is not None else []
