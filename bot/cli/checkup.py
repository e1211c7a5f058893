"""``inhouse checkup …``: start or close the check-up now (operators, and tests travelling in time)."""

import argparse

from bot.checkups import outbound
from bot.checkups import service as checkups
from bot.checkups.tick import checkup_tick
from bot.cli.sla import instant
from bot.cli.support import CliError, checked_deps
from bot.clock import system_clock
from bot.config import Settings
from bot.errors import NotAllowed, NotFound
from bot.org.reading import CHECKUP_ID


def cmd_start(args: argparse.Namespace, settings: Settings) -> int:
    deps = checked_deps(settings)
    at = args.at or system_clock()
    try:
        with deps.session_scope() as session:
            started = checkups.start(session, args.checkup, at)
            owed = outbound.opened(session, [started], deps.clock())
    except checkups.AlreadyStarted as started_before:  # what was asked for is so: not an error
        print(started_before)
        return 0
    except (NotFound, NotAllowed) as refusal:
        raise CliError(str(refusal)) from refusal
    deps.outbox.drain()
    print(
        f"Check-up {args.checkup} started: {owed} people asked by DM (the scheduler sends them, one a second), "
        f"closing {started.closes_at:%Y-%m-%d %H:%M} UTC."
    )
    return 0


def cmd_close(args: argparse.Namespace, settings: Settings) -> int:
    deps = checked_deps(settings)
    at = args.at or system_clock()
    try:
        with deps.session_scope() as session:
            checkups.close_now(session, at)
    except NotFound as missing:
        raise CliError(str(missing)) from missing
    ticked = checkup_tick(deps, at)
    print(f"Check-up closed ({ticked.closed}): the answers are now shares per department; see `inhouse map`.")
    return 0


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    checkup = commands.add_parser("checkup", help="the check-up: who depends on whom").add_subparsers(
        dest="checkup_command", required=True
    )
    start = checkup.add_parser("start", help="start the check-up now (or --at), with its DMs")
    start.add_argument("checkup", nargs="?", default=CHECKUP_ID, help=f"the id of a [[checkups]] entry ({CHECKUP_ID})")
    start.add_argument("--at", type=instant, default=None, help="as of this ISO 8601 instant")
    start.set_defaults(handler=cmd_start)
    close = checkup.add_parser("close", help="close the open check-up now (or --at): keep the shares, forget who")
    close.add_argument("--at", type=instant, default=None, help="as of this ISO 8601 instant")
    close.set_defaults(handler=cmd_close)
