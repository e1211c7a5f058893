"""``/inhouse SUBCOMMAND ...``: each subcommand is a function in ``SUBCOMMANDS``; no words is ``help``.

Answers go to the person alone, through the command's response_url.
"""

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.deps import Deps
from bot.help import help_message, unknown
from bot.slack.message import Message
from handlers.refusals import private

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


# The dispatch point: a subcommand by its name (the first word, any case); a new one is a function and a line here.
SUBCOMMANDS: dict[str, Subcommand] = {
    "help": show_help,
}


def register(app: App) -> None:
    app.command("/inhouse")(handle_inhouse_command)
