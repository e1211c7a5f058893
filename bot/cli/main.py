"""``inhouse …``: builds Settings and Deps and hands them to the part that does the work."""

import argparse
import logging
import signal
import subprocess
import sys
from collections.abc import Sequence
from contextlib import nullcontext
from importlib.metadata import version
from pathlib import Path
from types import FrameType

from pydantic import ValidationError

from bot.cli import checkup, feedback, map, org, outbox, report, retro, sla
from bot.cli.startup import check_slack, connect
from bot.cli.support import CliError, build_deps, open_database
from bot.config import Settings, explain_missing
from bot.jobs.scheduler import build_scheduler, delivering
from bot.serving.supervisor import Supervised
from storage import migrate

log = logging.getLogger("inhouse")


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    migrate.upgrade(connect(settings.database_url))
    print("Database schema is current.")
    return 0


def cmd_scheduler(args: argparse.Namespace, settings: Settings) -> int:
    """The scheduler alone: for deployments whose web tier runs several workers or hosts."""
    if args.keep_alive:  # beside the web workers: a supervisor that starts it again when it dies
        Supervised([sys.executable, "-m", "bot", "scheduler"]).run()
        return 0
    missing = [name for name in settings.missing_for("http") if name == "SLACK_BOT_TOKEN"]
    if missing:
        raise CliError(explain_missing(missing))
    deps = build_deps(settings, open_database(settings))
    scheduler = build_scheduler(deps, blocking=True)

    def stop(_signum: int, _frame: FrameType | None) -> None:
        scheduler.shutdown(wait=True)

    signal.signal(signal.SIGTERM, stop)
    log.info("Scheduler running")
    with delivering(deps):
        scheduler.start()
    return 0


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    missing = settings.missing_for(args.mode)
    if missing:
        raise CliError(explain_missing(missing))
    engine = open_database(settings)
    if settings.inhouse_org is not None:
        org.apply_org_file(engine, settings, settings.inhouse_org)
    else:
        log.warning("INHOUSE_ORG is not set: running with the departments already in the database.")
    check_slack(settings)
    deps = build_deps(settings, engine)
    from bot.serving.app import create_app  # late: building the App calls Slack's auth.test

    app = create_app(deps)
    if args.mode == "socket":
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        scheduler = None if args.no_scheduler else build_scheduler(deps, blocking=False)
        assert settings.slack_app_token is not None
        with delivering(deps) if scheduler is not None else nullcontext():
            if scheduler is not None:
                scheduler.start()
            try:
                SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()  # type: ignore[no-untyped-call]
            finally:
                if scheduler is not None:
                    scheduler.shutdown(wait=True)
        return 0
    from bot.serving.gunicorn import serve
    from bot.serving.web import wsgi_app

    # One scheduler beside the web workers, in a process of its own (never one per worker), started again if it dies.
    keep_alive = [sys.executable, "-m", "bot", "scheduler", "--keep-alive"]
    scheduler_process = None if args.no_scheduler else subprocess.Popen(keep_alive)
    try:
        assert settings.slack_signing_secret is not None  # missing_for() said so otherwise
        secret = settings.slack_signing_secret.get_secret_value()
        application = wsgi_app(app, engine, signing_secret=secret, follow_ups=deps.after_ack)
        serve(application, engine, port=args.port, workers=args.workers, threads=args.threads)
    finally:
        if scheduler_process is not None:
            scheduler_process.terminate()
            scheduler_process.wait(timeout=60)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="inhouse", description="Inhouse: internal service requests in Slack.")
    parser.add_argument("--version", action="version", version=f"inhouse {version('inhouse')}")
    parser.add_argument("--org", type=Path, default=None, help="the org file (default: INHOUSE_ORG)")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error, and debug logs")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="connect to Slack and serve")
    run.add_argument("--mode", choices=["socket", "http"], default="socket")
    run.add_argument("--port", type=int, default=3000)
    run.add_argument("--workers", type=int, default=2, help="HTTP worker processes (default 2)")
    run.add_argument("--threads", type=int, default=8, help="threads per HTTP worker (default 8)")
    run.add_argument("--no-scheduler", action="store_true", help="do not run the scheduler with this process")
    run.set_defaults(handler=cmd_run)

    scheduler = commands.add_parser("scheduler", help="run the scheduled jobs alone (SLA sweep, alerts)")
    scheduler.add_argument("--keep-alive", action="store_true", help="start it again whenever it dies")
    scheduler.set_defaults(handler=cmd_scheduler)

    org.add_commands(commands)

    db = commands.add_parser("db", help="the database").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="migrate the database schema to the current version").set_defaults(
        handler=cmd_db_upgrade
    )
    sla.add_commands(commands)
    outbox.add_commands(commands)
    retro.add_commands(commands)
    checkup.add_commands(commands)
    feedback.add_commands(commands)
    report.add_commands(commands)
    map.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for noisy in ("alembic", "apscheduler"):  # a line per migration check and four a minute: nothing to act on
        logging.getLogger(noisy).setLevel(logging.DEBUG if args.debug else logging.WARNING)
    try:
        settings = Settings()
        if args.org is not None:
            settings = settings.model_copy(update={"inhouse_org": args.org})
        code: int = args.handler(args, settings)
    except CliError as error:
        if args.debug:
            log.exception("Stopped")
        print(error, file=sys.stderr)
        return 2
    except ValidationError as error:
        print(f"A setting is not valid: {_first_problem(error)}", file=sys.stderr)
        return 2
    except Exception as error:  # a bug, not the operator's mistake: still one line, the traceback on --debug
        if args.debug:
            raise
        print(
            f"inhouse stopped on an unexpected error ({type(error).__name__}); run it with --debug for details.",
            file=sys.stderr,
        )
        return 1
    return code


def _first_problem(error: ValidationError) -> str:
    problem = error.errors()[0]
    name = ".".join(str(part) for part in problem["loc"]).upper()
    return f"{name}: {problem['msg']}"
