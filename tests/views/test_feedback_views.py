"""Feedback, rating and digest messages: user text is always escaped, limits always kept."""

import json
from datetime import date

import pytest

from bot.domain.feedback import Direction, RequestRating
from bot.domain.lifecycle import State
from bot.feedback.blocks import feedback_notice, feedback_sent, reply_note, reply_to_author, sent_anonymously
from bot.feedback.digest import DepartmentDigest, DigestComment, PartnerAverages
from bot.feedback.digest_blocks import digest_message
from bot.feedback.service import FeedbackNotice
from bot.requests.card import request_card
from tests.factories import make_snapshot
from tests.fakes import block_limits

HOSTILE = "<!channel> see <https://evil.example|your bank> & <@U0CEO>"


def _notice(**overrides: object) -> FeedbackNotice:
    fields: dict[str, object] = {
        "feedback_id": 1,
        "department_name": HOSTILE,
        "rating": 2,
        "went_well": HOSTILE,
        "could_be_better": HOSTILE,
        "author_id": None,
        "from_department_name": HOSTILE,
        "request_number": None,
    }
    return FeedbackNotice(**{**fields, **overrides})  # type: ignore[arg-type]


def _digest(comments: int = 1) -> DepartmentDigest:
    comment = DigestComment(None, HOSTILE, None, 3, HOSTILE, HOSTILE, HOSTILE)
    partner = PartnerAverages(HOSTILE, 4.0, 1, None, 0)
    return DepartmentDigest(
        "it", HOSTILE, ["U0ITMGR"], date(2026, 11, 23), date(2026, 11, 29), [partner], [comment] * comments
    )


@pytest.mark.parametrize(
    "render",
    [
        lambda: feedback_notice(_notice()).as_kwargs(),
        lambda: feedback_notice(_notice(author_id="U0SAM")).as_kwargs(),
        lambda: feedback_notice(_notice(replyable=False)).as_kwargs(),
        lambda: feedback_sent(_notice(author_id="U0SAM")).as_kwargs(),
        lambda: sent_anonymously(_notice()).to_dict(),
        lambda: reply_to_author(HOSTILE, "U0ITMGR", HOSTILE).as_kwargs(),
        lambda: reply_note("U0ITMGR", HOSTILE, delivered=True).as_kwargs(),
        lambda: digest_message(_digest()).as_kwargs(),
        lambda: request_card(
            make_snapshot(state=State.RESOLVED, ratings=(RequestRating(Direction.CUSTOMER_TO_PROVIDER, 5, HOSTILE),))
        ).as_kwargs(),
    ],
    ids=[
        "anonymous-notice",
        "signed-notice",
        "notice-without-key",
        "confirmation",
        "sent-anonymously",
        "reply",
        "reply-note",
        "digest",
        "card-rating",
    ],
)
def test_user_text_never_reaches_slack_unescaped(render: object) -> None:
    payload = json.dumps(render(), ensure_ascii=False)  # type: ignore[operator]
    assert "<!channel>" not in payload
    assert "<https://evil.example" not in payload
    assert "<@U0CEO>" not in payload
    assert "&lt;!channel&gt;" in payload


def test_a_digest_with_more_comments_than_a_message_holds_says_how_many_more() -> None:
    kwargs = digest_message(_digest(comments=60)).as_kwargs()
    assert len(kwargs["blocks"]) == 50
    assert block_limits.message_errors(kwargs["blocks"]) == []
    assert kwargs["blocks"][-1]["elements"][0]["text"] == "…and 14 more comments this week."


def test_the_sent_anonymously_view_fits_slacks_limits_and_has_nothing_to_submit() -> None:
    view = sent_anonymously(_notice(department_name="D" * 200, from_department_name="F" * 200)).to_dict()
    assert block_limits.view_errors(view, expected_type="modal") == []
    assert "submit" not in view


def test_feedback_of_the_longest_texts_fits_slacks_limits() -> None:
    longest = "&" * 2000
    message = feedback_notice(_notice(went_well=longest, could_be_better=longest)).as_kwargs()
    assert block_limits.message_errors(message["blocks"]) == []
