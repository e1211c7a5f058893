# ruff: noqa: F811  (the fixture keyed, imported from feedback_kit, is the tests' argument)
"""Anonymity that holds against the operator: the database, with the bot token or without, does not lead from
anonymous feedback to its author, nor date it among signed feedback; no log line does either.

The one way back is the link encrypted with INHOUSE_SECRET_KEY, which the database does not hold.
"""

import logging
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from cryptography.fernet import Fernet
from sqlmodel import col, select

from bot.feedback.keyring import Keyring
from bot.ids import Action, BlockId, Callback
from storage import feedback as store
from storage.feedback_models import Feedback
from storage.models import Outbox
from tests.fakes.signing import plain_value
from tests.handlers.feedback_kit import (  # noqa: F401
    KEY,
    SECRET_TEXT,
    click_in,
    feedback_values,
    give_feedback,
    keyed,
    open_feedback_modal,
    outbox_rows,
    submit_view,
)
from tests.handlers.harness import Harness

BERLIN = ZoneInfo("Europe/Berlin")


def _lines_at_info_or_above(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.name}: {r.getMessage()} {r.exc_text or ''}" for r in caplog.records if r.levelno >= logging.INFO]


def _reply(inhouse: Harness, text: str = "Thanks") -> None:
    click_in(inhouse, "C0IT", inhouse.slack.messages("C0IT")[-1], Action.FEEDBACK_REPLY, "U0ITMGR")
    submit_view(inhouse, "U0ITMGR", Callback.FEEDBACK_REPLY, {BlockId.REPLY: {Action.REPLY: plain_value(text)}})
    inhouse.wait_quiet()


def _instants(values: list[Any]) -> list[datetime]:
    return [value for value in values if isinstance(value, datetime)]


def test_an_anonymous_row_keeps_the_day_and_only_an_encrypted_way_back_to_its_author(keyed: Harness) -> None:
    inhouse = keyed
    card = inhouse.file_request("U0SAM")
    row = give_feedback(inhouse, "U0SAM", department=None, request=f"#{card.number}", anonymous=True)
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
        "notice_channel": "C0IT",
        "reply_link": stored["reply_link"],
        "replied_view": None,
    }
    assert _instants(list(stored.values())) == []  # the day, no time of day
    assert not [
        value for value in stored.values() if value is not None and ("U0SAM" in str(value) or "D0SAM" in str(value))
    ]
    # The link opens with the key only; the database and the bot token do not hold it. And it is not dated.
    link = str(row.reply_link)
    assert Keyring([KEY]).open(link) == "U0SAM"
    assert Keyring([Fernet.generate_key().decode()]).open(link) is None
    assert Fernet(KEY).extract_timestamp(link) == 0
    other = give_feedback(inhouse, "U0HANNA", anonymous=True)
    assert len(str(other.reply_link)) == len(link)  # the links do not tell the authors' ids apart by length


def test_anonymous_feedback_sends_its_author_no_dm_and_confirms_in_the_modal(keyed: Harness) -> None:
    inhouse = keyed
    modal = open_feedback_modal(inhouse, "U0SAM")
    view_id = modal.response["view"]["id"]
    values = feedback_values(anonymous=True)
    response = inhouse.signer.view_submission(Callback.FEEDBACK, values, user_id="U0SAM", view_id=view_id).send()
    inhouse.wait_quiet()
    answer = response.json()
    assert answer["response_action"] == "update"
    assert answer["view"]["title"]["text"] == "Sent anonymously"
    assert answer["view"]["blocks"][0]["text"]["text"] == (
        "Your feedback to *IT Support* was sent anonymously: they see it as from a colleague, without your name or "
        "a request number. If one of their managers replies, the reply comes to you as a DM from Inhouse."
    )
    assert "submit" not in answer["view"]
    assert [call.args["channel"] for call in inhouse.slack.calls_to("chat.postMessage")] == ["C0IT"]
    assert inhouse.dms_to("U0SAM") == []


def test_once_delivered_no_outbox_row_of_an_anonymous_feedback_is_left(keyed: Harness) -> None:
    inhouse = keyed
    give_feedback(inhouse, "U0SAM", anonymous=True, went_well=SECRET_TEXT)
    _reply(inhouse)
    assert len(inhouse.dms_to("U0SAM")) == 1  # the reply
    assert len(inhouse.slack.replies("C0IT", inhouse.slack.messages("C0IT")[-1]["ts"])) == 1  # the note
    assert outbox_rows(inhouse) == []  # the notice, the reply, the note: each went once sent


