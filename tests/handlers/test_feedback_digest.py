"""The weekly digest: each department's managers get averages given and received per partner, and the comments."""

from datetime import UTC, datetime

from bot.feedback.digest_outbound import send_feedback_digests
from bot.ids import Action, BlockId, Callback
from tests.fakes.signing import plain_value
from tests.handlers.feedback_kit import click_in, give_feedback, reorganize, resolve, submit_view
from tests.handlers.harness import Harness

NEXT_MONDAY = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # 09:00 in Berlin; the week is Mon 23 to Sun 29 Nov
WEEK = "Mon 23 Nov 2026 to Sun 29 Nov 2026"
K_IS_2 = {'timezone = "Europe/Berlin"\n': 'timezone = "Europe/Berlin"\nanonymity_min = 2\n'}


def _digest(inhouse: Harness, manager: str) -> list[str]:
    (message,) = inhouse.dms_to(manager)
    return [block["text"]["text"] for block in message["blocks"]]


def _averages(inhouse: Harness, manager: str) -> list[str]:
    blocks = _digest(inhouse, manager)
    return blocks[1].splitlines()[1:] if blocks[1].startswith("*Average") else []


def _send(inhouse: Harness) -> int:
    return send_feedback_digests(inhouse.running.deps, NEXT_MONDAY).sent


def test_each_departments_managers_get_averages_given_and_received_per_partner(inhouse: Harness) -> None:
    give_feedback(inhouse, "U0SAM", rating="4", went_well="Quick fix")
    give_feedback(inhouse, "U0HANNA", rating="2", went_well=None, could_be_better="Answer <sooner>")
    card = inhouse.file_request("U0SAM")
    resolve(inhouse, card, "U0ALICE")
    click_in(inhouse, "D0SAM", inhouse.dms_to("U0SAM")[-1], "rate_service_5", "U0SAM")
    click_in(inhouse, card.channel, inhouse.slack.replies(card.channel, card.ts)[-1], "rate_request_3", "U0ALICE")

    assert _send(inhouse) == 3
    assert _averages(inhouse, "U0ITMGR") == [
        "• *People &amp; Culture*: received 2.0 (1) · given none",
        "• *Sales*: received 4.5 (2) · given 3.0 (1)",
    ]
    assert _averages(inhouse, "U0SALESMGR") == ["• *IT Support*: received 3.0 (1) · given 4.5 (2)"]
    assert _averages(inhouse, "U0HRMGR") == ["• *IT Support*: received none · given 2.0 (1)"]


def test_the_digest_names_the_week_and_lists_its_comments_escaped(inhouse: Harness) -> None:
    give_feedback(inhouse, "U0SAM", rating="4", went_well="Quick fix")
    inhouse.clock.advance(minutes=1)  # signed comments go in the order given (feedback ids are random)
    give_feedback(inhouse, "U0HANNA", rating="2", went_well=None, could_be_better="Answer <sooner>")
    _send(inhouse)
    (message,) = inhouse.dms_to("U0ITMGR")
    assert message["text"] == f"Feedback digest for IT Support, {WEEK}"
    assert _digest(inhouse, "U0ITMGR")[0] == f"Feedback digest for *IT Support*, {WEEK}"
    assert _digest(inhouse, "U0ITMGR")[2:] == [
        "*Comments of the week*",
        "From <@U0SAM> (Sales)\n*Rating:* ★★★★☆ 4/5\n*What went well:*\nQuick fix",
        "From <@U0HANNA> (People &amp; Culture)\n*Rating:* ★★☆☆☆ 2/5\n*What could be better:*\nAnswer &lt;sooner&gt;",
    ]


def test_a_requesters_comment_on_their_rating_is_in_the_providers_digest(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    resolve(inhouse, card, "U0ALICE")
    click_in(inhouse, "D0SAM", inhouse.dms_to("U0SAM")[-1], "rate_service_5", "U0SAM")
    click_in(inhouse, "D0SAM", inhouse.dms_to("U0SAM")[-1], Action.RATING_COMMENT, "U0SAM")
    submit_view(inhouse, "U0SAM", Callback.RATING_COMMENT, {BlockId.COMMENT: {Action.COMMENT: plain_value("Fast")}})
    inhouse.wait_quiet()
    _send(inhouse)
    assert _digest(inhouse, "U0ITMGR")[-1] == (
        f"From <@U0SAM> (Sales) on *#{card.number}*\n*Rating:* ★★★★★ 5/5\n*Comment:*\nFast"
    )


def test_only_the_week_before_the_digest_day_counts(inhouse: Harness) -> None:
    inhouse.clock.set(datetime(2026, 11, 22, 22, 30, tzinfo=UTC))  # Sun 22 Nov 23:30 in Berlin: the week before
    give_feedback(inhouse, "U0SAM", rating="1")
    inhouse.clock.set(datetime(2026, 11, 29, 22, 30, tzinfo=UTC))  # Sun 29 Nov 23:30 in Berlin: this week
    give_feedback(inhouse, "U0SAM", rating="5")
    inhouse.clock.set(datetime(2026, 11, 30, 7, 0, tzinfo=UTC))  # Mon 30 Nov 08:00 in Berlin: next week's
    give_feedback(inhouse, "U0SAM", rating="3")
    _send(inhouse)
    assert _averages(inhouse, "U0ITMGR") == ["• *Sales*: received 5.0 (1) · given none"]


def test_departments_with_nothing_this_week_get_no_digest(inhouse: Harness) -> None:
    give_feedback(inhouse, "U0SAM", rating="4")
    assert _send(inhouse) == 2  # IT (received) and Sales (given); HR had no feedback
    assert inhouse.dms_to("U0HRMGR") == []


def test_anonymous_ratings_of_a_department_below_anonymity_min_stay_out_of_the_averages(inhouse: Harness) -> None:
    give_feedback(inhouse, "U0SAM", anonymous=True, rating="1", went_well="Meh")  # Sales: 2 people, k = 5
    _send(inhouse)
    assert _averages(inhouse, "U0ITMGR") == []
    assert _digest(inhouse, "U0ITMGR")[-1] == "From a colleague\n*Rating:* ★☆☆☆☆ 1/5\n*What went well:*\nMeh"


def test_anonymous_ratings_of_a_department_of_at_least_anonymity_min_count_in_the_averages(inhouse: Harness) -> None:
    reorganize(inhouse, replace=K_IS_2)
    give_feedback(inhouse, "U0SAM", anonymous=True, rating="1", went_well="Meh")
    _send(inhouse)
    assert _averages(inhouse, "U0ITMGR") == ["• *Sales*: received 1.0 (1) · given none"]
    assert _digest(inhouse, "U0ITMGR")[-1].startswith("From someone in Sales\n")


def test_anonymous_ratings_leave_the_averages_when_the_threshold_rises_above_their_department(
    inhouse: Harness,
) -> None:
    reorganize(inhouse, replace=K_IS_2)
    give_feedback(inhouse, "U0SAM", anonymous=True, rating="1", went_well="Meh")
    reorganize(inhouse, replace={})  # back to k = 5: Sales (2 people) would narrow it down
    _send(inhouse)
    assert _averages(inhouse, "U0ITMGR") == []
    assert _digest(inhouse, "U0ITMGR")[-1].startswith("From a colleague\n")
