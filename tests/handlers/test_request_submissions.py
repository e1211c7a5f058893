"""What a modal's submission may not do: file a request twice, or keep text over the input's maximum length.

A double submit while Slack is slow sends the same view (same view id) twice: the second submission answers like
the first and files nothing. Every text input's ``max_length`` is checked on the server too, with a field error
that says the limit; text is never stored cut, nor in full.
"""

import threading
from typing import Any

import pytest
from sqlmodel import col, select

from bot.ids import Action, BlockId, Callback
from storage.feedback_models import Rating
from storage.models import Request, RequestEvent
from storage.retro_models import RetroAction, RetroEntry
from tests.fakes.signing import AppResponse, checkboxes, datepicker, plain_value, static_select, users_select
from tests.handlers.harness import Card, Harness
from tests.handlers.retro_kit import tick, use_retro_org, utc


def _requests(inhouse: Harness) -> list[Request]:
    with inhouse.session_scope() as session:
        return list(session.exec(select(Request).order_by(col(Request.id))))


# --- one view, one request -------------------------------------------------------------------------------------


def test_the_same_request_modal_submitted_twice_files_one_request(inhouse: Harness) -> None:
    modal = inhouse.open_request_modal("U0SAM")
    first = inhouse.submit_request_modal("U0SAM", modal)
    inhouse.wait_quiet()
    second = inhouse.submit_request_modal("U0SAM", modal)
    inhouse.wait_quiet()
    assert (first.status, first.body) == (second.status, second.body) == (200, "")
    (request,) = _requests(inhouse)
    assert request.view_id == modal.response["view"]["id"]
    assert len(inhouse.slack.messages("C0IT")) == 1  # one card
    assert len(inhouse.dms_to("U0SAM")) == 1  # one confirmation
    with inhouse.session_scope() as session:
        assert [event.kind for event in session.exec(select(RequestEvent))] == ["created"]


def test_a_double_submit_at_the_same_moment_files_one_request(inhouse: Harness) -> None:
    modal = inhouse.open_request_modal("U0SAM")
    answers: list[AppResponse] = []
    start = threading.Barrier(4)

    def submit() -> None:
        start.wait()
        answers.append(inhouse.submit_request_modal("U0SAM", modal))

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    inhouse.wait_quiet()
    assert [(answer.status, answer.body) for answer in answers] == [(200, "")] * 4
    assert len(_requests(inhouse)) == 1
    assert len(inhouse.slack.messages("C0IT")) == 1


def test_a_submission_refused_for_a_field_error_files_when_corrected(inhouse: Harness) -> None:
    modal = inhouse.open_request_modal("U0SAM")
    assert inhouse.submit_request_modal("U0SAM", modal, description=" ").json()["response_action"] == "errors"
    assert inhouse.submit_request_modal("U0SAM", modal, description="VPN down").body == ""
    assert [request.description for request in _requests(inhouse)] == ["VPN down"]


def test_two_modals_file_two_requests(inhouse: Harness) -> None:
    first, second = inhouse.open_request_modal("U0SAM"), inhouse.open_request_modal("U0SAM")
    inhouse.submit_request_modal("U0SAM", first)
    inhouse.submit_request_modal("U0SAM", second)
    assert len({request.view_id for request in _requests(inhouse)}) == 2


# --- maximum lengths -------------------------------------------------------------------------------------------


def _errors(response: AppResponse) -> dict[str, str]:
    assert response.status == 200
    body = response.json()
    assert body["response_action"] == "errors"
    errors: dict[str, str] = body["errors"]
    return errors


def test_a_description_over_the_modals_maximum_is_a_field_error_and_nothing_is_stored(inhouse: Harness) -> None:
    modal = inhouse.open_request_modal("U0SAM")
    response = inhouse.submit_request_modal("U0SAM", modal, description="x" * 40_000)
    assert _errors(response) == {BlockId.DESCRIPTION: "Keep it under 2,000 characters: this has 40,000."}
    assert _requests(inhouse) == []


def test_a_description_of_exactly_the_maximum_is_filed_whole(inhouse: Harness) -> None:
    inhouse.file_request("U0SAM", description="y" * 2000)
    (request,) = _requests(inhouse)
    assert request.description == "y" * 2000


def _open_on_card(inhouse: Harness, card: Card, action: Action, user: str = "U0ALICE") -> str:
    opened = len(inhouse.slack.calls_to("views.open"))
    inhouse.click(card, action, user)
    return str(inhouse.slack.wait_for("views.open", count=opened + 1)[-1].response["view"]["id"])


def _submit(inhouse: Harness, view_id: str, callback: Callback, values: dict[Any, Any], user: str) -> AppResponse:
    plain = {str(block): {str(action): value for action, value in inputs.items()} for block, inputs in values.items()}
    return inhouse.signer.view_submission(callback, plain, user_id=user, view_id=view_id).send()


