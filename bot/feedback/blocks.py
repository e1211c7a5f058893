"""Feedback to a department: the /feedback modal, the message its receivers get, replies to the author."""

import json

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.feedback import SCORES
from bot.feedback.service import FeedbackChoices, FeedbackNotice
from bot.ids import Action, BlockId, Callback
from bot.slack.message import Message
from bot.slack.text import escape, escaped, request_ref, user

TEXT_MAX = 2000
SCORE_LABELS = {1: "1 · poor", 2: "2 · fair", 3: "3 · good", 4: "4 · very good", 5: "5 · excellent"}
ANONYMOUS = "anonymous"  # the value of the "send anonymously" checkbox


def stars(score: int) -> str:
    return "★" * score + "☆" * (len(SCORES) - score) + f" {score}/{len(SCORES)}"


def _text_input(block: BlockId, action: Action, label: str, *, optional: bool = True) -> InputBlock:
    element = PlainTextInputElement(action_id=action, multiline=True, max_length=TEXT_MAX)
    return InputBlock(block_id=block, label=label, optional=optional, element=element)


def feedback_modal(choices: FeedbackChoices, *, replies: bool = True) -> View:
    """``replies``: whether anonymous feedback can be replied to (Inhouse has a secret key)."""
    options = [Option(value=department_id, label=name[:75]) for department_id, name in choices.departments]
    chosen = next((option for option in options if option.value == choices.department_id), None)
    number = request_ref(choices.request_number) if choices.request_number is not None else None
    anonymous = Option(
        value=ANONYMOUS,
        label="Send anonymously",
        description="No name, no request number; their managers can still reply to you."
        if replies
        else "No name, no request number; their managers cannot reply to you.",
    )
    blocks: list[Block] = [
        InputBlock(
            block_id=BlockId.DEPARTMENT,
            label="Which department?",
            optional=True,
            element=StaticSelectElement(
                action_id=Action.DEPARTMENT, options=options, initial_option=chosen, placeholder="Choose a department"
            ),
        ),
        InputBlock(
            block_id=BlockId.FEEDBACK_REQUEST,
            label="Or a request number",
            optional=True,
            hint="A request you filed sets the department.",
            element=PlainTextInputElement(action_id=Action.FEEDBACK_REQUEST, placeholder="#42", initial_value=number),
        ),
        InputBlock(
            block_id=BlockId.RATING,
            label="How was it?",
            optional=True,
            element=RadioButtonsElement(
                action_id=Action.RATING, options=[Option(value=str(s), label=SCORE_LABELS[s]) for s in SCORES]
            ),
        ),
        _text_input(BlockId.WENT_WELL, Action.WENT_WELL, "What went well?"),
        _text_input(BlockId.COULD_BE_BETTER, Action.COULD_BE_BETTER, "What could be better?"),
        InputBlock(
            block_id=BlockId.ANONYMOUS,
            label="Anonymity",
            optional=True,
            element=CheckboxesElement(action_id=Action.ANONYMOUS, options=[anonymous]),
        ),
    ]
    return View(
        type="modal", callback_id=Callback.FEEDBACK, title="Feedback", submit="Send", close="Cancel", blocks=blocks
    )


def sender(author_id: str | None, department_name: str | None) -> str:
    """Who feedback is from, as its receivers may know it: anonymous authors by department at most."""
    if author_id is not None:
        origin = f" ({escape(department_name)})" if department_name else ""
        return f"{user(author_id)}{origin}"
    if department_name:
        return f"someone in {escape(department_name)}"
    return "a colleague"


def _title(notice: FeedbackNotice) -> str:
    kind = "Feedback" if notice.author_id is not None else "Anonymous feedback"
    about = f" about *{request_ref(notice.request_number)}*" if notice.request_number is not None else ""
    origin = sender(notice.author_id, notice.from_department_name)
    return f"{kind} for *{escape(notice.department_name)}* from {origin}{about}"


