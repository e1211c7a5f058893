"""Where feedback goes and how it reads: the department's channel or its managers; signed or anonymous."""

from bot.ids import Action, BlockId
from tests.handlers.feedback_kit import SECRET_TEXT, give_feedback, reorganize
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
    inhouse: Harness,
) -> None:
    give_feedback(inhouse, "U0SAM", anonymous=True, went_well=SECRET_TEXT)  # Sales has 2 people, the minimum is 5
    (message,) = inhouse.slack.messages("C0IT")
    assert message["text"] == "Anonymous feedback for IT Support from a colleague · 4/5"
    assert _texts(message) == [
        "Anonymous feedback for *IT Support* from a colleague",
        "*Rating:* ★★★★☆ 4/5",
        f"*What went well:*\n{ESCAPED}",
    ]
    assert message["blocks"][-1]["elements"][0]["text"] == (
        "A manager's reply reaches the author privately; nobody, Inhouse included, learns who they are."
    )
    assert "U0SAM" not in str(message)


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


def test_the_anonymous_author_is_told_how_it_reads_and_the_confirmation_carries_the_reply_token(
    inhouse: Harness,
) -> None:
    give_feedback(inhouse, "U0SAM", anonymous=True)
    (confirmation,) = inhouse.dms_to("U0SAM")
    assert confirmation["blocks"][0]["text"]["text"] == (
        "Your feedback to *IT Support* was sent anonymously: they see it as from a colleague, without your name "
        "or a request number. If one of their managers replies, the reply comes here."
    )
    assert confirmation["metadata"]["event_type"] == "inhouse_feedback"
    assert len(confirmation["metadata"]["event_payload"]["token"]) >= 40
