"""``inhouse outbox``: what is owed to Slack and not yet delivered, what died and why, and sending it again."""

import argparse
from datetime import datetime

from sqlalchemy import Engine

from bot.cli.support import CliError, build_deps, open_database
from bot.clock import system_clock
from bot.config import Settings, explain_missing
from storage import outbox
from storage.db import session_factory
from storage.models import Outbox


def _line(row: Outbox, now: datetime) -> str:
    due = "due now" if row.deliver_after <= now else f"due {row.deliver_after.isoformat(timespec='seconds')}"
    why = f"  {row.last_error}" if row.last_error else ""
    return f"{row.id:>8}  {row.status:<8} {row.kind:<20} to {row.recipient:<12} tries {row.attempts:<3} {due}{why}"


def cmd_outbox(args: argparse.Namespace, settings: Settings) -> int:
    engine = open_database(settings)
    now = system_clock()
    if args.retry is not None:
        return _retry(args.retry, settings, engine, now)
    with session_factory(engine, read_only=True)() as session:
        statuses = [outbox.DEAD] if args.dead else [outbox.PENDING, outbox.SENDING]
        rows = [row for status in statuses for row in outbox.by_status(session, status)]
        backlog = outbox.backlog(session, now)
    for row in rows:
        print(_line(row, now))
    print(
        f"{backlog.pending} pending ({backlog.due} due now, {backlog.overdue} overdue), {backlog.dead} dead."
        + (" Send the dead ones again with `inhouse outbox --retry all` (or an id)." if backlog.dead else "")
    )
    return 0


def _retry(which: str, settings: Settings, engine: Engine, now: datetime) -> int:
    if which != "all" and not which.isdigit():
        raise CliError(f"--retry takes a message id (see `inhouse outbox --dead`) or 'all', not {which!r}.")
    if settings.slack_bot_token is None:
        raise CliError(explain_missing(["SLACK_BOT_TOKEN"]))
    deps = build_deps(settings, engine)
    with deps.session_scope() as session:
        revived = outbox.retry_dead(session, now, None if which == "all" else int(which))
    if not revived:
        raise CliError(f"No dead message {'' if which == 'all' else which + ' '}to send again.")
    delivery = deps.outbox.drain()
    print(f"Sending {revived} again: {delivery.sent} sent, {delivery.retrying} to retry, {delivery.dead} dead.")
    return 0


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    command = commands.add_parser("outbox", help="messages owed to Slack: pending, dead, and sending them again")
    command.add_argument("--dead", action="store_true", help="list the messages that could not be delivered, and why")
    command.add_argument("--retry", metavar="ID|all", default=None, help="send a dead message (or all) again now")
    command.set_defaults(handler=cmd_outbox)
