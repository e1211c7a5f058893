"""Anonymity that holds: nothing stored or logged leads from anonymous feedback to its author."""

import logging

import pytest

from bot.ids import Action, BlockId, Callback
from storage import outbox
from tests.fakes.signing import plain_value
from tests.handlers.feedback_kit import (
    SECRET_TEXT,
    click_in,
    confirmation_to,
    feedback_values,
    give_feedback,
    open_feedback_modal,
    outbox_rows,
    submit_view,
)
from tests.handlers.harness import Harness


def _lines_at_info_or_above(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.name}: {r.getMessage()} {r.exc_text or ''}" for r in caplog.records if r.levelno >= logging.INFO]


def test_an_anonymous_row_keeps_the_day_and_nothing_that_leads_to_its_author(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    row = give_feedback(inhouse, "U0SAM", department=None, request=f"#{card.number}", anonymous=True)
    confirmation = confirmation_to(inhouse, "U0SAM")
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


def test_once_sent_no_outbox_row_leads_to_an_anonymous_author_or_holds_their_token(inhouse: Harness) -> None:
    give_feedback(inhouse, "U0SAM", anonymous=True, went_well=SECRET_TEXT)
    confirmation = confirmation_to(inhouse, "U0SAM")
    token = confirmation["metadata"]["event_payload"]["token"]
    click_in(inhouse, "C0IT", inhouse.slack.messages("C0IT")[-1], Action.FEEDBACK_REPLY, "U0ITMGR")
    submit_view(inhouse, "U0ITMGR", Callback.FEEDBACK_REPLY, {BlockId.REPLY: {Action.REPLY: plain_value("Thanks")}})
    inhouse.wait_quiet()
    assert len(inhouse.slack.replies("D0SAM", confirmation["ts"])) == 1
    rows = outbox_rows(inhouse)
    assert [row.status for row in rows] == ["sent"] * 4  # notice, confirmation, reply, note
    stored = str([row.model_dump() for row in rows])
    assert [lead for lead in ("U0SAM", "D0SAM", token, confirmation["ts"]) if lead in stored] == []


def test_an_anonymous_authors_confirmation_that_died_is_forgotten_and_never_sent_again(
    inhouse: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inhouse.running.deps.outbox, "wake", lambda: None)  # the test sends, step by step
    give_feedback(inhouse, "U0SAM", anonymous=True)
    sender = inhouse.running.deps.outbox
    sender.step()  # the notice
    inhouse.slack.fail_next("chat.postMessage", error="user_disabled", status=200)
    assert sender.drain().dead == 1
    confirmation = outbox_rows(inhouse)[-1]
    assert (confirmation.status, confirmation.recipient, confirmation.payload, confirmation.ts) == (
        "dead",
        "-",
        {},
        None,
    )
    with inhouse.session_scope() as session:
        assert outbox.retry_dead(session, inhouse.clock()) == 1
    posted = len(inhouse.slack.calls_to("chat.postMessage"))
    assert sender.drain().dead == 1
    assert len(inhouse.slack.calls_to("chat.postMessage")) == posted
    assert inhouse.dms_to("U0SAM") == []


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
    dead = [line for line in lines if line.endswith("could not be delivered: channel_not_found ")]
    assert [line.split(" (")[1].split(")")[0] for line in dead] == ["call", "feedback_reply"]  # the notice, the reply
    assert [line for line in lines if "printer" in line or "U0SAM" in line or "D0SAM" in line] == []


def test_a_request_with_a_bad_signature_leaves_nothing_of_its_body_or_author_in_the_log(
    inhouse: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    view_id = open_feedback_modal(inhouse, "U0SAM").response["view"]["id"]
    values = feedback_values(went_well=SECRET_TEXT, anonymous=True)
    request = inhouse.signer.view_submission(Callback.FEEDBACK, values, user_id="U0SAM", view_id=view_id)
    assert inhouse.signer.send_with_wrong_signature(request).status == 401
    assert [line for line in _lines_at_info_or_above(caplog) if "printer" in line or "U0SAM" in line] == []
