"""The retrospective prompt in its channel: the period's facts, the review, counts and buttons; its modals."""

import json
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.domain import retros as domain
from bot.domain.retros import Kind
from bot.ids import Action, BlockId, Callback
from bot.retros.views import ActionView, RetroView, mention
from bot.slack.message import Message
from bot.slack.text import day, escape, escaped, span, when

TEXT_MAX = 2000
SECTION_TEXT = 3000  # Slack's limit for a section's text
SEED_LINE = 400  # characters of one check-up answer in a retro's prompt
SEED_SECTIONS = 8  # check-up seeds shown in a prompt (a message takes 50 blocks); the rest are counted
SIGN = "sign"


def _percent(met: int, total: int) -> str:
    return f"{met} of {total} ({round(100 * met / total)}%)" if total else "none measured"


def _rating(rating: dict[str, Any], minimum: int) -> str:
    if rating.get("shown"):
        return f"{rating['average']} from {rating['count']} ratings"
    if rating.get("count"):
        return f"not shown: fewer than {minimum} people rated"
    return "no ratings"


def service_facts(service: dict[str, Any]) -> str:
    provider = escape(str(service["provider"]))
    customer = escape(str(service["customer"])) if service.get("customer") else "everyone"
    first, resolution = service["first_response"], service["resolution"]
    waiting = service["waiting_minutes"]
    minimum = service["anonymity_min"]
    raters, rated = (customer, customer) if service.get("customer") else ("Customers", "its customers")
    of_provider = service["rating_of_provider"]
    of_customers = service["rating_of_customers"]
    return "\n".join(
        [
            f"*{provider} → {customer}*",
            f"Requests: {service['received']} received, {service['resolved']} resolved",
            f"First response on time: {_percent(*first)}",
            f"Resolution on time: {_percent(*resolution)}",
            f"SLA breaches: {service['breaches']}",
            f"Waiting on requesters: {span(waiting) if waiting else 'none'}",
            f"{raters} rated {provider}: {_rating(of_provider, minimum)}",
            f"{provider} rated {rated}: {_rating(of_customers, minimum)}",
        ]
    )


def checkup_seed(seed: dict[str, Any]) -> str:
    """What people wrote in the check-up, as bullets, as many as fit a section (3,000 characters)."""
    texts = [str(text).replace("\n", " ") for text in seed["texts"]]
    head = (
        f"*From the check-up: what gets in the way, say {len(texts)} people of {escape(str(seed['from']))} "
        f"about {escape(str(seed['about']))}*"
    )
    lines = [head]
    for shown, text in enumerate(texts):
        line = f"• {escaped(text, SEED_LINE)}"
        if len("\n".join([*lines, line])) > SECTION_TEXT - len(_more(len(texts))):
            return "\n".join([*lines, _more(len(texts) - shown)])
        lines.append(line)
    return "\n".join(lines)


def _more(count: int) -> str:
    return f"…and {count} more"


def review_line(action: ActionView) -> str:
    mark = ":white_check_mark: done" if action.status == domain.DONE else ":arrow_right_hook: carried over"
    return f"• {escaped(action.text, 300)}: {mention(action.owner_id)}, due {day(action.due_on)}, {mark}"


def counts_line(retro: RetroView) -> str:
    kinds = [*domain.kinds(retro.template), Kind(domain.ACTION, "Action items", "")]
    return "Entries so far: " + " · ".join(f"{k.label} {retro.counts.get(k.id, 0)}" for k in kinds)


def prompt(retro: RetroView) -> Message:
    head = f"*Retrospective: {escape(retro.title)}*, on the time since {day(retro.facts_since.date())}"
    if retro.closed:
        hint = "Closed: every entry and action item is in the thread."
    else:
        hint = (
            "Add entries with the buttons. They are anonymous unless you sign them, and nobody sees them "
            f"until the retro closes {when(retro.closes_at)}."
        )
    blocks: list[Block] = [SectionBlock(text=head), ContextBlock(elements=[MarkdownTextObject(text=hint)])]
    blocks += [SectionBlock(text=service_facts(service)) for service in retro.services]
    blocks += [SectionBlock(text=checkup_seed(seed)) for seed in retro.checkup[:SEED_SECTIONS]]
    if len(retro.checkup) > SEED_SECTIONS:
        more = f"…and what {len(retro.checkup) - SEED_SECTIONS} more departments wrote in the check-up."
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    if retro.review:
        lines = "\n".join(review_line(action) for action in retro.review)
        blocks.append(SectionBlock(text=f"*Action items from the last retro*\n{lines}"[:3000]))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=counts_line(retro))]))
    if not retro.closed:
        blocks.append(ActionsBlock(block_id=BlockId.RETRO_ACTIONS, elements=_buttons(retro)))
    return Message(text=f"Retrospective: {retro.title}. {counts_line(retro)}", blocks=blocks)


def _buttons(retro: RetroView) -> list[ButtonElement]:
    buttons = [
        ButtonElement(text=kind.label, action_id=f"{Action.RETRO_ADD_ENTRY}_{kind.id}", value=f"{retro.id}:{kind.id}")
        for kind in domain.kinds(retro.template)
    ]
    buttons.append(ButtonElement(text="Action item", action_id=Action.RETRO_ADD_ACTION, value=str(retro.id)))
    return buttons


def _sign_input() -> InputBlock:
    option = Option(value=SIGN, label="Sign with my name", description="Leave unticked to stay anonymous.")
    return InputBlock(
        block_id=BlockId.RETRO_SIGN,
        label="Your name",
        optional=True,
        element=CheckboxesElement(action_id=Action.RETRO_SIGN, options=[option]),
    )


def _text_input(label: str) -> InputBlock:
    element = PlainTextInputElement(action_id=Action.RETRO_TEXT, multiline=True, max_length=TEXT_MAX)
    return InputBlock(block_id=BlockId.RETRO_TEXT, label=label, element=element)


def _about(retro: RetroView) -> SectionBlock:
    return SectionBlock(
        text=f"For the *{escape(retro.title)}* retrospective. Nobody sees entries until it closes; then all are shown."
    )


def entry_modal(retro: RetroView, kind: Kind) -> View:
    return View(
        type="modal",
        callback_id=Callback.RETRO_ENTRY,
        private_metadata=json.dumps({"retro": retro.id, "kind": kind.id}),
        title=kind.label[:24],
        submit="Add",
        close="Cancel",
        blocks=[_about(retro), _text_input(kind.question), _sign_input()],
    )


def action_modal(retro: RetroView) -> View:
    owner = InputBlock(
        block_id=BlockId.RETRO_OWNER, label="Owner", element=UserSelectElement(action_id=Action.RETRO_OWNER)
    )
    due = InputBlock(block_id=BlockId.RETRO_DUE, label="Due", element=DatePickerElement(action_id=Action.RETRO_DUE))
    return View(
        type="modal",
        callback_id=Callback.RETRO_ACTION,
        private_metadata=json.dumps({"retro": retro.id}),
        title="Action item",
        submit="Add",
        close="Cancel",
        blocks=[_about(retro), _text_input("What will be done?"), owner, due, _sign_input()],
    )
