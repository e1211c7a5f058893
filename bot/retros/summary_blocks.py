"""What a retro says at its close (in the prompt's thread), and its action items' DMs to their owners."""

from collections.abc import Iterator

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, SectionBlock

from bot.domain import retros as domain
from bot.ids import Action, BlockId
from bot.retros.views import ActionView, Summary, mention
from bot.slack.message import MAX_MESSAGE_BLOCKS, Message
from bot.slack.text import day, escape, escaped

SECTION_MAX = 3000
ENTRY_MAX = SECTION_MAX - 100
"""An entry or action item is shown whole (the modal takes 2,000 characters) unless escaping makes it longer than
a section holds with its bullet, author, owner and due date: then it ends in "…"."""


def entry_line(text: str, author: str | None) -> str:
    return f"• {escaped(text, ENTRY_MAX)}" + (f" ({mention(author)})" if author else "")


def action_line(action: ActionView) -> str:
    status = "done" if action.status == domain.DONE else "open"
    return f"• {escaped(action.text, ENTRY_MAX)}: owner {mention(action.owner_id)}, due {day(action.due_on)}, {status}"


def _sections(heading: str, lines: list[str]) -> Iterator[Block]:
    """A heading and its lines, in as many sections as Slack's 3000 characters per section need."""
    text = f"*{heading}*"
    for line in lines or ["• none"]:
        if len(text) + 1 + len(line) > SECTION_MAX:
            yield SectionBlock(text=text)
            text = ""
        text = f"{text}\n{line}" if text else line
    yield SectionBlock(text=text)


def summary_messages(summary: Summary) -> list[Message]:
    """All entries by kind, then the action items; split into messages of at most 50 blocks."""
    retro = summary.retro
    total = sum(len(entries) for entries in summary.entries.values())
    head = f"*Retrospective closed: {escape(retro.title)}*: {total} entries, {len(summary.actions)} action items."
    blocks: list[Block] = [SectionBlock(text=head)]
    labels = {kind.id: kind.label for kind in domain.kinds(retro.template)}
    for kind_id, entries in summary.entries.items():
        lines = [entry_line(text, author) for text, author in entries]
        blocks += _sections(f"{labels.get(kind_id, kind_id)} ({len(entries)})", lines)
    if summary.carried:
        blocks += _sections("Carried over from the last retro", [action_line(a) for a in summary.carried])
    blocks += _sections("Action items", [action_line(action) for action in summary.actions])
    chunks = [blocks[i : i + MAX_MESSAGE_BLOCKS] for i in range(0, len(blocks), MAX_MESSAGE_BLOCKS)]
    plain = head.replace("*", "")
    return [
        Message(text=plain if index == 0 else f"{plain} (continued)", blocks=chunk)
        for index, chunk in enumerate(chunks)
    ]


def _done_button(action: ActionView) -> ActionsBlock:
    button = ButtonElement(text="Mark done", action_id=Action.RETRO_ACTION_DONE, value=str(action.id), style="primary")
    return ActionsBlock(block_id=BlockId.RETRO_ACTIONS, elements=[button])


def _about(action: ActionView) -> str:
    return f"from the *{escape(action.retro_title)}* retrospective, due {day(action.due_on)}"


def assigned_dm(action: ActionView) -> Message:
    lead = f"You own an action item {_about(action)}:"
    return Message(
        text=lead.replace("*", ""),
        blocks=[SectionBlock(text=f"{lead}\n>{escaped(action.text, TEXT_LIMIT)}"), _done_button(action)],
    )


def nudge_dm(action: ActionView) -> Message:
    lead = f"Reminder: your action item {_about(action)}, is due."
    return Message(
        text=lead.replace("*", ""),
        blocks=[SectionBlock(text=f"{lead}\n>{escaped(action.text, TEXT_LIMIT)}"), _done_button(action)],
    )


def done_dm(action: ActionView) -> Message:
    lead = f":white_check_mark: Done: your action item {_about(action)}."
    return Message(
        text=lead.replace("*", ""), blocks=[SectionBlock(text=f"{lead}\n>{escaped(action.text, TEXT_LIMIT)}")]
    )


TEXT_LIMIT = 2500
