"""Everything a handler or job needs, built once and passed down."""

from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.http_retry.handler import RetryHandler

from bot.clock import Clock
from bot.config import Settings
from bot.follow_ups import FollowUps
from storage.db import SessionScope


@dataclass(frozen=True)
class Deps:
    settings: Settings
    session_scope: SessionScope
    read_scope: SessionScope  # for reads that must not queue behind writers (see storage.db)
    clock: Clock
    slack: WebClient
    after_ack: FollowUps  # work done after Slack has its answer, behind the acks still to give


def retry_handlers() -> list[RetryHandler]:
    """Honour 429 Retry-After and retry dropped connections; Bolt copies these into every request's client."""
    return [RateLimitErrorRetryHandler(max_retry_count=2), ConnectionErrorRetryHandler(max_retry_count=2)]


def slack_client(settings: Settings) -> WebClient:
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return WebClient(token=token, base_url=settings.slack_api_url, retry_handlers=retry_handlers())
