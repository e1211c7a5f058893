"""The customer's side of the SLA alerts, while a request waits on its requester: the requester's reminder (the
provider's question quoted, and *Reply*), their department's managers' breach DM, and the digest of either."""

from collections.abc import Sequence

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, ContextBlock, MarkdownTextObject, SectionBlock

from bot.domain.alerts import Level
from bot.ids import Action
from bot.sla.blocks import Alert
from bot.slack.message import MAX_MESSAGE_BLOCKS, Message
from bot.slack.text import escape, escaped, request_ref, span, user, when


def _headline(alert: Alert) -> str:
    request, ref = alert.request, request_ref(alert.request.number)
    provider = f"*{escape(request.provider_name)}*"
    if alert.level is Level.WARNING:
        return (
            f"{provider} is waiting on your answer about {ref}: "
            f"please answer by {when(alert.due)} ({span(alert.left_minutes)} left)."
        )
    return f"{user(request.requester_id)} has not answered {provider} about {ref}: it was due {when(alert.due)}."


def _details(alert: Alert) -> str:
    request = alert.request
    lines = []
    if alert.level is not Level.WARNING:
        origin = f" ({escape(request.requester_department_name)})" if request.requester_department_name else ""
        lines.append(f"*{request_ref(request.number)}* to *{escape(request.provider_name)}* from "
                     f"{user(request.requester_id)}{origin}")  # fmt: skip
    lines.append(f">{escaped(request.description, 500)}")
    if alert.question:
        lines += ["They asked:", f">{escaped(alert.question, 1000)}"]
    if alert.level is not Level.WARNING:
        lines.append(f"Agreed: an answer within {escape(alert.promised)}, by {when(alert.due)}.")
        lines.append(f"Late by {span(alert.late_minutes)} of business time.")
    return "\n".join(lines)


def _blocks(alert: Alert) -> list[Block]:
    """Headline, details, and for the requester the *Reply* button that answers in the card's thread."""
    blocks: list[Block] = [SectionBlock(text=_headline(alert)), SectionBlock(text=_details(alert))]
    if alert.level is Level.WARNING:
        reply = ButtonElement(text="Reply", action_id=Action.ANSWER, value=str(alert.request.number), style="primary")
        blocks.append(ActionsBlock(elements=[reply]))
    return blocks


def customer_dm(alert: Alert) -> Message:
    return Message(text=_headline(alert), blocks=_blocks(alert))


def customer_digest(alerts: Sequence[Alert]) -> Message:
    """Several that waited for the start of the customer's working hours, in one message."""
    headline = f"{len(alerts)} requests are waiting on answers from your side:"
    blocks: list[Block] = [SectionBlock(text=f"*{headline}*")]
    shown: list[Alert] = []
    for alert in alerts:
        more = _blocks(alert)
        if len(blocks) + len(more) > MAX_MESSAGE_BLOCKS - 1:
            break
        blocks += more
        shown.append(alert)
    if len(alerts) > len(shown):
        rest = len(alerts) - len(shown)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"…and {rest} more: see your App Home.")]))
    return Message(text=headline, blocks=blocks)
