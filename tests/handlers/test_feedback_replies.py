# ruff: noqa: F811  (the fixtures keyed and keyless, imported from feedback_kit, are the tests' arguments)
"""A manager of the receiving department replies to feedback; the reply reaches its author by DM, anonymous or not.

An anonymous author is reached through the link the feedback keeps, encrypted with INHOUSE_SECRET_KEY: one
chat.postMessage to their user id, however many conversations the bot has. Without the key there is no link,
and the Reply button says so. What the reply modal brings back from Slack (its metadata) decides nothing about
where the bot posts.
"""

import copy
import json

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.feedback import service as feedback
from bot.feedback.keyring import Keyring
from bot.ids import Action, BlockId, Callback
from storage.feedback_models import Feedback
from tests.fakes.signing import AppResponse, plain_value
from tests.handlers.feedback_kit import (  # noqa: F401
    KEY,
    OLD_KEY,
    click_in,
    give_feedback,
    keyed,
    keyless,
    outbox_rows,
    reorganize,
    submit_view,
)
from tests.handlers.harness import Harness, Json

REPLY = "Thanks! <We> will fix the printer & the toner"
REPLY_ESCAPED = "Thanks! &lt;We&gt; will fix the printer &amp; the toner"
NEW_KEY = "a" * 43 + "="  # 32 bytes of url-safe base64: a valid Fernet key


def _feedback_message(inhouse: Harness, index: int = -1) -> Json:
    return inhouse.slack.messages("C0IT")[index]


def _open_reply(inhouse: Harness, manager: str, message: Json | None = None, channel: str = "C0IT") -> None:
    opened = len(inhouse.slack.calls_to("views.open"))
    click_in(inhouse, channel, message or _feedback_message(inhouse), Action.FEEDBACK_REPLY, manager)
    inhouse.slack.wait_for("views.open", count=opened + 1)


def _submit_reply(inhouse: Harness, manager: str, text: str = REPLY, metadata: str | None = None) -> AppResponse:
    modal = inhouse.slack.calls_to("views.open")[-1]
    values = {str(BlockId.REPLY): {str(Action.REPLY): plain_value(text)}}
    response = inhouse.signer.view_submission(
        Callback.FEEDBACK_REPLY,
        values,
        user_id=manager,
        view_id=modal.response["view"]["id"],
        private_metadata=metadata,
    ).send()
    inhouse.wait_quiet()
    return response


def _reply(inhouse: Harness, manager: str, text: str = REPLY, message: Json | None = None) -> None:
    _open_reply(inhouse, manager, message)
    response = _submit_reply(inhouse, manager, text)
    assert (response.status, response.body) == (200, "")


def _replies_to(inhouse: Harness, user: str) -> list[Json]:
    return [m for m in inhouse.dms_to(user) if "replied to your feedback" in m["text"]]


def test_reply_opens_a_modal_that_knows_the_feedback_and_its_message(inhouse: Harness) -> None:
    row = give_feedback(inhouse, "U0SAM")
    message = _feedback_message(inhouse)
    click_in(inhouse, "C0IT", message, Action.FEEDBACK_REPLY, "U0ITMGR")
    view = inhouse.slack.calls_to("views.open")[-1].args["view"]
    assert view["callback_id"] == Callback.FEEDBACK_REPLY
    assert json.loads(view["private_metadata"]) == {"feedback": row.id, "ts": message["ts"]}


def test_a_reply_to_signed_feedback_reaches_its_author_by_dm(inhouse: Harness) -> None:
    give_feedback(inhouse, "U0SAM")
    _reply(inhouse, "U0ITMGR")
    reply = inhouse.dms_to("U0SAM")[-1]
    assert reply["blocks"][0]["text"]["text"] == (
        f"<@U0ITMGR> of *IT Support* replied to your feedback:\n>{REPLY_ESCAPED}"
    )


