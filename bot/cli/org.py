"""``inhouse org check|apply|sync``: the org file, its names looked up in Slack, and the user groups kept current.

``check`` reads the file offline (syntax and what it refers to); ``check --online`` and ``apply`` also look every
email, @group and #channel up in the Web API, each one that does not resolve a ``FILE:LINE: KEY: message``, and
``apply`` applies nothing unless all do. Warnings (allowed, probably a mistake) are printed and do not fail.
"""

import argparse
import logging
import sys
from pathlib import Path

from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from bot.cli.support import CliError, load_org_text_file, open_database
from bot.clock import system_clock
from bot.config import Settings
from bot.org.apply import apply_resolved
from bot.org.locator import locate
from bot.org.model import OrgConfig, OrgFileError
from bot.org.people import OpenRequestsLeft
from bot.org.resolve import Lookups, Offline, Resolved, names_in, resolve
from bot.org.sync import sync_groups
from bot.org.warnings import org_warnings
from bot.slack.client import directory_client
from bot.slack.directory import LookupFailed, SlackDirectory
from storage.db import session_factory

log = logging.getLogger("inhouse")

NO_TOKEN = "names are looked up in Slack: set SLACK_BOT_TOKEN (or write ids)"


def org_path(args: argparse.Namespace, settings: Settings) -> Path:
    """FILE, else --org, else INHOUSE_ORG."""
    path = args.file or settings.inhouse_org
    if path is None:
        raise CliError("Name the org file: `inhouse org check FILE`, --org FILE, or INHOUSE_ORG.")
    return Path(path)


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    path = org_path(args, settings)
    org, text = load_org_text_file(path)
    if args.online:
        org = resolve_names(settings, org, text, path).org
    for warning in org_warnings(org, text, str(path)):
        print(warning)
    print(
        f"{path}: OK ({len(org.departments)} departments, {len(org.agreements)} agreements, "
        f"{len(org.calendars)} calendars, {len(org.retros)} retros, {len(org.services)} services)"
    )
    return 0


def cmd_apply(args: argparse.Namespace, settings: Settings) -> int:
    path = org_path(args, settings)
    # The file and its names first: a broken file must not create or migrate a database.
    org, text = load_org_text_file(path)
    resolved = resolve_names(settings, org, text, path)
    for warning in org_warnings(resolved.org, text, str(path)):
        print(warning)
    apply_resolved_file(open_database(settings), resolved, path, transfer_open_to=args.transfer_open_to)
    return 0


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    if settings.slack_bot_token is None:
        raise CliError("inhouse org sync looks the user groups up in Slack: set SLACK_BOT_TOKEN.")
    engine = open_database(settings)
    try:
        synced = sync_groups(session_factory(engine), SlackDirectory(directory_client(settings)), system_clock())
    except (LookupFailed, SlackApiError, OSError) as failure:
        raise CliError(f"Could not look the user groups up in Slack: {failure}") from failure
    for line in synced.changes:
        print(line)
    print(f"{synced.groups} user groups looked up; {len(synced.changes) or 'no'} changes.")
    return 0


def apply_org_file(engine: Engine, settings: Settings, path: Path) -> None:
    """At start (``inhouse run``): INHOUSE_ORG, its names looked up, warnings in the log."""
    org, text = load_org_text_file(path)
    resolved = resolve_names(settings, org, text, path)
    for warning in org_warnings(resolved.org, text, str(path)):
        log.warning("%s", warning)
    apply_resolved_file(engine, resolved, path)


def resolve_names(settings: Settings, org: OrgConfig, text: str, path: Path) -> Resolved:
    """``org`` with every name looked up in Slack (none is, if it names everyone by id); CliError listing each one
    that does not resolve."""
    names = names_in(org)
    lookups: Lookups = Offline(NO_TOKEN)
    if names and settings.slack_bot_token is not None:
        directory = SlackDirectory(directory_client(settings), progress=_progress_line if sys.stderr.isatty() else None)
        directory.expect(sum(1 for name in names if "@" in name and not name.startswith("@")))
        lookups = directory
    try:
        return resolve(org, lookups, str(path), locate(text))
    except OrgFileError as error:
        raise CliError(str(error)) from error
    except OSError as error:
        raise CliError(f"Cannot reach Slack's Web API at {settings.slack_api_url} to look names up: {error}") from error
    finally:
        if names and sys.stderr.isatty():
            print(file=sys.stderr)


def apply_resolved_file(
    engine: Engine, resolved: Resolved, source: Path, *, transfer_open_to: str | None = None
) -> None:
    try:
        with session_factory(engine)() as session:
            applied = apply_resolved(session, resolved, system_clock(), transfer_open_to=transfer_open_to)
    except (OpenRequestsLeft, ValueError) as refused:
        raise CliError(str(refused)) from refused
    retired = f"; deactivated: {', '.join(applied.deactivated)}" if applied.deactivated else ""
    moved = f"; {applied.moved} open requests moved to {transfer_open_to}" if applied.moved else ""
    log.info(
        "Applied %s: %d departments, %d agreements, %d calendars%s%s",
        source,
        applied.departments,
        applied.agreements,
        applied.calendars,
        retired,
        moved,
    )


def _progress_line(done: int, total: int) -> None:
    print(f"\rLooking people up in Slack: {done}/{total}", end="", file=sys.stderr, flush=True)


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    org = commands.add_parser("org", help="the org file").add_subparsers(dest="org_command", required=True)
    check = org.add_parser("check", help="validate an org file and list every problem")
    check.add_argument("file", type=Path, nargs="?", help="default: --org or INHOUSE_ORG")
    check.add_argument("--online", action="store_true", help="also look every email, @group and #channel up in Slack")
    check.set_defaults(handler=cmd_check)
    apply = org.add_parser("apply", help="apply an org file to the database, all or nothing")
    apply.add_argument("file", type=Path, nargs="?", help="default: --org or INHOUSE_ORG")
    apply.add_argument(
        "--transfer-open-to",
        metavar="DEPT",
        help="a department that leaves the file hands its open requests to DEPT (else apply refuses)",
    )
    apply.set_defaults(handler=cmd_apply)
    sync = org.add_parser("sync", help="look the user groups up again and apply who joined and left them")
    sync.set_defaults(handler=cmd_sync)
