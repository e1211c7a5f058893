"""Parsing the feedback modal, the /feedback text and the rating buttons. Pure: no Slack, no database."""

import pytest

from bot.domain.feedback import Direction
from bot.feedback import form_input as feedback_forms
from bot.feedback.service import FeedbackDraft
from bot.ids import Action, BlockId
from bot.ratings import form_input as rating_forms
from bot.slack.forms import Errors
from tests.handlers.feedback_kit import feedback_values


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", (None, None)), ("it", ("it", None)), ("#42", (None, 42)), ("42 broke", (None, 42)), ("#x", ("#x", None))],
)
def test_the_command_text_names_a_department_or_a_request(text: str, expected: tuple[str | None, int | None]) -> None:
    assert feedback_forms.split_prefill(text) == expected


def test_a_full_modal_is_a_draft() -> None:
    values = feedback_values(department="hr", request=" #7 ", rating="2", could_be_better=" Faster ", anonymous=True)
    assert feedback_forms.parse_feedback(values) == FeedbackDraft("hr", 7, 2, "Quick fix", "Faster", anonymous=True)


def test_a_text_alone_is_enough_feedback() -> None:
    draft = feedback_forms.parse_feedback(feedback_values(rating=None))
    assert draft == FeedbackDraft("it", None, None, "Quick fix", "", anonymous=False)


def test_every_problem_is_reported_at_once() -> None:
    values = feedback_values(department=None, request="soon", rating=None, went_well=None)
    assert feedback_forms.parse_feedback(values) == Errors(
        {
            BlockId.FEEDBACK_REQUEST: "Give a request number, like #42.",
            BlockId.RATING: "Give a rating, or say what went well or what could be better.",
        }
    )


def test_a_rating_outside_the_scale_is_refused() -> None:
    assert feedback_forms.parse_feedback(feedback_values(rating="7")) == Errors(
        {BlockId.RATING: "Choose a rating from 1 to 5."}
    )


@pytest.mark.parametrize(
    ("action_id", "expected"),
    [("rate_service_1", (Direction.CUSTOMER_TO_PROVIDER, 1)), ("rate_request_5", (Direction.PROVIDER_TO_CUSTOMER, 5))],
)
def test_a_rating_button_says_which_rating_and_score(action_id: str, expected: tuple[Direction, int]) -> None:
    assert rating_forms.parse_rating_action(action_id) == expected
    assert rating_forms.rating_action_pattern(Action(action_id.rpartition("_")[0])).match(action_id)


def test_the_reply_modal_remembers_the_feedback_and_its_message() -> None:
    metadata = '{"feedback": 4503599627370496, "ts": "1700000000.000100"}'
    assert feedback_forms.parse_reply_origin(metadata) == feedback_forms.ReplyOrigin(
        4503599627370496, "1700000000.000100"
    )


def test_the_reply_modal_of_before_with_a_channel_is_still_read_and_its_channel_ignored() -> None:
    metadata = '{"feedback": 3, "channel": "C0EVIL", "ts": "1.2"}'
    assert feedback_forms.parse_reply_origin(metadata) == feedback_forms.ReplyOrigin(3, "1.2")


@pytest.mark.parametrize(
    "metadata",
    [
        "abc",
        "",
        "12345678901234567890123",
        "{",
        "[]",
        "null",
        '{"feedback": 9007199254740992, "ts": "1.2"}',  # 2**53: past every id
        '{"feedback": 0, "ts": "1.2"}',
        '{"feedback": false, "ts": "1.2"}',
        '{"feedback": "3x", "ts": "1.2"}',
        '{"feedback": 3, "ts": "1.2 "}',
        '{"feedback": 3, "ts": null}',
        "[" * 5000,
        None,
        42,
    ],
)
def test_metadata_the_reply_modal_did_not_write_is_none(metadata: object) -> None:
    assert feedback_forms.parse_reply_origin(metadata) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("4503599627370496", 4503599627370496), ("7", 7), ("abc", None), ("", None), ("1" * 23, None), ("-1", None)],
)
def test_a_reply_buttons_value_is_a_feedback_id_or_nothing(value: str, expected: int | None) -> None:
    assert feedback_forms.feedback_id(value) == expected
