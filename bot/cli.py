"""``inhouse …``: builds Settings and Deps and hands them to the part that does the work."""

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine

from bot.clock import system_clock
from bot.config import Settings, explain_missing
from bot.deps import Deps, slack_client
from bot.orgfile import OrgConfig, OrgFileError, load_org
from bot.services.org_sync import apply_org
from storage import migrate
from storage.db import is_sqlite, make_engine, session_factory

log = logging.getLogger("inhouse")


class CliError(Exception):
    """Something the operator must fix; the message says what."""


def open_database(settings: Settings) -> Engine:
    """The engine, with the schema current: SQLite is upgraded in place, PostgreSQL must be upgraded explicitly."""
    engine = make_engine(settings.database_url)
    if is_sqlite(engine):
        migrate.upgrade(engine)
    elif not migrate.is_current(engine):
        raise CliError("The database schema is not current: run `inhouse db upgrade` first.")
    return engine


def _load(path: Path) -> OrgConfig:
    try:
        return load_org(path)
    except OrgFileError as error:
        raise CliError(str(error)) from error


def _apply(engine: Engine, org: OrgConfig, source: Path) -> None:
    with session_factory(engine)() as session:
        applied = apply_org(session, org)
    retired = f"; deactivated: {', '.join(applied.deactivated)}" if applied.deactivated else ""
    log.info(
        "Applied %s: %d departments, %d agreements, %d calendars%s",
        source,
        applied.departments,
        applied.agreements,
        applied.calendars,
        retired,
    )


def cmd_org_check(args: argparse.Namespace, settings: Settings) -> int:
    org = _load(args.file)
    print(
        f"{args.file}: OK ({len(org.departments)} departments, {len(org.agreements)} agreements, "
        f"{len(org.calendars)} calendars, {len(org.retros)} retros)"
    )
    return 0


def cmd_org_apply(args: argparse.Namespace, settings: Settings) -> int:
    org = _load(args.file)
    _apply(open_database(settings), org, args.file)
    return 0


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    migrate.upgrade(make_engine(settings.database_url))
    print("Database schema is current.")
    return 0


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    missing = settings.missing_for(args.mode)
    if missing:
        raise CliError(explain_missing(missing))
    engine = open_database(settings)
    if settings.inhouse_org is not None:
        _apply(engine, _load(settings.inhouse_org), settings.inhouse_org)
    else:
        log.warning("INHOUSE_ORG is not set: running with the departments already in the database.")
    deps = Deps(
        settings=settings,
        session_scope=session_factory(engine),
        clock=system_clock,
        slack=slack_client(settings),
    )
    from bot.app import create_app  # late: building the App calls Slack's auth.test

    app = create_app(deps)
    if args.mode == "socket":
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        assert settings.slack_app_token is not None
        SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()  # type: ignore[no-untyped-call]
    else:
        from bot.server import serve
        from bot.web import wsgi_app

        serve(wsgi_app(app, engine), engine, port=args.port, workers=args.workers, threads=args.threads)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="inhouse", description="Inhouse: internal service requests in Slack.")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="connect to Slack and serve")
    run.add_argument("--mode", choices=["socket", "http"], default="socket")
    run.add_argument("--port", type=int, default=3000)
    run.add_argument("--workers", type=int, default=2, help="HTTP worker processes (default 2)")
    run.add_argument("--threads", type=int, default=8, help="threads per HTTP worker (default 8)")
    run.add_argument("--no-scheduler", action="store_true", help="do not run scheduled jobs in this process")
    run.set_defaults(handler=cmd_run)

    org = commands.add_parser("org", help="the org file").add_subparsers(dest="org_command", required=True)
    check = org.add_parser("check", help="validate an org file and list every problem")
    check.add_argument("file", type=Path)
    check.set_defaults(handler=cmd_org_check)
    apply = org.add_parser("apply", help="apply an org file to the database, all or nothing")
    apply.add_argument("file", type=Path)
    apply.set_defaults(handler=cmd_org_apply)

    db = commands.add_parser("db", help="the database").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="migrate the database schema to the current version").set_defaults(
        handler=cmd_db_upgrade
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        code: int = args.handler(args, Settings())
    except CliError as error:
        print(error, file=sys.stderr)
        return 2
    return code