def test_a_reply_to_anonymous_feedback_reaches_its_author_by_dm_with_the_key(keyed: Harness) -> None:
    inhouse = keyed
    give_feedback(inhouse, "U0HANNA", anonymous=True, went_well="Someone else's")
    give_feedback(inhouse, "U0SAM", anonymous=True)
    _reply(inhouse, "U0ITMGR")
    (reply,) = inhouse.dms_to("U0SAM")
    assert reply["text"] == "<@U0ITMGR> of IT Support replied to your feedback:"
    assert reply["blocks"][0]["text"]["text"].endswith(f">{REPLY_ESCAPED}")
    assert inhouse.dms_to("U0HANNA") == []


@pytest.mark.parametrize("other_dms", [0, 50])
def test_a_reply_to_an_anonymous_author_costs_two_posts_however_many_dms_the_bot_has(
    keyed: Harness, other_dms: int
) -> None:
    inhouse = keyed
    for n in range(other_dms):  # people the bot has talked to, all before the author
        inhouse.slack.seed_message(f"D0P{n:03d}", "hi", user=f"U0P{n:03d}")
    give_feedback(inhouse, "U0SAM", anonymous=True)
    for n in range(other_dms):  # and after
        inhouse.slack.seed_message(f"D0Q{n:03d}", "hi", user=f"U0Q{n:03d}")
    _open_reply(inhouse, "U0ITMGR")
    before = len(inhouse.slack.calls)

    response = _submit_reply(inhouse, "U0ITMGR")

    assert (response.status, response.body) == (200, "")
    calls = [(call.method, call.args["channel"]) for call in inhouse.slack.calls[before:]]
    assert calls == [("chat.postMessage", "U0SAM"), ("chat.postMessage", "C0IT")]  # the reply, the note


def test_the_note_under_the_feedback_says_the_reply_was_delivered(keyed: Harness) -> None:
    inhouse = keyed
    give_feedback(inhouse, "U0SAM", anonymous=True)
    message = _feedback_message(inhouse)
    _reply(inhouse, "U0ITMGR")
    (note,) = inhouse.slack.replies("C0IT", message["ts"])
    assert note["text"] == f"<@U0ITMGR>'s reply was delivered to the author:\n>{REPLY_ESCAPED}"


def test_a_reply_slack_refuses_to_deliver_is_noted_undelivered(keyed: Harness) -> None:
    inhouse = keyed
    give_feedback(inhouse, "U0SAM", anonymous=True)
    message = _feedback_message(inhouse)
    inhouse.slack.fail_next("chat.postMessage", error="user_disabled", status=200)
    _reply(inhouse, "U0ITMGR")
    (note,) = inhouse.slack.replies("C0IT", message["ts"])
    assert note["text"] == "<@U0ITMGR>'s reply could not be delivered to the author."
    assert inhouse.dms_to("U0SAM") == []


def test_a_reply_submitted_twice_reaches_the_author_once_and_is_noted_once(keyed: Harness) -> None:
    inhouse = keyed
    give_feedback(inhouse, "U0SAM", anonymous=True)
    message = _feedback_message(inhouse)
    _reply(inhouse, "U0ITMGR")
    assert outbox_rows(inhouse) == []  # the anonymous feedback's rows went once sent: the key is no guard any more
    again = _submit_reply(inhouse, "U0ITMGR")  # the same modal, a second time
    assert (again.status, again.body) == (200, "")
    assert len(_replies_to(inhouse, "U0SAM")) == 1
    assert len(inhouse.slack.replies("C0IT", message["ts"])) == 1


def test_a_second_reply_is_a_second_message(keyed: Harness) -> None:
    inhouse = keyed
    give_feedback(inhouse, "U0SAM")
    _reply(inhouse, "U0ITMGR", "First")
    _reply(inhouse, "U0ITMGR", "Second")
    give_feedback(inhouse, "U0HANNA", anonymous=True)
    _reply(inhouse, "U0ITMGR", "Third")
    _reply(inhouse, "U0ITMGR", "Fourth")
    texts = [m["blocks"][0]["text"]["text"].rsplit(">", 1)[-1] for m in _replies_to(inhouse, "U0SAM")]
    assert texts == ["First", "Second"]
    assert [m["blocks"][0]["text"]["text"].rsplit(">", 1)[-1] for m in _replies_to(inhouse, "U0HANNA")] == [
        "Third",
        "Fourth",
    ]


