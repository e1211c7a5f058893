"""The Slack side of request ratings: ask once after the resolve, show each click on the prompt and the card."""

from slack_sdk import WebClient

from bot.domain.feedback import Direction
from bot.ratings.blocks import provider_prompt, requester_prompt
from bot.requests.card import request_card
from bot.requests.service import RequestSnapshot
from bot.slack.calls import Place, post, update


def ask(client: WebClient, request: RequestSnapshot, resolver: str, asked: list[Direction]) -> None:
    """The requester rates the service in a DM; the resolver rates the request in the card's thread, or a DM."""
    what = f"rating prompt for #{request.number}"
    if Direction.CUSTOMER_TO_PROVIDER in asked:
        post(client, request.requester_id, requester_prompt(request), what=what)
    if Direction.PROVIDER_TO_CUSTOMER in asked:
        message = provider_prompt(request, resolver)
        if request.card_channel and request.card_ts:
            post(client, request.card_channel, message, what=what, thread_ts=request.card_ts)
        else:
            post(client, resolver, message, what=what)


def rated(
    client: WebClient, request: RequestSnapshot, direction: Direction, rater: str, score: int, prompt: Place
) -> None:
    if direction is Direction.CUSTOMER_TO_PROVIDER:
        message = requester_prompt(request, score)
    else:
        message = provider_prompt(request, rater, rater, score)
    update(client, prompt.channel, prompt.ts, message, what=f"rating prompt for #{request.number}")
    refresh_card(client, request)


def refresh_card(client: WebClient, request: RequestSnapshot) -> None:
    if request.card_channel and request.card_ts:
        update(client, request.card_channel, request.card_ts, request_card(request), what=f"card #{request.number}")
