"""A manager of the receiving department replies to feedback; the reply reaches its author, anonymous or not."""

import json

from slack_sdk import WebClient

from bot.ids import Action, BlockId, Callback
from tests.fakes.app_server import BOT_TOKEN
from tests.fakes.signing import plain_value
from tests.handlers.feedback_kit import click_in, confirmation_to, give_feedback, reorganize, submit_view
from tests.handlers.harness import Harness, Json

REPLY = "Thanks! <We> will fix the printer & the toner"
REPLY_ESCAPED = "Thanks! &lt;We&gt; will fix the printer &amp; the toner"


def _feedback_message(inhouse: Harness, index: int = -1) -> Json:
    return inhouse.slack.messages("C0IT")[index]


def _reply(inhouse: Harness, manager: str, text: str = REPLY, message: Json | None = None) -> None:
    message = message or _feedback_message(inhouse)
    opened = len(inhouse.slack.calls_to("views.open"))
    click_in(inhouse, "C0IT", message, Action.FEEDBACK_REPLY, manager)
    inhouse.slack.wait_for("views.open", count=opened + 1)
    response = submit_view(
        inhouse, manager, Callback.FEEDBACK_REPLY, {BlockId.REPLY: {Action.REPLY: plain_value(text)}}
    )
    assert (response.status, response.body) == (200, "")
    inhouse.wait_quiet()


def test_reply_opens_a_modal_that_knows_the_feedback_and_its_message(inhouse: Harness) -> None:
    row = give_feedback(inhouse, "U0SAM")
    message = _feedback_message(inhouse)
    click_in(inhouse, "C0IT", message, Action.FEEDBACK_REPLY, "U0ITMGR")
    view = inhouse.slack.calls_to("views.open")[-1].args["view"]
    assert view["callback_id"] == Callback.FEEDBACK_REPLY
    assert json.loads(view["private_metadata"]) == {"feedback": row.id, "channel": "C0IT", "ts": message["ts"]}


def test_a_reply_to_signed_feedback_reaches_its_author_by_dm(inhouse: Harness) -> None:
    give_feedback(inhouse, "U0SAM")
    _reply(inhouse, "U0ITMGR")
    reply = inhouse.dms_to("U0SAM")[-1]
    assert reply["blocks"][0]["text"]["text"] == (
        f"<@U0ITMGR> of *IT Support* replied to your feedback:\n>{REPLY_ESCAPED}"
    )


def test_a_reply_to_anonymous_feedback_reaches_its_author_in_the_thread_of_their_confirmation(
    inhouse: Harness,
) -> None:
    for n in range(250):  # more DMs than one page of users.conversations, all before the author's
        inhouse.slack.seed_message(f"D0P{n:03d}", "hi", user=f"U0P{n:03d}")
    give_feedback(inhouse, "U0HANNA", anonymous=True, went_well="Someone else's")
    give_feedback(inhouse, "U0SAM", anonymous=True)
    (confirmation,) = inhouse.dms_to("U0SAM")
    for n in range(250):  # and more messages after the confirmation than one page of history
        inhouse.slack.seed_message("D0SAM", f"later {n}", user="U0SAM")

    _reply(inhouse, "U0ITMGR")

    (reply,) = inhouse.slack.replies("D0SAM", confirmation["ts"])
    assert reply["text"] == "<@U0ITMGR> of IT Support replied to your feedback:"
    assert reply["blocks"][0]["text"]["text"].endswith(f">{REPLY_ESCAPED}")
    (hannas_confirmation,) = inhouse.dms_to("U0HANNA")
    assert inhouse.slack.replies("D0HANNA", hannas_confirmation["ts"]) == []
    history = inhouse.slack.calls_to("conversations.history")
    assert all(call.args["include_all_metadata"] in (True, "true", "1") for call in history)
    assert any(call.args.get("cursor") for call in inhouse.slack.calls_to("users.conversations"))
    assert any(call.args.get("cursor") for call in history if call.args["channel"] == "D0SAM")


def test_the_reply_is_noted_under_the_feedback_for_the_department(inhouse: Harness) -> None:
    give_feedback(inhouse, "U0SAM", anonymous=True)
    message = _feedback_message(inhouse)
    _reply(inhouse, "U0ITMGR")
    (note,) = inhouse.slack.replies("C0IT", message["ts"])
    assert note["text"] == f"<@U0ITMGR> replied to the author:\n>{REPLY_ESCAPED}"