def test_a_resolution_note_over_the_maximum_is_a_field_error(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    view_id = _open_on_card(inhouse, card, Action.RESOLVE)
    values = {BlockId.NOTE: {Action.NOTE: plain_value("n" * 1001)}}
    response = _submit(inhouse, view_id, Callback.RESOLVE, values, "U0ALICE")
    assert _errors(response) == {BlockId.NOTE: "Keep it under 1,000 characters: this has 1,001."}
    (request,) = _requests(inhouse)
    assert (request.state, request.resolution_note) == ("open", None)


def test_a_transfer_note_over_the_maximum_is_a_field_error(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    view_id = _open_on_card(inhouse, card, Action.TRANSFER)
    values = {
        BlockId.DEPARTMENT: {Action.DEPARTMENT: static_select("hr")},
        BlockId.NOTE: {Action.NOTE: plain_value("n" * 5000)},
    }
    response = _submit(inhouse, view_id, Callback.TRANSFER, values, "U0ALICE")
    assert _errors(response) == {BlockId.NOTE: "Keep it under 1,000 characters: this has 5,000."}
    assert [request.provider_id for request in _requests(inhouse)] == ["it"]


def test_a_rating_comment_over_the_maximum_is_a_field_error(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    view_id = _open_on_card(inhouse, card, Action.RESOLVE)
    _submit(inhouse, view_id, Callback.RESOLVE, {BlockId.NOTE: {Action.NOTE: plain_value("Done")}}, "U0ALICE")
    inhouse.wait_quiet()
    prompt = inhouse.dms_to("U0SAM")[-1]
    opened = len(inhouse.slack.calls_to("views.open"))
    inhouse.signer.block_action(
        Action.RATING_COMMENT,
        str(card.number),
        user_id="U0SAM",
        channel_id=inhouse.slack.dm_channel("U0SAM"),
        message_ts=prompt["ts"],
    ).send()
    comment_view = str(inhouse.slack.wait_for("views.open", count=opened + 1)[-1].response["view"]["id"])
    values = {BlockId.COMMENT: {Action.COMMENT: plain_value("c" * 3000)}}
    response = _submit(inhouse, comment_view, Callback.RATING_COMMENT, values, "U0SAM")
    assert _errors(response) == {BlockId.COMMENT: "Keep it under 1,000 characters: this has 3,000."}
    with inhouse.session_scope() as session:
        assert [rating.comment for rating in session.exec(select(Rating))] == [None, None]


@pytest.fixture
def retro_open(inhouse: Harness) -> Harness:
    use_retro_org(inhouse)
    tick(inhouse, utc(2026, 11, 23, 9))
    tick(inhouse, utc(2026, 11, 27, 14))
    return inhouse


def _retro_modal(inhouse: Harness, action_id: str) -> str:
    (prompt,) = [m for m in inhouse.slack.messages("C0IT") if m["text"].startswith("Retrospective: ")]
    opened = len(inhouse.slack.calls_to("views.open"))
    inhouse.signer.block_action(action_id, user_id="U0BOB", channel_id="C0IT", message_ts=prompt["ts"]).send()
    return str(inhouse.slack.wait_for("views.open", count=opened + 1)[-1].response["view"]["id"])


def test_a_retro_entry_over_the_maximum_is_a_field_error(retro_open: Harness) -> None:
    view_id = _retro_modal(retro_open, f"{Action.RETRO_ADD_ENTRY}_went_well")
    values = {
        BlockId.RETRO_TEXT: {Action.RETRO_TEXT: plain_value("e" * 2001)},
        BlockId.RETRO_SIGN: {Action.RETRO_SIGN: checkboxes([])},
    }
    response = _submit(retro_open, view_id, Callback.RETRO_ENTRY, values, "U0BOB")
    assert _errors(response) == {BlockId.RETRO_TEXT: "Keep it under 2,000 characters: this has 2,001."}
    with retro_open.session_scope() as session:
        assert session.exec(select(RetroEntry)).all() == []


def test_a_retro_action_item_over_the_maximum_is_a_field_error(retro_open: Harness) -> None:
    view_id = _retro_modal(retro_open, Action.RETRO_ADD_ACTION)
    values = {
        BlockId.RETRO_TEXT: {Action.RETRO_TEXT: plain_value("a" * 40_000)},
        BlockId.RETRO_OWNER: {Action.RETRO_OWNER: users_select("U0ALICE")},
        BlockId.RETRO_DUE: {Action.RETRO_DUE: datepicker("2026-12-04")},
    }
    response = _submit(retro_open, view_id, Callback.RETRO_ACTION, values, "U0BOB")
    assert _errors(response) == {BlockId.RETRO_TEXT: "Keep it under 2,000 characters: this has 40,000."}
    with retro_open.session_scope() as session:
        assert session.exec(select(RetroAction)).all() == []


def test_a_retro_entry_of_the_maximum_length_is_shown_whole_in_the_summary(retro_open: Harness) -> None:
    view_id = _retro_modal(retro_open, f"{Action.RETRO_ADD_ENTRY}_went_well")
    text = "word " * 399 + "last"  # 1,999 characters
    values = {BlockId.RETRO_TEXT: {Action.RETRO_TEXT: plain_value(text)}}
    assert _submit(retro_open, view_id, Callback.RETRO_ENTRY, values, "U0BOB").body == ""
    tick(retro_open, utc(2026, 12, 1, 14))
    (prompt,) = [m for m in retro_open.slack.messages("C0IT") if m["text"].startswith("Retrospective: ")]
    (summary,) = retro_open.slack.replies("C0IT", prompt["ts"])
    assert f"*Went well (1)*\n• {text}" in [block["text"]["text"] for block in summary["blocks"]]
