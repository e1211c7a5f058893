"""Anonymity that holds: nothing stored or logged leads from anonymous feedback to its author."""

import logging

import pytest

from bot.ids import Action, BlockId, Callback
from tests.fakes.signing import plain_value
from tests.handlers.feedback_kit import (
    SECRET_TEXT,
    click_in,
    feedback_values,
    give_feedback,
    open_feedback_modal,
    submit_view,
)
from tests.handlers.harness import Harness


def _lines_at_info_or_above(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.name}: {r.getMessage()} {r.exc_text or ''}" for r in caplog.records if r.levelno >= logging.INFO]


def test_an_anonymous_row_keeps_the_day_and_nothing_that_leads_to_its_author(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    row = give_feedback(inhouse, "U0SAM", department=None, request=f"#{card.number}", anonymous=True)
    (confirmation,) = [m for m in inhouse.dms_to("U0SAM") if "metadata" in m]
    token = confirmation["metadata"]["event_payload"]["token"]
    stored = row.model_dump()
    assert stored == {
        "id": row.id,
        "to_department_id": "it",
        "from_department_id": None,
        "request_id": None,
        "rating": 4,
        "went_well": "Quick fix",
        "could_be_better": None,
        "anonymous": True,
        "author_id": None,
        "created_at": None,
        "created_on": inhouse.clock().date(),
        "reply_token_hash": stored["reply_token_hash"],
    }
    leads = {"U0SAM", "D0SAM", token, confirmation["ts"]}
    assert not [lead for lead in leads if any(lead == str(value) for value in stored.values() if value is not None)]
    assert token not in str(stored)


def test_no_log_line_at_info_or_above_carries_feedback_text_or_its_author(
    inhouse: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    inhouse.slack.fail_next("chat.postMessage", error="channel_not_found", status=200)  # the department's channel
    give_feedback(inhouse, "U0SAM", anonymous=True, went_well=SECRET_TEXT)
    give_feedback(inhouse, "U0SAM", anonymous=True, could_be_better=SECRET_TEXT)
    inhouse.slack.fail_next("chat.postMessage", error="channel_not_found", status=200)  # the reply to the author
    click_in(inhouse, "C0IT", inhouse.slack.messages("C0IT")[-1], Action.FEEDBACK_REPLY, "U0ITMGR")
    submit_view(inhouse, "U0ITMGR", Callback.FEEDBACK_REPLY, {BlockId.REPLY: {Action.REPLY: plain_value(SECRET_TEXT)}})
    inhouse.wait_quiet()
    lines = _lines_at_info_or_above(caplog)
    assert "bot.slack.calls: Could not post feedback 1: channel_not_found " in lines
    assert "bot.slack.calls: Could not post reply to feedback 2: channel_not_found " in lines
    assert [line for line in lines if "printer" in line or "U0SAM" in line or "D0SAM" in line] == []


def test_a_request_with_a_bad_signature_is_logged_without_its_body(
    inhouse: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    view_id = open_feedback_modal(inhouse, "U0SAM").response["view"]["id"]
    values = feedback_values(went_well=SECRET_TEXT, anonymous=True)
    request = inhouse.signer.view_submission(Callback.FEEDBACK, values, user_id="U0SAM", view_id=view_id)
    assert inhouse.signer.send_with_wrong_signature(request).status == 401
    (line,) = [line for line in _lines_at_info_or_above(caplog) if "signature" in line]
    assert line.startswith("slack_bolt.RequestVerification: Invalid request signature detected (signature: v0=")
    assert line.endswith(", body: [request body withheld] ")
    assert "printer" not in line
    assert "U0SAM" not in line
