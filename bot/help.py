"""What ``/inhouse help`` says: what Inhouse does, its commands, and whom to ask."""

from collections.abc import Iterable, Sequence

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock
from sqlmodel import Session

from bot.slack.message import Message
from bot.slack.text import escaped, user
from storage import directory

WHAT = (
    "*Inhouse* runs the service between departments: ask another department for something, follow it against "
    "the response and resolution times its agreement promises, and tell each other how the service was."
)
COMMANDS = (
    "• `/request [department] [what you need]`: ask another department for something; you follow it in your DMs\n"
    "• `/feedback [department or #request]`: tell a department how its service was, signed or anonymously\n"
    "• `/inhouse report [department] [7d|30d|90d|quarter]`: how a department serves and is served\n"
    "• `/inhouse map [7d|30d|90d|180d|365d]`: who serves whom, and what to act on between your department and others\n"
    "• `/inhouse help`: this message\n"
    "Your open requests, and your department's queue, are on Inhouse's *Home* tab."
)


def help_message(session: Session) -> Message:
    return about(directory.admins(session))


def about(admins: Sequence[str]) -> Message:
    """The help, naming the org file's admins to ask (else "your Inhouse admin")."""
    ask = ", ".join(user(admin) for admin in admins) if admins else "your Inhouse admin"
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=WHAT)),
        SectionBlock(text=MarkdownTextObject(text=f"*Commands*\n{COMMANDS}")),
        ContextBlock(elements=[MarkdownTextObject(text=f"Questions, or a department missing? Ask {ask}.")]),
    ]
    return Message(text="Inhouse: /request, /feedback, /inhouse report, /inhouse map, /inhouse help", blocks=blocks)


def unknown(word: str, known: Iterable[str]) -> Message:
    """The answer to ``/inhouse WORD`` when there is no such subcommand: what there is."""
    there_is = ", ".join(f"`/inhouse {name}`" for name in known)
    return Message(text=f"Inhouse has no “/inhouse {escaped(word, 40)}”. Try {there_is}.")
