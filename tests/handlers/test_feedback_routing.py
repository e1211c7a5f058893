# ruff: noqa: F811  (the fixtures keyed and keyless, imported from feedback_kit, are the tests' arguments)
"""Where feedback goes and how it reads: the department's channel or its managers; signed or anonymous."""

from bot.ids import Action, BlockId
from tests.handlers.feedback_kit import (  # noqa: F401
    SECRET_TEXT,
    give_feedback,
    keyed,
    keyless,
    open_feedback_modal,
    reorganize,
    submit_feedback,
)
from tests.handlers.harness import Harness, Json

ESCAPED = "The &lt;b&gt;printer&lt;/b&gt; &amp; I are enemies"


def _texts(message: Json) -> list[str]:
    return [block["text"]["text"] for block in message["blocks"] if block["type"] == "section"]


def test_signed_feedback_is_posted_in_the_departments_channel_with_its_rating_and_text_escaped(
    inhouse: Harness,
) -> None:
    row = give_feedback(inhouse, "U0SAM", rating="4", went_well=SECRET_TEXT, could_be_better="More <!here> updates")
    (message,) = inhouse.slack.messages("C0IT")
    assert message["text"] == "Feedback for IT Support from <@U0SAM> (Sales) · 4/5"
    assert _texts(message) == [
        "Feedback for *IT Support* from <@U0SAM> (Sales)",
        "*Rating:* ★★★★☆ 4/5",
        f"*What went well:*\n{ESCAPED}",
        "*What could be better:*\nMore &lt;!here&gt; updates",
    ]
    assert message["blocks"][-1]["block_id"] == BlockId.FEEDBACK_ACTIONS
    assert [(e["action_id"], e["value"]) for e in message["blocks"][-1]["elements"]] == [
        (Action.FEEDBACK_REPLY, str(row.id))
    ]


def test_feedback_about_a_request_says_which(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    give_feedback(inhouse, "U0SAM", department=None, request=f"#{card.number}", rating=None)
    (message,) = inhouse.slack.messages("C0IT")[1:]  # after the card
    assert _texts(message) == [
        f"Feedback for *IT Support* from <@U0SAM> (Sales) about *#{card.number}*",
        "*What went well:*\nQuick fix",
    ]


def test_a_department_that_takes_feedback_privately_gets_it_in_its_managers_dms_only(inhouse: Harness) -> None:
    reorganize(inhouse, replace={'managers = ["U0ITMGR"]': 'managers = ["U0ITMGR", "U0CTO"]\nfeedback_private = true'})
    give_feedback(inhouse, "U0SAM")
    assert inhouse.slack.messages("C0IT") == []
    for manager in ("U0ITMGR", "U0CTO"):
        (message,) = inhouse.dms_to(manager)
        assert _texts(message)[0] == "Feedback for *IT Support* from <@U0SAM> (Sales)"
    assert inhouse.dms_to("U0ALICE") == []


def test_anonymous_feedback_from_a_department_smaller_than_anonymity_min_is_from_a_colleague(
    keyed: Harness,
) -> None:
    inhouse = keyed
    give_feedback(inhouse, "U0SAM", anonymous=True, went_well=SECRET_TEXT)  # Sales has 2 people, the minimum is 5
    (message,) = inhouse.slack.messages("C0IT")
    assert message["text"] == "Anonymous feedback for IT Support from a colleague · 4/5"
    assert _texts(message) == [
        "Anonymous feedback for *IT Support* from a colleague",
        "*Rating:* ★★★★☆ 4/5",
        f"*What went well:*\n{ESCAPED}",
    ]
    assert message["blocks"][-1]["elements"][0]["text"] == (
        "A manager's reply reaches the author privately, by DM; their name is not shown to you."
    )
    assert "U0SAM" not in str(message)


def test_anonymous_feedback_given_without_a_key_says_it_cannot_be_replied_to(keyless: Harness) -> None:
    give_feedback(keyless, "U0SAM", anonymous=True)
    (message,) = keyless.slack.messages("C0IT")
    assert message["blocks"][-1]["elements"][0]["text"] == (
        "Inhouse had no secret key when this was sent, so it cannot be replied to."
    )


def test_anonymous_feedback_names_a_department_of_at_least_anonymity_min_people(inhouse: Harness) -> None:
    reorganize(inhouse, replace={'timezone = "Europe/Berlin"\n': 'timezone = "Europe/Berlin"\nanonymity_min = 2\n'})
    give_feedback(inhouse, "U0SAM", anonymous=True)
    (message,) = inhouse.slack.messages("C0IT")
    assert _texts(message)[0] == "Anonymous feedback for *IT Support* from someone in Sales"


def test_anonymous_feedback_about_a_request_does_not_name_it(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    row = give_feedback(inhouse, "U0SAM", department=None, request=f"#{card.number}", anonymous=True)
    message = inhouse.slack.messages("C0IT")[-1]
    assert _texts(message)[0] == "Anonymous feedback for *IT Support* from a colleague"
    assert f"#{card.number}" not in str(message)
    assert (row.to_department_id, row.request_id) == ("it", None)


def test_the_author_is_told_the_feedback_was_sent_with_their_name(inhouse: Harness) -> None:
    give_feedback(inhouse, "U0SAM")
    (confirmation,) = inhouse.dms_to("U0SAM")
    assert confirmation["text"] == (
        "Your feedback to IT Support was sent with your name. If one of their managers replies, the reply comes here."
    )
    assert "token" not in confirmation["metadata"]["event_payload"]  # only the outbox's keys: no reply path


def test_the_anonymous_author_is_told_in_the_modal_how_it_reads_and_gets_no_dm(keyed: Harness) -> None:
    give_feedback(keyed, "U0SAM", anonymous=True)  # the modal turned into "Sent anonymously" (feedback_kit)
    assert keyed.dms_to("U0SAM") == []


def test_without_a_key_the_anonymous_author_is_told_in_the_modal_that_nobody_can_reply(keyless: Harness) -> None:
    modal = open_feedback_modal(keyless, "U0SAM")
    anonymity = next(b for b in modal.args["view"]["blocks"] if b["block_id"] == BlockId.ANONYMOUS)
    assert anonymity["element"]["options"][0]["description"]["text"] == (
        "No name, no request number; their managers cannot reply to you."
    )
    response = submit_feedback(keyless, "U0SAM", modal, anonymous=True)
    assert response.json()["view"]["blocks"][0]["text"]["text"] == (
        "Your feedback to *IT Support* was sent anonymously: they see it as from a colleague, without your name or "
        "a request number. Their managers cannot reply to it: Inhouse has no secret key to keep a way back to you."
    )
