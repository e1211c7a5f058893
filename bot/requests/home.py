"""The App Home tab: my open requests and, for department staff, their queues."""

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.requests.service import RequestSnapshot
from bot.slack.text import PRIORITY_LABELS, escape, escaped, request_ref, user, when

MAX_HOME_BLOCKS = 100
_ROWS_PER_LIST = 20


def _row(request: RequestSnapshot, *, show_requester: bool) -> SectionBlock:
    who = f" · from {user(request.requester_id)}" if show_requester else f" · {escape(request.provider_name)}"
    due = f" · due {when(request.resolution_due)}" if request.resolution_due else ""
    assignee = f" · {user(request.assignee_id)}" if request.assignee_id else ""
    head = f"*{request_ref(request.number)}* {PRIORITY_LABELS.get(request.priority, request.priority)}{who}"
    return SectionBlock(text=f"{head} · {request.state.value}{assignee}{due}\n{escaped(request.description, 300)}")


def _section(title: str, requests: Sequence[RequestSnapshot], empty: str, *, show_requester: bool) -> list[Block]:
    blocks: list[Block] = [HeaderBlock(text=title[:150])]
    if not requests:
        return [*blocks, ContextBlock(elements=[MarkdownTextObject(text=empty)])]
    blocks += [_row(request, show_requester=show_requester) for request in requests[:_ROWS_PER_LIST]]
    if len(requests) > _ROWS_PER_LIST:
        more = len(requests) - _ROWS_PER_LIST
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"…and {more} more.")]))
    return blocks


def home_view(
    mine: Sequence[RequestSnapshot],
    queues: Sequence[tuple[str, Sequence[RequestSnapshot]]],
    health: Sequence[Block] = (),
) -> View:
    """``queues`` are (department name, open requests) for each department the user works in; ``health``, for a
    manager, how their departments are doing (bot.reports.health), shown first.
    """
    blocks: list[Block] = [*health, DividerBlock()] if health else []
    blocks += _section(
        "Your open requests",
        mine,
        "Nothing open. Type `/request` to ask a department for something.",
        show_requester=False,
    )
    for name, queue in queues:
        blocks.append(DividerBlock())
        blocks += _section(f"{name} queue", queue, "The queue is empty.", show_requester=True)
    return View(type="home", blocks=blocks[:MAX_HOME_BLOCKS])