def test_only_managers_of_the_receiving_department_may_reply(keyed: Harness) -> None:
    inhouse = keyed
    give_feedback(inhouse, "U0SAM", anonymous=True)
    click = click_in(inhouse, "C0IT", _feedback_message(inhouse), Action.FEEDBACK_REPLY, "U0ALICE")
    assert inhouse.private_answers(click) == ["Only managers of IT Support can reply to its feedback."]
    assert inhouse.slack.ephemerals() == []  # through the click's response_url: nothing was posted
    assert len(inhouse.slack.calls_to("views.open")) == 1  # the /feedback modal only


def test_a_blank_reply_gets_a_field_error_and_sends_nothing(inhouse: Harness) -> None:
    give_feedback(inhouse, "U0SAM")
    _open_reply(inhouse, "U0ITMGR")
    response = _submit_reply(inhouse, "U0ITMGR", " ")
    assert response.json() == {"response_action": "errors", "errors": {BlockId.REPLY: "Write your reply."}}
    assert len(inhouse.dms_to("U0SAM")) == 1  # the confirmation only


def test_a_manager_replies_from_the_dm_that_brought_private_feedback(keyed: Harness) -> None:
    inhouse = keyed
    reorganize(inhouse, replace={'managers = ["U0ITMGR"]': 'managers = ["U0ITMGR"]\nfeedback_private = true'})
    give_feedback(inhouse, "U0SAM", anonymous=True)
    (private,) = inhouse.dms_to("U0ITMGR")
    _open_reply(inhouse, "U0ITMGR", private, channel="D0ITMGR")
    _submit_reply(inhouse, "U0ITMGR")
    assert len(_replies_to(inhouse, "U0SAM")) == 1
    (note,) = inhouse.slack.replies("D0ITMGR", private["ts"])
    assert note["text"].startswith("<@U0ITMGR>'s reply was delivered to the author:")
    assert inhouse.slack.messages("C0IT") == []


# --- without the key, or with another ---------------------------------------------------------------------------


def test_without_the_key_anonymous_feedback_is_sent_and_its_reply_button_says_why_it_cannot_be_answered(
    keyless: Harness,
) -> None:
    inhouse = keyless
    row = give_feedback(inhouse, "U0SAM", anonymous=True)
    assert row.reply_link is None
    message = _feedback_message(inhouse)
    assert message["blocks"][-1]["elements"][0]["text"] == (
        "Inhouse had no secret key when this was sent, so it cannot be replied to."
    )
    click = click_in(inhouse, "C0IT", message, Action.FEEDBACK_REPLY, "U0ITMGR")
    assert inhouse.private_answers(click) == [
        "This feedback was sent anonymously while Inhouse had no secret key, so nothing leads back to its author: "
        "it cannot be replied to. Your Inhouse admin can set INHOUSE_SECRET_KEY so that future anonymous feedback "
        "can be replied to."
    ]
    assert len(inhouse.slack.calls_to("views.open")) == 1  # the /feedback modal only
    assert inhouse.dms_to("U0SAM") == []


def test_signed_feedback_needs_no_key_to_be_replied_to(keyless: Harness) -> None:
    inhouse = keyless
    give_feedback(inhouse, "U0SAM")
    _reply(inhouse, "U0ITMGR")
    assert len(_replies_to(inhouse, "U0SAM")) == 1


