"""The request card in the provider's channel, its thread notes, and the requester's DMs."""

from collections.abc import Sequence
from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    InteractiveElement,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticSelectElement,
)

from bot.domain.alerts import Metric
from bot.domain.feedback import COMMENT_MAX, Direction, RequestRating
from bot.domain.lifecycle import EventKind, State
from bot.domain.services import Answer
from bot.feedback.blocks import stars
from bot.ids import Action, BlockId
from bot.requests.service import RequestSnapshot, Source
from bot.slack.message import Message
from bot.slack.payloads import is_user_id
from bot.slack.text import PRIORITY_LABELS, channel, day, escape, escaped, request_ref, user, when

SECTION_TEXT_MAX = 3000

_STATE_LABELS = {
    State.OPEN: "Open: waiting for someone to pick it up",
    State.ACKNOWLEDGED: "In progress",
    State.WAITING: "Waiting on the requester",
    State.RESOLVED: "Resolved",
}

_BUTTONS: dict[State, tuple[tuple[Action, str, str | None], ...]] = {
    State.OPEN: (
        (Action.ACKNOWLEDGE, "Acknowledge", "primary"),
        (Action.PAUSE, "Waiting on requester", None),
        (Action.TRANSFER, "Transfer", None),
        (Action.RESOLVE, "Resolve", None),
    ),
    State.ACKNOWLEDGED: (
        (Action.PAUSE, "Waiting on requester", None),
        (Action.TRANSFER, "Transfer", None),
        (Action.RESOLVE, "Resolve", "primary"),
    ),
    State.WAITING: (
        (Action.RESUME, "Resume", "primary"),
        (Action.TRANSFER, "Transfer", None),
        (Action.RESOLVE, "Resolve", None),
    ),
    State.RESOLVED: ((Action.REOPEN, "Reopen", None),),
}


def _title(request: RequestSnapshot) -> str:
    origin = f" ({escape(request.requester_department_name)})" if request.requester_department_name else ""
    priority = PRIORITY_LABELS.get(request.priority, request.priority)
    service = f" · {escape(request.service_name)}" if request.service_name else ""
    return f"*{request_ref(request.number)}*{service} · {priority} priority · from {user(request.requester_id)}{origin}"


ANSWERS_MAX = 1500  # of the card's description section: the description keeps the rest


