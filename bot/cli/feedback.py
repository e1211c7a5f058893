"""``inhouse feedback …``: the weekly digest, on demand."""

import argparse

from bot.cli.sla import instant
from bot.cli.support import CliError, build_deps, open_database
from bot.clock import system_clock
from bot.config import Settings, explain_missing
from bot.feedback.digest_outbound import send_feedback_digests


def cmd_digest(args: argparse.Namespace, settings: Settings) -> int:
    if settings.slack_bot_token is None:
        raise CliError(explain_missing(["SLACK_BOT_TOKEN"]))
    deps = build_deps(settings, open_database(settings))
    sent = send_feedback_digests(deps, args.at or system_clock())
    print(f"Sent {sent} feedback digest{'' if sent == 1 else 's'}.")
    return 0


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    feedback = commands.add_parser("feedback", help="feedback between departments").add_subparsers(
        dest="feedback_command", required=True
    )
    digest = feedback.add_parser("digest", help="send each department's managers the digest of the week before")
    digest.add_argument("--at", type=instant, default=None, help="as of this ISO 8601 instant (default: now)")
    digest.set_defaults(handler=cmd_digest)