def test_an_anonymous_feedbacks_messages_are_owed_as_of_the_start_of_the_day_and_outside_the_sequence(
    keyed: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    inhouse = keyed
    monkeypatch.setattr(inhouse.running.deps.outbox, "wake", lambda: None)  # the test sends, step by step
    give_feedback(inhouse, "U0SAM", anonymous=True, went_well=SECRET_TEXT)
    midnight = datetime.combine(inhouse.clock().astimezone(BERLIN).date(), time(), BERLIN)
    (notice,) = outbox_rows(inhouse)
    assert (notice.created_at, notice.deliver_after) == (midnight, midnight)
    assert (notice.id or 0) < 0
    assert "U0SAM" not in str(notice.model_dump())
    inhouse.running.deps.outbox.drain()
    _reply(inhouse)
    (reply,) = outbox_rows(inhouse)
    place = f"feedback:{_only_id(inhouse)}"
    assert (reply.kind, reply.recipient, reply.created_at) == ("feedback_reply", place, midnight)
    assert (reply.id or 0) < 0
    assert [lead for lead in ("U0SAM", "D0SAM") if lead in str(reply.model_dump())] == []
    inhouse.running.deps.outbox.step()  # the reply, which owes the note
    (note,) = outbox_rows(inhouse)
    assert (note.created_at, (note.id or 0) < 0) == (midnight, True)
    inhouse.running.deps.outbox.drain()
    assert outbox_rows(inhouse) == []


def _only_id(inhouse: Harness) -> int:
    with inhouse.session_scope() as session:
        (feedback_id,) = session.exec(select(Feedback.id))
    return feedback_id


def test_ids_do_not_order_anonymous_feedback_among_the_signed_feedback_given_around_it(keyed: Harness) -> None:
    inhouse = keyed
    given = []
    for n in range(12):
        inhouse.clock.advance(minutes=5)
        given.append(give_feedback(inhouse, "U0SAM", anonymous=n == 6, went_well=f"number {n}").id)
    assert all(10**15 <= feedback_id < 2**53 for feedback_id in given)
    assert sorted(given) != given  # 12 random ids in the order given: once in 479,001,600
    # and the outbox's sequence shows no gap where the anonymous feedback's notice was
    with inhouse.session_scope() as session:
        ids = list(session.exec(select(Outbox.id).order_by(col(Outbox.id))))
    assert ids == list(range(1, len(ids) + 1))
    assert len(ids) == 11 * 2  # each signed feedback's notice and confirmation


def test_the_digest_lists_anonymous_comments_after_the_days_signed_ones_not_among_them(keyed: Harness) -> None:
    inhouse = keyed
    for n, anonymous in enumerate([False, True, False]):
        inhouse.clock.advance(minutes=5)
        give_feedback(inhouse, "U0SAM", anonymous=anonymous, went_well=f"number {n}")
    with inhouse.session_scope() as session:
        day = inhouse.clock().astimezone(BERLIN).date()
        listed = [row.went_well for row in store.feedback_between(session, day, date.max)]
    assert listed == ["number 0", "number 2", "number 1"]


def test_no_log_line_at_info_or_above_carries_feedback_text_or_its_author(
    keyed: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    inhouse = keyed
    caplog.set_level(logging.INFO)
    inhouse.slack.fail_next("chat.postMessage", error="channel_not_found", status=200)  # the department's channel
    give_feedback(inhouse, "U0SAM", anonymous=True, went_well=SECRET_TEXT)
    give_feedback(inhouse, "U0SAM", anonymous=True, could_be_better=SECRET_TEXT)
    inhouse.slack.fail_next("chat.postMessage", error="user_not_found", status=200)  # the reply to the author
    _reply(inhouse, SECRET_TEXT)
    lines = _lines_at_info_or_above(caplog)
    dead = [line for line in lines if " could not be delivered: " in line]
    assert [line.split(" (")[1].split(")")[0] for line in dead] == ["call", "feedback_reply"]  # the notice, the reply
    assert [line for line in lines if "printer" in line or "U0SAM" in line or "D0SAM" in line] == []
    assert outbox_rows(inhouse) == []  # the dead went too


def test_a_request_with_a_bad_signature_leaves_nothing_of_its_body_or_author_in_the_log(
    keyed: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    inhouse = keyed
    caplog.set_level(logging.INFO)
    view_id = open_feedback_modal(inhouse, "U0SAM").response["view"]["id"]
    values = feedback_values(went_well=SECRET_TEXT, anonymous=True)
    request = inhouse.signer.view_submission(Callback.FEEDBACK, values, user_id="U0SAM", view_id=view_id)
    assert inhouse.signer.send_with_wrong_signature(request).status == 401
    assert [line for line in _lines_at_info_or_above(caplog) if "printer" in line or "U0SAM" in line] == []