def _details(request: RequestSnapshot) -> str:
    """The description, then the answers to the service's fields, within one section's limit."""
    if not request.answers:
        return escaped(request.description, SECTION_TEXT_MAX)
    each = ANSWERS_MAX // len(request.answers)  # a line's share, label and value
    lines = []
    for answer in request.answers:
        label = escaped(answer.label, each // 2)
        lines.append(f"*{label}:* {_shown(answer, each - len(label) - 4)}")
    answers = "\n".join(lines)
    return escaped(request.description, SECTION_TEXT_MAX - len(answers) - 2) + "\n\n" + answers


def turned_from(source: Source) -> str:
    """Where a request turned from a message came from: a link to the message, and its channel."""
    return f"From <{source.link}|a message> in {channel(source.channel)}"


def _shown(answer: Answer, limit: int) -> str:
    if answer.type == "user" and is_user_id(answer.value):
        return user(answer.value)
    if answer.type == "date":
        return day(date.fromisoformat(answer.value))
    return escaped(answer.value, limit)


_OVERDUE = {
    Metric.FIRST_RESPONSE: "first response overdue",
    Metric.RESOLUTION: "resolution overdue",
    Metric.CUSTOMER_RESPONSE: "the requester's answer is overdue",
}


def _status_line(request: RequestSnapshot) -> str:
    label = _STATE_LABELS[request.state]
    if request.assignee_id and request.state is not State.RESOLVED:
        label += f" · {user(request.assignee_id)}"
    if request.overdue:
        label += " · :rotating_light: *" + ", ".join(_OVERDUE[metric] for metric in request.overdue) + "*"
    return f"*Status:* {label}"


def _due_lines(request: RequestSnapshot) -> list[str]:
    if request.state is State.WAITING:
        lines = ["The agreement's clock is paused while waiting on the requester"]
        if request.customer_response_due:
            lines.append(f"Their answer is due {when(request.customer_response_due)}")
        if request.customer_response_at:
            lines.append(f"They answered {when(request.customer_response_at)}: resume when you have what you need")
        return lines
    lines = []
    if request.first_response_due and request.first_response_at is None:
        lines.append(f"First response due {when(request.first_response_due)}")
    if request.resolution_due and request.state is not State.RESOLVED:
        lines.append(f"Resolution due {when(request.resolution_due)}")
    if request.needed_by:
        lines.append(f"Needed by {day(request.needed_by)}")
    if request.resolved_at:
        lines.append(f"Resolved {when(request.resolved_at)}")
    if not request.first_response_due:
        lines.append("No agreement covers this request")
    return lines


def _buttons(request: RequestSnapshot) -> ActionsBlock:
    value = str(request.number)
    elements: list[InteractiveElement] = [
        ButtonElement(text=label, action_id=action, value=value, style=style)
        for action, label, style in _BUTTONS[request.state]
    ]
    if request.state is not State.RESOLVED:
        options = [
            Option(value=f"{request.number}:{key}", label=f"{label} priority") for key, label in PRIORITY_LABELS.items()
        ]
        current = next(option for option in options if option.value == f"{request.number}:{request.priority}")
        elements.append(StaticSelectElement(action_id=Action.CHANGE_PRIORITY, options=options, initial_option=current))
    return ActionsBlock(block_id=BlockId.CARD_ACTIONS, elements=elements)


def request_card(request: RequestSnapshot) -> Message:
    blocks: list[Block] = [
        SectionBlock(text=_title(request)),
        SectionBlock(text=_details(request)),
        SectionBlock(text=_status_line(request)),
    ]
    if request.state is State.RESOLVED and request.resolution_note:
        blocks.append(SectionBlock(text="*Resolution:* " + escaped(request.resolution_note, SECTION_TEXT_MAX - 20)))
    if request.ratings:
        blocks.append(SectionBlock(text=card_ratings(request.ratings)))
    context = [MarkdownTextObject(text=" · ".join(_due_lines(request)))]
    if request.source is not None:
        context.append(MarkdownTextObject(text=turned_from(request.source)))
    blocks.append(ContextBlock(elements=context))
    blocks.append(_buttons(request))
    fallback = (
        f"Request {request_ref(request.number)} from {user(request.requester_id)}: {escape(request.description[:200])}"
    )
    return Message(text=fallback, blocks=blocks)


def transferred_card(request: RequestSnapshot, previous_provider_name: str, actor: str) -> Message:
    """What the old card says once the request has moved to another department."""
    text = (
        f"*{request_ref(request.number)}* was transferred from {escape(previous_provider_name)} "
        f"to {escape(request.provider_name)} by {user(actor)}."
    )
    return Message(
        text=text,
        blocks=[SectionBlock(text=text), SectionBlock(text=escaped(request.description, SECTION_TEXT_MAX))],
    )


_HISTORY = {
    EventKind.CREATED: "filed the request",
    EventKind.ACKNOWLEDGED: "acknowledged it and is working on it",
    EventKind.PAUSED: "is waiting on the requester",
    EventKind.RESUMED: "resumed work",
    EventKind.TRANSFERRED: "transferred it",
    EventKind.RESOLVED: "resolved it",
    EventKind.REOPENED: "reopened it",
    EventKind.ASSIGNED: "took it over",
    EventKind.REPRIORITIZED: "changed the priority",
    EventKind.REPLIED: "replied",
}


def history_note(kind: EventKind, actor: str, note: str | None = None, *, detail: str = "") -> Message:
    """One line of history in the card's thread."""
    text = f"{user(actor)} {_HISTORY[kind]}{escape(detail)}."
    if note:
        text += f"\n>{escaped(note, 2000)}"
    return Message(text=text)


def filed_confirmation(request: RequestSnapshot) -> Message:
    lines = [f"Your request *{request_ref(request.number)}* to *{escape(request.provider_name)}* is filed."]
    if request.first_response_due and request.resolution_due:
        lines.append(
            f"They have promised a first response by {when(request.first_response_due)} "
            f"and a resolution by {when(request.resolution_due)}."
        )
    lines.append(f">{escaped(request.description, 1000)}")
    lines.append("You'll get a message here whenever it changes.")
    return Message(
        text=f"Your request {request_ref(request.number)} to {escape(request.provider_name)} is filed.",
        blocks=[SectionBlock(text="\n".join(lines))],
    )


def card_not_posted(request: RequestSnapshot) -> Message:
    text = (
        f"Your request *{request_ref(request.number)}* is saved, but Slack would not let Inhouse post it in "
        f"{escape(request.provider_name)}'s channel. Please let them know directly; an admin should invite "
        "the app to that channel."
    )
    return Message(text=text, blocks=[SectionBlock(text=text)])


_REQUESTER_UPDATES = {
    EventKind.ACKNOWLEDGED: "{actor} is working on it",
    EventKind.PAUSED: "{actor} is waiting on you: answer with *Reply* (it goes in the request's thread)",
    EventKind.RESUMED: "{actor} resumed work on it",
    EventKind.TRANSFERRED: "{actor} transferred it to *{provider}*",
    EventKind.RESOLVED: "{actor} resolved it",
    EventKind.REOPENED: "{actor} reopened it",
    EventKind.ASSIGNED: "{actor} took it over",
    EventKind.REPRIORITIZED: "{actor} changed its priority",
    EventKind.REPLIED: "{actor} replied to it",
}


def requester_update(request: RequestSnapshot, kind: EventKind, actor: str, note: str | None = None) -> Message:
    """The requester's DM about a change; waiting on them, with the answer's due time and *Reply*."""
    what = _REQUESTER_UPDATES[kind].format(actor=user(actor), provider=escape(request.provider_name))
    if kind is EventKind.PAUSED and request.customer_response_due:
        what += f", by {when(request.customer_response_due)}"
    text = f"Your request *{request_ref(request.number)}*: {what}."
    if note:
        text += f"\n>{escaped(note, 2000)}"
    blocks: list[Block] = [SectionBlock(text=text)]
    if kind is EventKind.PAUSED:
        reply = ButtonElement(text="Reply", action_id=Action.ANSWER, value=str(request.number), style="primary")
        blocks.append(ActionsBlock(elements=[reply]))
    return Message(text=f"Your request {request_ref(request.number)}: {what}.", blocks=blocks)


_CARD_LABELS = {
    Direction.CUSTOMER_TO_PROVIDER: "Requester's rating of the service",
    Direction.PROVIDER_TO_CUSTOMER: "Provider's rating of the request",
}


def card_ratings(ratings: Sequence[RequestRating]) -> str:
    """The ratings section of a request card."""
    lines = []
    for rating in ratings:
        line = f"*{_CARD_LABELS[rating.direction]}:* {stars(rating.score) if rating.score else 'not rated'}"
        if rating.comment:
            line += f"\n>{escaped(rating.comment, COMMENT_MAX + 200)}"
        lines.append(line)
    return "\n".join(lines)
