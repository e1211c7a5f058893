"""What the ``inhouse`` commands share: the database, the org file, Deps, and the operator's errors."""

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from bot.cli.startup import CliError, connect
from bot.clock import Clock, system_clock
from bot.config import Settings, explain_missing
from bot.deps import Deps
from bot.follow_ups import FollowUps
from bot.org.model import OrgConfig, OrgFileError, load_org_text
from bot.outbox_kinds import all_kinds
from bot.slack.client import sender_client, slack_client
from bot.slack.sender import CALL_TIMEOUT_S, Sender
from storage import migrate
from storage.db import is_sqlite, session_factory

__all__ = [
    "CliError",
    "build_deps",
    "checked_deps",
    "existing_database",
    "load_org_file",
    "load_org_text_file",
    "open_database",
]

log = logging.getLogger("inhouse")


# Few, but enough for Slack's 100 ms answers: the work after an ack waits for the acks anyway (bot.follow_ups).
AFTER_ACK_THREADS = 4
MODAL_THREADS = 8  # opening modals, apart: a person is waiting, and the trigger expires


def open_database(settings: Settings) -> Engine:
    """The engine, schema current: SQLite is upgraded in place, PostgreSQL must be upgraded explicitly."""
    engine = connect(settings.database_url)
    if is_sqlite(engine):
        migrate.upgrade(engine)
    elif not migrate.is_current(engine):
        raise CliError("The database schema is not current: run `inhouse db upgrade` first.")
    return engine


def existing_database(settings: Settings) -> Engine:
    """The database as it is, for commands that only look: never created, never migrated."""
    database = make_url(settings.database_url).database if settings.database_url.startswith("sqlite") else None
    if database and database != ":memory:" and not Path(database).exists():
        raise CliError(f"There is no database at {Path(database).resolve()} yet: nothing to look at.")
    engine = connect(settings.database_url)
    if not migrate.is_current(engine):
        raise CliError("The database schema is not current: run `inhouse db upgrade` first.")
    return engine


def load_org_file(path: Path) -> OrgConfig:
    return load_org_text_file(path)[0]


def load_org_text_file(path: Path) -> tuple[OrgConfig, str]:
    """The org file read and checked offline, and its text (for the lines of what the online checks find)."""
    if not path.exists():
        raise CliError(
            f"{path}: there is no such org file (looked for {path.resolve()}; a relative path counts from the "
            "current directory). Give its path with --org FILE or INHOUSE_ORG."
        )
    try:
        text = path.read_text(encoding="utf-8")
        return load_org_text(text, str(path)), text
    except (OSError, UnicodeDecodeError) as error:
        raise CliError(f"{path}: cannot read the org file: {error}") from error
    except OrgFileError as error:
        raise CliError(str(error)) from error


def build_deps(
    settings: Settings, engine: Engine, *, clock: Clock = system_clock, after_ack: FollowUps | None = None
) -> Deps:
    """Everything wired once; a web worker's sender drains in the background behind its acks (``after_ack``)."""
    after_ack = after_ack or FollowUps(
        ThreadPoolExecutor(AFTER_ACK_THREADS, thread_name_prefix="after-ack"),
        ThreadPoolExecutor(MODAL_THREADS, thread_name_prefix="modals"),
    )
    session_scope, read_scope = session_factory(engine), session_factory(engine, read_only=True)
    sender = Sender(
        session_scope,
        sender_client(settings, timeout=CALL_TIMEOUT_S),
        clock,
        all_kinds(settings),
        read_scope=read_scope,
        dispatch=after_ack.submit,
        drains=AFTER_ACK_THREADS,
    )
    return Deps(
        settings=settings,
        session_scope=session_scope,
        read_scope=read_scope,
        clock=clock,
        slack=slack_client(settings),
        after_ack=after_ack,
        outbox=sender,
    )


def checked_deps(settings: Settings) -> Deps:
    """Deps for a command that talks to Slack (the bot token) on a current database."""
    missing = [name for name in settings.missing_for("http") if name == "SLACK_BOT_TOKEN"]
    if missing:
        raise CliError(explain_missing(missing))
    return build_deps(settings, open_database(settings))
