"""``inhouse sla …``: the operator's view of the agreements' clock and alerts."""

import argparse
from datetime import datetime

from sqlmodel import Session

from bot.cli.support import CliError, build_deps, existing_database, load_org_file, open_database
from bot.clock import system_clock
from bot.config import Settings, explain_missing
from bot.domain.durations import parse_duration
from bot.domain.sla import BeyondHorizon, due_at
from bot.jobs import scheduled as jobs
from bot.org.apply import business_calendar
from bot.sla import sweep as sla_sweep
from bot.sla.sweep import CARD, DM, THREAD
from storage import outbox
from storage.models import Outbox


def instant(text: str) -> datetime:
    """An ISO 8601 instant with its offset (``Z`` allowed); naive times are refused, not guessed."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 instant, e.g. 2026-11-23T09:00:00+01:00"
        ) from error
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} has no UTC offset: add one, e.g. {text}+01:00 or {text}Z")
    return moment


def cmd_due(args: argparse.Namespace, settings: Settings) -> int:
    if settings.inhouse_org is None:
        raise CliError("Set INHOUSE_ORG to the org file: the calendars are defined there.")
    org = load_org_file(settings.inhouse_org)
    spec = org.calendars.get(args.calendar)
    if spec is None:
        known = ", ".join(sorted(org.calendars)) or "none"
        raise CliError(f"No calendar {args.calendar!r} in {settings.inhouse_org} (calendars: {known}).")
    try:
        duration = parse_duration(args.duration)
    except ValueError as error:
        raise CliError(str(error)) from error
    calendar = business_calendar(spec)
    try:
        due = due_at(calendar, args.start, duration)
    except (BeyondHorizon, OverflowError) as error:
        raise CliError(f"{args.duration} from {args.start.isoformat()} is too far ahead: {error}") from error
    print(due.astimezone(calendar.zone).isoformat())
    return 0


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    now = args.at or system_clock()
    if args.dry_run:
        return _dry_run(settings, now)
    engine = open_database(settings)
    missing = [name for name in settings.missing_for("http") if name == "SLACK_BOT_TOKEN"]
    if missing:
        raise CliError(explain_missing(missing))
    report = jobs.sla_tick(build_deps(settings, engine), now)
    delivery = report.delivery
    print(
        f"{report.milestones} milestones reached; {delivery.sent} sent, {delivery.retrying} retrying, "
        f"{delivery.dead} dead"
    )
    return 0


_LEVEL = {"warning": "is close to its {metric} target", "breach": "missed its {metric} target",
          "reminder": "is still unresolved a working day after its {metric} target"}  # fmt: skip
_SENT_AS = {
    DM: "DM {recipient}",
    THREAD: "note in the card's thread in {recipient}",
    CARD: "mark the card in {recipient} overdue",
}


def _dry_run(settings: Settings, now: datetime) -> int:
    """What one sweep would owe Slack, one readable line each, in a transaction that is rolled back.

    It neither creates nor migrates a database: a dry run only looks.
    """
    engine = existing_database(settings)
    with Session(engine) as session:
        before = outbox.last_id(session)
        sla_sweep.sweep(session, now)
        session.flush()
        owed = [row for row in outbox.by_status(session, outbox.PENDING) if row.id is not None and row.id > before]
        lines = [_would(row, now) for row in sorted(owed, key=lambda row: row.key)]
        session.rollback()
    print("\n".join(lines) or f"Nothing is due as of {now.isoformat()}: no SLA alert would be sent.")
    return 0


def _would(row: Outbox, now: datetime) -> str:
    when = "now" if row.deliver_after <= now else f"at {row.deliver_after.isoformat()} (working hours)"
    what = _LEVEL[row.payload["level"]].format(metric=row.payload["metric"].replace("_", " "))
    return f"would {_SENT_AS[row.kind].format(recipient=row.recipient)} {when}: #{row.payload['number']} {what}"


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    sla = commands.add_parser("sla", help="the agreements' clock and alerts").add_subparsers(
        dest="sla_command", required=True
    )
    due = sla.add_parser("due", help="when is something started at START with DURATION due on CALENDAR?")
    due.add_argument("calendar", help="a calendar id from the org file (INHOUSE_ORG)")
    due.add_argument("start", type=instant, help="an ISO 8601 instant with offset")
    due.add_argument("duration", help="30m, 4h, 2d …")
    due.set_defaults(handler=cmd_due)
    check = sla.add_parser("check", help="run one SLA sweep now (or --at) and deliver what it owes")
    check.add_argument("--at", type=instant, default=None, help="sweep as of this ISO 8601 instant")
    check.add_argument("--dry-run", action="store_true", help="list what would be sent; change nothing")
    check.set_defaults(handler=cmd_check)