def feedback_body(rating: int | None, went_well: str, could_be_better: str, comment: str = "") -> list[str]:
    """The rating and the texts, escaped, one paragraph each."""
    lines = [f"*Rating:* {stars(rating)}"] if rating is not None else []
    for label, text in (("What went well", went_well), ("What could be better", could_be_better), ("Comment", comment)):
        if text:
            lines.append(f"*{label}:*\n{escaped(text, TEXT_MAX + 100)}")
    return lines


def feedback_notice(notice: FeedbackNotice) -> Message:
    """What the receiving department (its channel or its managers) gets, with a button to reply."""
    blocks: list[Block] = [SectionBlock(text=_title(notice))]
    blocks += [
        SectionBlock(text=line) for line in feedback_body(notice.rating, notice.went_well, notice.could_be_better)
    ]
    reply = ButtonElement(text="Reply to the author", action_id=Action.FEEDBACK_REPLY, value=str(notice.feedback_id))
    blocks.append(ActionsBlock(block_id=BlockId.FEEDBACK_ACTIONS, elements=[reply]))
    if notice.author_id is None:
        hint = (
            "A manager's reply reaches the author privately, by DM; their name is not shown to you."
            if notice.replyable
            else "Inhouse had no secret key when this was sent, so it cannot be replied to."
        )
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=hint)]))
    rated = f" · {notice.rating}/{len(SCORES)}" if notice.rating is not None else ""
    return Message(text=_title(notice).replace("*", "") + rated, blocks=blocks)


def feedback_sent(notice: FeedbackNotice) -> Message:
    """A signed feedback's confirmation, by DM (anonymous feedback is confirmed in its modal: sent_anonymously)."""
    department = f"*{escape(notice.department_name)}*"
    text = f"Your feedback to {department} was sent with your name."
    text += " If one of their managers replies, the reply comes here."
    return Message(text=text.replace("*", ""), blocks=[SectionBlock(text=text)])


def sent_anonymously(notice: FeedbackNotice) -> View:
    """What the /feedback modal turns into once anonymous feedback is sent: no DM that could be matched to it."""
    department = f"*{escape(notice.department_name)}*"
    text = (
        f"Your feedback to {department} was sent anonymously: they see it as from "
        f"{sender(None, notice.from_department_name)}, without your name or a request number."
    )
    if notice.replyable:
        text += " If one of their managers replies, the reply comes to you as a DM from Inhouse."
    else:
        text += " Their managers cannot reply to it: Inhouse has no secret key to keep a way back to you."
    return View(
        type="modal",
        callback_id=Callback.FEEDBACK,
        title="Sent anonymously",
        close="Done",
        blocks=[SectionBlock(text=text)],
    )


def reply_modal(feedback_id: int, ts: str) -> View:
    """``ts``: the feedback message the reply was opened from, which the note threads under (in the database's
    channel for that feedback, whatever the metadata says)."""
    return View(
        type="modal",
        callback_id=Callback.FEEDBACK_REPLY,
        private_metadata=json.dumps({"feedback": feedback_id, "ts": ts}),
        title="Reply to feedback",
        submit="Send",
        close="Cancel",
        blocks=[
            SectionBlock(text="Your reply goes to the author in a DM from Inhouse, with your name."),
            _text_input(BlockId.REPLY, Action.REPLY, "Your reply", optional=False),
        ],
    )


def reply_to_author(department_name: str, manager: str, text: str) -> Message:
    lead = f"{user(manager)} of *{escape(department_name)}* replied to your feedback:"
    return Message(text=lead.replace("*", ""), blocks=[SectionBlock(text=f"{lead}\n>{escaped(text, TEXT_MAX)}")])


def reply_note(manager: str, text: str, *, delivered: bool) -> Message:
    """In the feedback message's thread: what was answered, or that it could not be."""
    if not delivered:
        return Message(text=f"{user(manager)}'s reply could not be delivered to the author.")
    return Message(text=f"{user(manager)}'s reply was delivered to the author:\n>{escaped(text, TEXT_MAX)}")
