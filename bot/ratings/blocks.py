"""Ratings of a resolved request: the one-click prompts, the comment modal, the line on the card."""

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, InputBlock, PlainTextInputElement, SectionBlock
from slack_sdk.models.views import View

from bot.domain.feedback import COMMENT_MAX, SCORES, Direction
from bot.feedback.blocks import stars
from bot.ids import Action, BlockId, Callback
from bot.requests.modals import about_request
from bot.requests.service import RequestSnapshot
from bot.slack.message import Message
from bot.slack.text import escape, request_ref, user

PREFIXES = {Direction.CUSTOMER_TO_PROVIDER: Action.RATE_SERVICE, Direction.PROVIDER_TO_CUSTOMER: Action.RATE_REQUEST}


def rating_action(direction: Direction, score: int) -> str:
    return f"{PREFIXES[direction]}_{score}"


def _buttons(request: RequestSnapshot, direction: Direction, chosen: int | None) -> list[ButtonElement]:
    return [
        ButtonElement(
            text=str(score),
            action_id=rating_action(direction, score),
            value=str(request.number),
            style="primary" if score == chosen else None,
        )
        for score in SCORES
    ]


def requester_prompt(request: RequestSnapshot, chosen: int | None = None) -> Message:
    """The requester's DM: rate the service in one click, change it with another, add a comment."""
    ref, provider = request_ref(request.number), escape(request.provider_name)
    if chosen is None:
        text = f"*{ref}* is resolved. How did *{provider}* do? One click rates it (1 poor, 5 excellent)."
    else:
        text = f"You rated *{provider}* {stars(chosen)} for *{ref}*. Click another number to change it."
    buttons = _buttons(request, Direction.CUSTOMER_TO_PROVIDER, chosen)
    buttons.append(ButtonElement(text="Add a comment", action_id=Action.RATING_COMMENT, value=str(request.number)))
    blocks: list[Block] = [SectionBlock(text=text), ActionsBlock(block_id=BlockId.RATING_ACTIONS, elements=buttons)]
    return Message(text=text.replace("*", ""), blocks=blocks)


def provider_prompt(
    request: RequestSnapshot, asked: str, rater: str | None = None, chosen: int | None = None
) -> Message:
    """In the card's thread (or the resolver's DM): rate the request itself in one click."""
    ref = request_ref(request.number)
    if chosen is None or rater is None:
        text = (
            f"{user(asked)}, how was request *{ref}* from {user(request.requester_id)}? Was it clear, complete, "
            "and did it come with enough lead time? One click rates it (1 poor, 5 excellent)."
        )
    else:
        text = f"{user(rater)} rated request *{ref}* {stars(chosen)}. Click another number to change it."
    buttons = _buttons(request, Direction.PROVIDER_TO_CUSTOMER, chosen)
    blocks: list[Block] = [SectionBlock(text=text), ActionsBlock(block_id=BlockId.RATING_ACTIONS, elements=buttons)]
    return Message(text=text.replace("*", ""), blocks=blocks)


def comment_modal(request: RequestSnapshot) -> View:
    return about_request(
        request,
        Callback.RATING_COMMENT,
        "Comment on",
        "Save",
        [
            SectionBlock(text=f"Your comment shows on the card of *{request_ref(request.number)}* with your rating."),
            InputBlock(
                block_id=BlockId.COMMENT,
                label="Your comment",
                element=PlainTextInputElement(action_id=Action.COMMENT, multiline=True, max_length=COMMENT_MAX),
            ),
        ],
    )