def test_anonymous_feedback_given_before_the_key_was_set_cannot_be_replied_to(keyed: Harness) -> None:
    inhouse = keyed
    row = give_feedback(inhouse, "U0SAM", anonymous=True)
    _set_link(inhouse, row.id, None)  # as if given while there was no key
    click = click_in(inhouse, "C0IT", _feedback_message(inhouse), Action.FEEDBACK_REPLY, "U0ITMGR")
    assert inhouse.private_answers(click) == [
        "This feedback was sent anonymously before Inhouse had a secret key, so nothing leads back to its author: "
        "it cannot be replied to."
    ]


def test_a_link_made_with_a_key_that_is_gone_cannot_be_replied_to_and_says_which_key_to_add_back(
    keyed: Harness,
) -> None:
    inhouse = keyed
    row = give_feedback(inhouse, "U0SAM", anonymous=True)
    _set_link(inhouse, row.id, Keyring([OLD_KEY]).seal("U0SAM"))
    click = click_in(inhouse, "C0IT", _feedback_message(inhouse), Action.FEEDBACK_REPLY, "U0ITMGR")
    assert inhouse.private_answers(click) == [
        "The key this anonymous feedback was sent under is no longer in INHOUSE_SECRET_KEY, so it cannot be "
        "replied to. Your Inhouse admin can add that key back, after the current one."
    ]


@pytest.fixture
def rotated(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest, engine: Engine) -> Harness:
    """The app started with a new key first and the old one after it."""
    monkeypatch.setenv("INHOUSE_SECRET_KEY", f"{NEW_KEY},{KEY}")
    inhouse: Harness = request.getfixturevalue("inhouse")
    return inhouse


def test_with_a_rotated_key_a_link_made_with_the_old_key_still_reaches_the_author(rotated: Harness) -> None:
    inhouse = rotated
    row = give_feedback(inhouse, "U0SAM", anonymous=True)
    assert Keyring([NEW_KEY]).open(row.reply_link) == "U0SAM"  # new links: the first key
    _set_link(inhouse, row.id, Keyring([KEY]).seal("U0SAM"))  # a link of before the rotation
    _reply(inhouse, "U0ITMGR")
    assert len(_replies_to(inhouse, "U0SAM")) == 1


def _set_link(inhouse: Harness, feedback_id: int, link: str | None) -> None:
    with inhouse.session_scope() as session:
        row = session.get(Feedback, feedback_id)
        assert row is not None
        row.reply_link = link
        session.add(row)


# --- what comes back from Slack ---------------------------------------------------------------------------------

FORGED_METADATA = [
    "abc",
    "",
    "12345678901234567890123",
    '{"feedback": ',
    "[]",
    "null",
    '{"feedback": 12345678901234567890123, "ts": "1.000100"}',
    '{"feedback": -3, "ts": "1.000100"}',
    '{"feedback": true, "ts": "1.000100"}',
    '{"feedback": "abc", "ts": "1.000100"}',
    '{"feedback": 1.5, "ts": "1.000100"}',
    '{"feedback": {FEEDBACK}}',
    '{"feedback": {FEEDBACK}, "ts": "<!channel>"}',
    '{"feedback": {FEEDBACK}, "ts": 1.0001}',
    "[" * 2000,
]


@pytest.mark.parametrize("forged", FORGED_METADATA)
def test_a_reply_modal_whose_metadata_was_forged_gets_a_field_error_and_posts_nothing(
    keyed: Harness, forged: str
) -> None:
    inhouse = keyed
    row = give_feedback(inhouse, "U0SAM", anonymous=True)
    _open_reply(inhouse, "U0ITMGR")
    posted = len(inhouse.slack.calls_to("chat.postMessage"))
    response = _submit_reply(inhouse, "U0ITMGR", metadata=forged.replace("{FEEDBACK}", str(row.id)))
    assert response.status == 200
    assert response.json() == {
        "response_action": "errors",
        "errors": {
            BlockId.REPLY: "Inhouse does not recognise this reply form: close it and press Reply on the feedback again."
        },
    }
    assert len(inhouse.slack.calls_to("chat.postMessage")) == posted
    assert outbox_rows(inhouse) == []


