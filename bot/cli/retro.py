"""``inhouse retro …``: start or close a retrospective now (operators, and tests travelling in time)."""

import argparse

from bot.cli.sla import instant
from bot.cli.support import CliError, checked_deps
from bot.clock import system_clock
from bot.config import Settings
from bot.errors import NotAllowed, NotFound
from bot.retros import outbound
from bot.retros import service as retros
from bot.retros.tick import retro_tick

OWED = " (Slack did not take it yet: the scheduler will send it)"


def cmd_start(args: argparse.Namespace, settings: Settings) -> int:
    deps = checked_deps(settings)
    at = args.at or system_clock()
    try:
        with deps.session_scope() as session:
            retro_id = retros.start(session, args.retro, at)
            outbound.opened(session, [retro_id], deps.clock())
    except retros.AlreadyStarted as started:  # what was asked for is so: not an error
        print(started)
        return 0
    except (NotFound, NotAllowed) as refusal:
        raise CliError(str(refusal)) from refusal
    deps.outbox.drain()
    with deps.read_scope() as session:
        posted = outbound.prompt_posted(session, retro_id)
    print(f"Retro {args.retro} started; {int(posted)} prompt posted{'' if posted else OWED}.")
    return 0


def cmd_close(args: argparse.Namespace, settings: Settings) -> int:
    deps = checked_deps(settings)
    at = args.at or system_clock()
    try:
        with deps.session_scope() as session:
            retro_id = retros.close_now(session, args.retro, at)
    except NotFound as missing:
        raise CliError(str(missing)) from missing
    retro_tick(deps, at)
    with deps.read_scope() as session:
        posted = outbound.summary_posted(session, retro_id)
    print(f"Retro {args.retro} closed; {int(posted)} summary posted{'' if posted else OWED}.")
    return 0


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    retro = commands.add_parser("retro", help="retrospectives").add_subparsers(dest="retro_command", required=True)
    for name, handler, help_text in (
        ("start", cmd_start, "start RETRO's retrospective now (or --at), with its prompt"),
        ("close", cmd_close, "close RETRO's open retrospective now (or --at) and post its summary"),
    ):
        command = retro.add_parser(name, help=help_text)
        command.add_argument("retro", help="the id of a [[retros]] entry: a department id, or a pair as it-sales")
        command.add_argument("--at", type=instant, default=None, help="as of this ISO 8601 instant")
        command.set_defaults(handler=handler)
