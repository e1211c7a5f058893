"""``inhouse report``: the figures of every provider x customer pair over a period, as text, CSV or JSON."""

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

from bot.cli.support import CliError, existing_database
from bot.clock import system_clock
from bot.config import Settings
from bot.reports import export, service, text
from bot.reports.figures import UNKNOWN_CUSTOMER, Report
from storage import org_snapshot
from storage.db import session_factory

FORMATS = {"text": text.as_text, "csv": export.as_csv, "json": export.as_json}


def day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-11-30") from error


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    now = system_clock()
    with session_factory(existing_database(settings), read_only=True)() as session:
        known = org_snapshot.current(session).departments
        for flag, department in (("--department", args.department), ("--customer", args.customer)):
            if department is not None and department not in known and department != UNKNOWN_CUSTOMER:
                names = ", ".join(sorted(known)) or "none: apply the org file first"
                raise CliError(f"{flag} {department}: there is no such department (departments: {names}).")
        zone = service.org_zone(session)
        today = now.astimezone(zone).date()
        last = args.to or today
        first = args.since or last - timedelta(days=service.DEFAULT_DAYS - 1)
        if first > last:
            raise CliError(f"--from {first} is after --to {last}: nothing to report.")
        period = service.dates(zone, first, last, now=now)
        report = service.build(session, period, now, provider=args.department, customer=args.customer)
    if args.chart is not None:
        _write_chart(args.chart, report)
    output = FORMATS[args.format](report)
    sys.stdout.write(output if output.endswith("\n") else output + "\n")
    return 0


def _write_chart(path: Path, report: Report) -> None:
    from bot.reports.charts import report_chart  # late: matplotlib takes a second to import

    try:
        path.write_bytes(report_chart(report))
    except OSError as error:
        raise CliError(f"Could not write the chart to {path}: {error.strerror or error}.") from error


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    command = commands.add_parser(
        "report",
        help="how each department served each other one over a period (default: the last 30 days)",
        description="One row per provider x customer pair: requests, targets met, times, transfers, ratings.",
    )
    command.add_argument("--department", metavar="D", help="one provider department (default: all)")
    command.add_argument("--customer", metavar="C", help=f"one customer department, or {UNKNOWN_CUSTOMER}")
    command.add_argument("--from", dest="since", type=day, metavar="DATE", help="first day (default: 30 days ago)")
    command.add_argument("--to", type=day, metavar="DATE", help="last day, included (default: today)")
    command.add_argument("--format", choices=sorted(FORMATS), default="text")
    command.add_argument("--chart", type=Path, metavar="PATH", help="also write the chart as a PNG there")
    command.set_defaults(handler=cmd_report)
