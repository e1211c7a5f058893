"""Start-up mistakes in one line each: what is wrong and what to do, never a traceback.

The database and Slack are checked before anything is served, so that a wrong ``DATABASE_URL`` or
token stops ``inhouse run`` at once with the reason, instead of a server that answers every request
with an error.
"""

import logging
from pathlib import Path

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from bot.config import Settings
from storage.db import make_engine

SUPPORTED = ("sqlite", "postgresql")
SLACK_CHECK_TIMEOUT_S = 10


class CliError(Exception):
    """Something the operator must fix; the message says what, in one line where it can."""


def shown(url: str) -> str:
    """A database URL as it may be printed: without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unreadable)"


def connect(url: str) -> Engine:
    """An engine that has answered once, or a CliError that says why not."""
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError as error:
        raise CliError(f"DATABASE_URL is not a database URL ({error}): use sqlite:///PATH or postgresql://…") from None
    if backend not in SUPPORTED:
        raise CliError(
            f"DATABASE_URL {shown(url)} uses {backend!r}, which Inhouse does not support: "
            "use sqlite:///PATH (the default) or postgresql://USER:PASSWORD@HOST/DB."
        )
    database = make_url(url).database
    if backend == "sqlite" and database and database != ":memory:" and not database.startswith("file:"):
        folder = Path(database).resolve().parent
        if not folder.is_dir():
            raise CliError(f"The SQLite database's folder does not exist: {folder}. Create it, or change DATABASE_URL.")
    try:
        engine = make_engine(url)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (NoSuchModuleError, ModuleNotFoundError) as error:
        raise CliError(f"DATABASE_URL {shown(url)}: no driver for it is installed ({error}).") from None
    except DBAPIError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
        raise CliError(
            f"Cannot reach the database at {shown(url)}: {reason}. Check DATABASE_URL and that the server is running."
        ) from None
    return engine


def check_slack(settings: Settings) -> None:
    """Ask Slack who the token belongs to (what Bolt does at start), and say plainly when that fails."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    quiet = logging.getLogger("inhouse.startup.slack")  # slack_sdk logs each failure itself; the one line says it
    quiet.setLevel(logging.CRITICAL)
    client = WebClient(
        token=token, base_url=settings.slack_api_url, timeout=SLACK_CHECK_TIMEOUT_S, retry_handlers=[], logger=quiet
    )
    try:
        client.auth_test()
    except SlackApiError as error:
        code = error.response.get("error") or f"HTTP {error.response.status_code}"
        raise CliError(
            f"Slack refused SLACK_BOT_TOKEN ({code}): copy the Bot User OAuth Token (xoxb-…) again from "
            "OAuth & Permissions, and reinstall the app if it was removed."
        ) from None
    except OSError as error:
        raise CliError(
            f"Cannot reach Slack's Web API at {settings.slack_api_url}: {error}. Check SLACK_API_URL and the network."
        ) from None