def test_a_reply_modal_naming_another_feedback_that_does_not_exist_gets_a_field_error(keyed: Harness) -> None:
    inhouse = keyed
    give_feedback(inhouse, "U0SAM", anonymous=True)
    _open_reply(inhouse, "U0ITMGR")
    response = _submit_reply(inhouse, "U0ITMGR", metadata='{"feedback": 4503599627370496, "ts": "1.000100"}')
    assert response.json() == {
        "response_action": "errors",
        "errors": {BlockId.REPLY: "That feedback is no longer here."},
    }
    assert outbox_rows(inhouse) == []


def test_a_reply_modal_naming_another_channel_posts_the_note_where_the_feedback_went_only(keyed: Harness) -> None:
    inhouse = keyed
    row = give_feedback(inhouse, "U0SAM", anonymous=True)
    message = _feedback_message(inhouse)
    _open_reply(inhouse, "U0ITMGR")
    forged = json.dumps({"feedback": row.id, "channel": "C0EVIL", "ts": message["ts"]})
    response = _submit_reply(inhouse, "U0ITMGR", metadata=forged)
    assert (response.status, response.body) == (200, "")
    posted_in = sorted({call.args["channel"] for call in inhouse.slack.calls_to("chat.postMessage")})
    assert posted_in == ["C0IT", "U0SAM"]  # the feedback, the note under it; the reply
    assert len(inhouse.slack.replies("C0IT", message["ts"])) == 1


def test_a_reply_modal_of_a_department_the_submitter_does_not_manage_gets_a_field_error(keyed: Harness) -> None:
    inhouse = keyed
    row = give_feedback(inhouse, "U0SAM", anonymous=True)
    _open_reply(inhouse, "U0ITMGR")
    response = _submit_reply(inhouse, "U0HRMGR", metadata=json.dumps({"feedback": row.id, "ts": "1.000100"}))
    assert response.json()["errors"] == {BlockId.REPLY: "Only managers of IT Support can reply to its feedback."}
    assert outbox_rows(inhouse) == []


@pytest.mark.parametrize("value", ["abc", "", "12345678901234567890123", "-1", "0"])
def test_a_reply_button_with_a_forged_value_is_answered_privately_and_opens_nothing(keyed: Harness, value: str) -> None:
    inhouse = keyed
    give_feedback(inhouse, "U0SAM", anonymous=True)
    message = copy.deepcopy(_feedback_message(inhouse))
    message["blocks"][-2]["elements"][0]["value"] = value
    click = inhouse.signer.block_action(
        Action.FEEDBACK_REPLY, value, user_id="U0ITMGR", channel_id="C0IT", message=message
    ).send()
    assert click.status == 200
    assert inhouse.private_answers(click) == ["That feedback is no longer here."]
    assert len(inhouse.slack.calls_to("views.open")) == 1  # the /feedback modal only


def test_no_feedback_row_is_left_half_replied_by_a_forged_modal(keyed: Harness) -> None:
    inhouse = keyed
    row = give_feedback(inhouse, "U0SAM", anonymous=True)
    _open_reply(inhouse, "U0ITMGR")
    _submit_reply(inhouse, "U0ITMGR", metadata="abc")
    with inhouse.session_scope() as session:
        (stored,) = session.exec(select(Feedback))
    assert (stored.id, stored.replied_view) == (row.id, None)


def test_a_double_submit_seen_only_once_the_first_committed_is_still_one_reply(keyed: Harness, engine: Engine) -> None:
    """Two workers take the same submission: the second read the feedback before the first committed."""
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite runs one writer at a time: the second cannot read before the first commits")
    inhouse = keyed
    row = give_feedback(inhouse, "U0SAM", anonymous=True)
    with inhouse.session_scope() as second:
        feedback.reply_target(second, row.id, "U0ITMGR", Keyring([KEY]))  # read before the first commits
        with inhouse.session_scope() as first:
            assert feedback.first_reply_of_view(first, row.id, "V0TWICE")
        assert not feedback.first_reply_of_view(second, row.id, "V0TWICE")
