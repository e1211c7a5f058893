"""SLA alerts: the warning and breach notes in the card's thread, the DMs to people, the digest."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, ContextBlock, MarkdownTextObject, SectionBlock

from bot.domain.alerts import Level, Metric
from bot.ids import Action
from bot.requests.service import RequestSnapshot
from bot.slack.message import MAX_MESSAGE_BLOCKS, Message
from bot.slack.text import escape, escaped, permalink, request_ref, span, user, when

_METRIC = {
    Metric.FIRST_RESPONSE: "first response",
    Metric.RESOLUTION: "resolution",
    Metric.CUSTOMER_RESPONSE: "the requester's answer",
}


@dataclass(frozen=True)
class Alert:
    request: RequestSnapshot
    metric: Metric
    level: Level
    due: datetime
    promised: str  # the target as written in the agreement, e.g. "4h"
    late_minutes: float  # business minutes past due (0 for a warning)
    left_minutes: float  # business minutes before due (0 once breached)
    question: str | None = None  # the customer's clock: what the provider asked the requester, if it said


def _headline(alert: Alert) -> str:
    ref, what = request_ref(alert.request.number), _METRIC[alert.metric]
    if alert.metric is Metric.CUSTOMER_RESPONSE:  # only its breach goes in the card's thread
        return f"{ref} is still waiting on its requester: their answer was due {when(alert.due)}."
    if alert.level is Level.WARNING:
        return f"{ref} is close to its {what} target: due {when(alert.due)}, {span(alert.left_minutes)} left."
    if alert.level is Level.REMINDER:
        return f"Still unresolved a working day after its target: {ref} was due {when(alert.due)}."
    return f"{ref} missed its {what} target: it was due {when(alert.due)}."


def thread_note(alert: Alert) -> Message:
    icon = ":hourglass_flowing_sand:" if alert.level is Level.WARNING else ":rotating_light:"
    return Message(text=f"{icon} {_headline(alert)}")


def _details(alert: Alert) -> str:
    request = alert.request
    origin = f" ({escape(request.requester_department_name)})" if request.requester_department_name else ""
    parties = f"to *{escape(request.provider_name)}* from {user(request.requester_id)}{origin}"
    lines = [
        f"*{request_ref(request.number)}* {parties}",
        f">{escaped(request.description, 500)}",
        f"Promised: {_METRIC[alert.metric]} within {escape(alert.promised)}, by {when(alert.due)}.",
    ]
    if alert.level is not Level.WARNING:
        lines.append(f"Late by {span(alert.late_minutes)} of business time.")
    if request.assignee_id:
        lines.append(f"Assigned to {user(request.assignee_id)}.")
    return "\n".join(lines)


def _buttons(alert: Alert) -> ActionsBlock:
    request = alert.request
    elements = [ButtonElement(text="Take it", action_id=Action.TAKE, value=str(request.number), style="primary")]
    if request.card_channel and request.card_ts:
        elements.insert(
            0,
            ButtonElement(
                text="Open", action_id=Action.OPEN_CARD, url=permalink(request.card_channel, request.card_ts)
            ),
        )
    return ActionsBlock(elements=elements)


def alert_dm(alert: Alert) -> Message:
    return Message(
        text=_headline(alert),
        blocks=[SectionBlock(text=_headline(alert)), SectionBlock(text=_details(alert)), _buttons(alert)],
    )


def digest(alerts: Sequence[Alert]) -> Message:
    """Several alerts that waited for the start of the shift, in one message."""
    headline = f"{len(alerts)} SLA alerts came in while you were off:"
    blocks: list[Block] = [SectionBlock(text=f"*{headline}*")]
    shown = alerts[: (MAX_MESSAGE_BLOCKS - 2) // 3]
    for alert in shown:
        blocks += [SectionBlock(text=_headline(alert)), SectionBlock(text=_details(alert)), _buttons(alert)]
    if len(alerts) > len(shown):
        more = len(alerts) - len(shown)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"…and {more} more: see your App Home.")]))
    return Message(text=headline, blocks=blocks)
