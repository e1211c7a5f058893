"""``inhouse map``: who serves whom (declared in the last check-up, observed in requests) and what to act on."""

import argparse
import sys
from pathlib import Path

from bot.cli.sla import instant
from bot.cli.support import CliError, existing_database
from bot.clock import system_clock
from bot.config import Settings
from bot.relationships import export
from bot.relationships.service import DEFAULT_DAYS, build_map
from storage.db import session_factory

FORMATS = ("text", "json", "dot", "png")


def cmd_map(args: argparse.Namespace, settings: Settings) -> int:
    if args.days < 1:
        raise CliError(f"--days {args.days}: give a number of days, 1 or more.")
    if args.format == "png" and args.output is None and sys.stdout.isatty():
        raise CliError("--format png writes a picture: give --output FILE, or redirect it to a file.")
    with session_factory(existing_database(settings), read_only=True)() as session:
        relationships = build_map(session, args.at or system_clock(), args.days)
    if args.format == "png":
        from bot.relationships.chart import map_chart  # late: matplotlib takes a second to import

        content = map_chart(relationships)
    else:
        rendered = {"text": export.as_text, "json": export.as_json, "dot": export.as_dot}[args.format](relationships)
        content = rendered.encode()
    if args.output is None:
        sys.stdout.buffer.write(content)
        return 0
    try:
        args.output.write_bytes(content)
    except OSError as error:
        raise CliError(f"Could not write the map to {args.output}: {error.strerror or error}.") from error
    return 0


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    command = commands.add_parser(
        "map",
        help="who serves whom: declared in the last check-up, observed in requests; and what to act on",
        description="A directed graph provider -> customer, and its findings: no_agreement (with targets to paste), "
        "undeclared, no_traffic, one_sided, strained.",
    )
    command.add_argument("--format", choices=FORMATS, default="text")
    command.add_argument("--days", type=int, default=DEFAULT_DAYS, help=f"requests of the last N days ({DEFAULT_DAYS})")
    command.add_argument("--at", type=instant, default=None, help="as of this ISO 8601 instant (default: now)")
    command.add_argument("--output", type=Path, metavar="FILE", help="write it there instead of to standard output")
    command.set_defaults(handler=cmd_map)