def test_a_reply_whose_author_deleted_the_conversation_is_reported_undelivered(inhouse: Harness) -> None:
    give_feedback(inhouse, "U0SAM", anonymous=True)
    (confirmation,) = inhouse.dms_to("U0SAM")
    WebClient(token=BOT_TOKEN, base_url=inhouse.slack.base_url).chat_delete(channel="D0SAM", ts=confirmation["ts"])
    message = _feedback_message(inhouse)
    _reply(inhouse, "U0ITMGR")
    (note,) = inhouse.slack.replies("C0IT", message["ts"])
    assert note["text"] == "<@U0ITMGR>'s reply could not be delivered to the author."
    assert inhouse.dms_to("U0SAM") == []


def test_a_reply_submitted_twice_reaches_the_author_once_and_is_noted_once(inhouse: Harness) -> None:
    give_feedback(inhouse, "U0SAM", anonymous=True)
    message = _feedback_message(inhouse)
    _reply(inhouse, "U0ITMGR")
    values = {BlockId.REPLY: {Action.REPLY: plain_value(REPLY)}}
    again = submit_view(inhouse, "U0ITMGR", Callback.FEEDBACK_REPLY, values)  # the same modal, a second time
    assert (again.status, again.body) == (200, "")
    inhouse.wait_quiet()
    confirmation = confirmation_to(inhouse, "U0SAM")
    assert len(inhouse.slack.replies("D0SAM", confirmation["ts"])) == 1
    assert len(inhouse.slack.replies("C0IT", message["ts"])) == 1


def test_a_second_reply_is_a_second_message(inhouse: Harness) -> None:
    give_feedback(inhouse, "U0SAM")
    _reply(inhouse, "U0ITMGR", "First")
    _reply(inhouse, "U0ITMGR", "Second")
    assert [m["blocks"][0]["text"]["text"].rsplit(">", 1)[-1] for m in inhouse.dms_to("U0SAM")[1:]] == [
        "First",
        "Second",
    ]


def test_only_managers_of_the_receiving_department_may_reply(inhouse: Harness) -> None:
    give_feedback(inhouse, "U0SAM", anonymous=True)
    click = click_in(inhouse, "C0IT", _feedback_message(inhouse), Action.FEEDBACK_REPLY, "U0ALICE")
    assert inhouse.private_answers(click) == ["Only managers of IT Support can reply to its feedback."]
    assert inhouse.slack.ephemerals() == []  # through the click's response_url: nothing was posted
    assert len(inhouse.slack.calls_to("views.open")) == 1  # the /feedback modal only


def test_a_blank_reply_gets_a_field_error_and_sends_nothing(inhouse: Harness) -> None:
    give_feedback(inhouse, "U0SAM")
    click_in(inhouse, "C0IT", _feedback_message(inhouse), Action.FEEDBACK_REPLY, "U0ITMGR")
    response = submit_view(
        inhouse, "U0ITMGR", Callback.FEEDBACK_REPLY, {BlockId.REPLY: {Action.REPLY: plain_value(" ")}}
    )
    assert response.json() == {"response_action": "errors", "errors": {BlockId.REPLY: "Write your reply."}}
    inhouse.wait_quiet()
    assert len(inhouse.dms_to("U0SAM")) == 1  # the confirmation only


def test_a_manager_replies_from_the_dm_that_brought_private_feedback(inhouse: Harness) -> None:
    reorganize(inhouse, replace={'managers = ["U0ITMGR"]': 'managers = ["U0ITMGR"]\nfeedback_private = true'})
    give_feedback(inhouse, "U0SAM", anonymous=True)
    (private,) = inhouse.dms_to("U0ITMGR")
    opened = len(inhouse.slack.calls_to("views.open"))
    click_in(inhouse, "D0ITMGR", private, Action.FEEDBACK_REPLY, "U0ITMGR")
    inhouse.slack.wait_for("views.open", count=opened + 1)
    submit_view(inhouse, "U0ITMGR", Callback.FEEDBACK_REPLY, {BlockId.REPLY: {Action.REPLY: plain_value(REPLY)}})
    inhouse.wait_quiet()
    (confirmation,) = inhouse.dms_to("U0SAM")
    assert len(inhouse.slack.replies("D0SAM", confirmation["ts"])) == 1
    assert len(inhouse.slack.replies("D0ITMGR", private["ts"])) == 1
