"""``/inhouse SUBCOMMAND ...``: each subcommand is a function in ``SUBCOMMANDS``; no words is ``help``.

Answers go to the person alone, through the command's response_url.
"""

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.deps import Deps
from bot.help import help_message, unknown
from bot.ids import Action
from bot.relationships import outbound as relationships
from bot.reports import asking
from bot.slack import payloads
from bot.slack.message import Message
from bot.slack.payloads import Malformed
from handlers.refusals import REFUSALS, private

log = logging.getLogger(__name__)

UNREADABLE_COMMAND = "Inhouse could not read that command. Try again; if it keeps happening, tell your Inhouse admin."

# A subcommand gets the command's payload, the words after its name, ``respond`` and ``deps``.
Subcommand = Callable[[dict[str, Any], list[str], Respond, Deps], None]


def handle_inhouse_command(ack: Ack, command: dict[str, Any], respond: Respond, deps: Deps) -> None:
    ack()
    text = command.get("text")
    name, *words = (text.split() if isinstance(text, str) else []) or ["help"]
    subcommand = SUBCOMMANDS.get(name.lower())
    if subcommand is None:
        answer(respond, unknown(name, SUBCOMMANDS))
        return
    subcommand(command, words, respond, deps)


def answer(respond: Respond, message: Message) -> None:
    private(respond)(**message.as_kwargs(), response_type="ephemeral", replace_original=False)


def show_help(_command: dict[str, Any], _words: list[str], respond: Respond, deps: Deps) -> None:
    with deps.read_scope() as session:
        message = help_message(session)
    answer(respond, message)


def show_report(command: dict[str, Any], words: list[str], respond: Respond, deps: Deps) -> None:
    """``/inhouse report [department] [7d|30d|90d|quarter]``: owed to the person's DM; the answer says so."""
    user, trigger = command.get("user_id"), command.get("trigger_id")
    if not payloads.is_user_id(user) or not isinstance(trigger, str) or not trigger:
        answer(respond, Message(text=UNREADABLE_COMMAND))
        return
    try:
        wanted = asking.parse(words)
        with deps.session_scope() as session:
            name = asking.ask(session, user, wanted, deps.clock(), key=f"command:{trigger}")
    except REFUSALS as refusal:
        answer(respond, Message(text=str(refusal)))
        return
    answer(respond, Message(text=asking.on_its_way(name)))
    deps.outbox.wake()


def show_map(command: dict[str, Any], words: list[str], respond: Respond, deps: Deps) -> None:
    """``/inhouse map [7d|30d|90d|180d|365d]``: the picture and what concerns your department, owed to your DM."""
    user, trigger = command.get("user_id"), command.get("trigger_id")
    if not payloads.is_user_id(user) or not isinstance(trigger, str) or not trigger:
        answer(respond, Message(text=UNREADABLE_COMMAND))
        return
    try:
        days = relationships.days_of(words)
    except REFUSALS as refusal:
        answer(respond, Message(text=str(refusal)))
        return
    with deps.session_scope() as session:
        relationships.ask(session, user, days, deps.clock(), key=f"command:{trigger}")
    answer(respond, Message(text=relationships.ON_ITS_WAY))
    deps.outbox.wake()


def handle_full_report(ack: Ack, body: dict[str, Any], deps: Deps) -> None:
    """App Home's *Full report* button: the department's report of the last 30 days, in the manager's DM."""
    ack()
    click = payloads.click(body)
    if isinstance(click, Malformed) or not click.value or not click.trigger_id:
        log.info("Ignored a Full report click that could not be read")
        return
    now = deps.clock()
    with deps.session_scope() as session:
        asking.ask_from_home(session, click.user, click.value, now, key=f"home:{click.trigger_id}")
    deps.outbox.wake()


# The dispatch point: a subcommand by its name (the first word, any case); a new one is a function and a line here.
SUBCOMMANDS: dict[str, Subcommand] = {
    "help": show_help,
    "report": show_report,
    "map": show_map,
}


def register(app: App) -> None:
    app.command("/inhouse")(handle_inhouse_command)
    app.action(Action.FULL_REPORT)(handle_full_report)
