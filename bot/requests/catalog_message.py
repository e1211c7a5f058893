"""What ``/request help`` answers (and ``/request`` with a department that does not exist, or from someone whose
department Inhouse does not know yet): each department, what it offers, and how to ask it."""

from collections.abc import Mapping, Sequence

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

from bot.domain.services import Service
from bot.slack.message import MAX_MESSAGE_BLOCKS, Message
from bot.slack.text import escaped

SHOWN_DEPARTMENTS = MAX_MESSAGE_BLOCKS - 2  # the opening line and the closing note take the others
SECTION_TEXT_MAX = 3000
SERVICE_LINE_MAX = 200
HOW = "Ask one with `/request DEPARTMENT what you need` (or a service: `/request SERVICE`), or choose in the form."


def catalog_message(
    departments: Sequence[tuple[str, str]],
    offered: Mapping[str, Sequence[Service]],
    *,
    unknown: str | None = None,
    newcomer: bool = False,
) -> Message:
    """``departments`` (id, name); ``unknown``: the department the person named that does not exist; ``newcomer``:
    they belong to no department Inhouse knows, so a bare ``/request`` gets this rather than an empty form."""
    if unknown is not None:
        opening = f"There is no department “{escaped(unknown, 80)}”. These are the departments you can ask:"
    elif newcomer:
        opening = "These are the departments you can ask, and what each offers:"
    else:
        opening = "*Inhouse*: ask another department for something. These are the departments, and what each offers:"
    blocks: list[Block] = [SectionBlock(text=opening)]
    blocks += [
        SectionBlock(text=_department(d, name, offered.get(d, ()))) for d, name in departments[:SHOWN_DEPARTMENTS]
    ]
    more = len(departments) - SHOWN_DEPARTMENTS
    closing = HOW + (f" {more} more departments are in the form." if more > 0 else "")
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=closing)]))
    names = ", ".join(name for _, name in departments)
    return Message(text=f"Departments you can ask: {escaped(names, 2000)}", blocks=blocks)


def _department(department_id: str, name: str, services: Sequence[Service]) -> str:
    heading = f"*{escaped(name, 200)}* · `/request {escaped(department_id, 64)}`"
    lines = [heading] + [_service(service) for service in services]
    text = ""
    for index, line in enumerate(lines):
        if len(text) + len(line) + 60 > SECTION_TEXT_MAX:
            return text + f"\n…and {len(lines) - index} more in the form"
        text += ("\n" if text else "") + line
    return text


def _service(service: Service) -> str:
    line = f"• *{escaped(service.name, 200)}* (`/request {service.id}`)"
    if service.description:
        line += f": {escaped(service.description, SERVICE_LINE_MAX)}"
    return line
