"""The Slack Web API client, built once from the settings and shared by the app, the jobs and the CLI."""

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.http_retry.handler import RetryHandler

from bot.config import Settings


def retry_handlers() -> list[RetryHandler]:
    """Honour 429 Retry-After and retry dropped connections; Bolt copies these into every request's client."""
    return [RateLimitErrorRetryHandler(max_retry_count=2), ConnectionErrorRetryHandler(max_retry_count=2)]


def slack_client(settings: Settings) -> WebClient:
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return WebClient(token=token, base_url=settings.slack_api_url, retry_handlers=retry_handlers())


def sender_client(settings: Settings, *, timeout: int) -> WebClient:
    """The outbox sender's client: no retries of its own (the outbox reschedules, on the injected clock)."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return WebClient(token=token, base_url=settings.slack_api_url, retry_handlers=[], timeout=timeout)


DIRECTORY_RETRIES = 20  # 429s waited out per look-up: a big org file's look-ups take as long as Slack's tiers say


def directory_client(settings: Settings) -> WebClient:
    """The client for looking people, groups and channels up: it waits out every 429's Retry-After."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    handlers = [RateLimitErrorRetryHandler(max_retry_count=DIRECTORY_RETRIES), ConnectionErrorRetryHandler()]
    return WebClient(token=token, base_url=settings.slack_api_url, retry_handlers=handlers)
