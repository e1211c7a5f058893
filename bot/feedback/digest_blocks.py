"""The weekly feedback digest a department's managers get."""

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

from bot.feedback.blocks import feedback_body, sender
from bot.feedback.digest import DepartmentDigest, DigestComment, PartnerAverages
from bot.slack.message import MAX_MESSAGE_BLOCKS, Message
from bot.slack.text import day, escape, request_ref

SECTION_TEXT_MAX = 3000


def _average(value: float | None, count: int) -> str:
    return f"{value:.1f} ({count})" if value is not None else "none"


def _partner_line(partner: PartnerAverages) -> str:
    received = _average(partner.received, partner.received_count)
    given = _average(partner.given, partner.given_count)
    return f"• *{escape(partner.department_name)}*: received {received} · given {given}"


def _comment(comment: DigestComment) -> str:
    about = f" on *{request_ref(comment.request_number)}*" if comment.request_number is not None else ""
    lead = f"From {sender(comment.author_id, comment.from_department_name)}{about}"
    body = feedback_body(comment.rating, comment.went_well, comment.could_be_better, comment.comment)
    return "\n".join([lead, *body])[:SECTION_TEXT_MAX]


def digest_message(digest: DepartmentDigest) -> Message:
    week = f"{day(digest.first_day)} to {day(digest.last_day)}"
    title = f"Feedback digest for *{escape(digest.department_name)}*, {week}"
    blocks: list[Block] = [SectionBlock(text=title)]
    if digest.partners:
        heading = "*Average ratings by partner department* (out of 5, with how many)"
        blocks.append(SectionBlock(text="\n".join([heading, *map(_partner_line, digest.partners)])))
    if digest.comments:
        blocks.append(SectionBlock(text="*Comments of the week*"))
        room = MAX_MESSAGE_BLOCKS - len(blocks) - 1
        blocks += [SectionBlock(text=_comment(comment)) for comment in digest.comments[:room]]
        if len(digest.comments) > room:
            more = f"…and {len(digest.comments) - room} more comments this week."
            blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    return Message(text=title.replace("*", ""), blocks=blocks)
