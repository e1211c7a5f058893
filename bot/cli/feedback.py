"""``inhouse feedback …``: the weekly digest, on demand; re-encrypting the way back to anonymous authors."""

import argparse
from datetime import UTC, datetime

from bot.cli.sla import instant
from bot.cli.support import CliError, build_deps, open_database
from bot.clock import system_clock
from bot.config import MAKE_A_SECRET_KEY, Settings, explain_missing
from bot.feedback import service as feedback_service
from bot.feedback.digest_outbound import DigestRun, send_feedback_digests
from bot.feedback.keyring import keyring
from bot.slack.text import day
from storage.db import session_factory


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def cmd_digest(args: argparse.Namespace, settings: Settings) -> int:
    if settings.slack_bot_token is None:
        raise CliError(explain_missing(["SLACK_BOT_TOKEN"]))
    deps = build_deps(settings, open_database(settings))
    resend = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ") if args.force else None
    run = send_feedback_digests(deps, args.at or system_clock(), resend=resend)
    print(f"Sent {_plural(run.sent, 'feedback digest')}.")
    for line in _more(run):
        print(line)
    return 0


def cmd_rotate_key(_args: argparse.Namespace, settings: Settings) -> int:
    keys = keyring(settings)
    if not keys.available:
        raise CliError(
            "INHOUSE_SECRET_KEY is not set: there is no key to re-encrypt with. Put the new key first and the old "
            f"one after it, comma-separated (make a key with: {MAKE_A_SECRET_KEY})."
        )
    with session_factory(open_database(settings))() as session:
        rotated, unopened = feedback_service.rotate_links(session, keys)
    print(f"Re-encrypted {_plural(rotated, 'reply link')} of anonymous feedback with the first key.")
    if unopened:
        print(
            f"{_plural(unopened, 'link')} could not be opened by any key of INHOUSE_SECRET_KEY and stayed as "
            "they were: their feedback cannot be replied to unless the key they were made with is added back."
        )
    elif rotated:
        print("Once every process runs with the new key first, the old keys can be dropped from INHOUSE_SECRET_KEY.")
    return 0


def _more(run: DigestRun) -> list[str]:
    lines = []
    if run.waiting:
        lines.append(f"{_plural(run.waiting, 'digest')} could not be sent yet: the scheduler's sender retries them.")
    if run.dead:
        lines.append(f"{_plural(run.dead, 'digest')} could not be delivered: `inhouse outbox --dead` says why.")
    if run.already:
        week = f"{day(run.first_day)} to {day(run.last_day)}"
        lines.append(
            f"The digests of the week {week} already went: {len(run.new)} new, {run.already} already owed "
            "(sent or on their way). Add --force to send them again."
        )
    return lines


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    feedback = commands.add_parser("feedback", help="feedback between departments").add_subparsers(
        dest="feedback_command", required=True
    )
    digest = feedback.add_parser(
        "digest",
        help="send each department's managers the digest of the week before (once per week, unless --force)",
    )
    digest.add_argument("--at", type=instant, default=None, help="as of this ISO 8601 instant (default: now)")
    digest.add_argument("--force", action="store_true", help="send the week's digests again, even if they went")
    digest.set_defaults(handler=cmd_digest)
    rotate = feedback.add_parser(
        "rotate-key",
        help="re-encrypt the way back to every anonymous feedback's author with the first key of INHOUSE_SECRET_KEY",
    )
    rotate.set_defaults(handler=cmd_rotate_key)
