"""Signed but malformed payloads: every listener reads them without raising, and answers politely.

A click gets a private answer through its response_url, a modal a field error, and a payload that names no
listener (an unknown callback id, no action at all) Bolt's 404. Nothing is changed, and no log record says ERROR
or carries a traceback.
"""

import copy
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt.request import BoltRequest
from sqlmodel import select

from bot.ids import Action, BlockId, Callback
from handlers.refusals import UNREADABLE_CLICK, UNREADABLE_FORM
from storage.feedback_models import Rating
from storage.models import Request, RequestEvent
from storage.retro_models import RetroAction, RetroEntry
from tests.fakes.signing import AppResponse, SlackRequest
from tests.handlers.harness import Harness, Json
from tests.handlers.retro_kit import action_rows, add_action, tick, use_retro_org, utc

Payload = Json
Variant = Callable[[Payload], None]

CLICKS = [
    Action.ACKNOWLEDGE,
    Action.PAUSE,
    Action.RESUME,
    Action.REOPEN,
    Action.TAKE,
    Action.RESOLVE,
    Action.TRANSFER,
    Action.OPEN_CARD,
    Action.CHANGE_PRIORITY,
    "rate_service_3",
    "rate_request_5",
    Action.RATING_COMMENT,
    "retro_add_entry_went_well",
    Action.RETRO_ADD_ACTION,
    Action.RETRO_ACTION_DONE,
    Action.ANSWER,
]
MODALS = [
    Callback.REQUEST,
    Callback.RESOLVE,
    Callback.TRANSFER,
    Callback.PAUSE,
    Callback.ANSWER,
    Callback.RATING_COMMENT,
    Callback.RETRO_ENTRY,
    Callback.RETRO_ACTION,
]
FORGED_METADATA = ["abc", "", "1" * 23, "-1", "0", "{bad json", "[]", "null", '{"retro": "x"}', '{"retro": true}']
FORGED_METADATA += ['{"retro": 99999, "kind": "went_well"}', '{"retro": 1, "kind": "<!channel>"}', "99999", "1.5"]
FORGED_VALUES: list[Any] = ["abc", "", "1" * 23, "-1", "0", "1.5", " 1", "1:", ":went_well", "99999", "99999:high"]
FORGED_VALUES += ["1:nope", "abc:went_well", "1:<!channel>", 12, [1], {"a": 1}, None, True]
# every input of every modal, each with a value of the wrong type
WRONG_TYPES: Json = {
    str(block): {str(action): value}
    for block, action, value in [
        (BlockId.DEPARTMENT, Action.DEPARTMENT, {"type": "static_select", "selected_option": "it"}),
        (BlockId.PRIORITY, Action.PRIORITY, {"type": "static_select", "selected_option": {"value": 3}}),
        (BlockId.DESCRIPTION, Action.DESCRIPTION, {"type": "plain_text_input", "value": 5}),
        (BlockId.NEEDED_BY, Action.NEEDED_BY, {"type": "datepicker", "selected_date": 20261201}),
        (BlockId.REQUESTER_DEPARTMENT, Action.REQUESTER_DEPARTMENT, {"type": "static_select", "selected_option": []}),
        (BlockId.NOTE, Action.NOTE, {"type": "plain_text_input", "value": ["a"]}),
        (BlockId.COMMENT, Action.COMMENT, {"type": "plain_text_input", "value": {"a": 1}}),
        (BlockId.RETRO_TEXT, Action.RETRO_TEXT, {"type": "plain_text_input", "value": 5}),
        (BlockId.RETRO_SIGN, Action.RETRO_SIGN, {"type": "checkboxes", "selected_options": "sign"}),
        (BlockId.RETRO_OWNER, Action.RETRO_OWNER, {"type": "users_select", "selected_user": ["U0ALICE"]}),
        (BlockId.RETRO_DUE, Action.RETRO_DUE, {"type": "datepicker", "selected_date": "tomorrow"}),
    ]
}


@pytest.fixture
def shaky(inhouse: Harness) -> Harness:
    """The test org with IT's retro open; no request filed yet."""
    use_retro_org(inhouse)
    tick(inhouse, utc(2026, 11, 23, 9))
    tick(inhouse, utc(2026, 11, 27, 14))
    return inhouse


# --- payloads -------------------------------------------------------------------------------------------------


def _user(user_id: str = "U0ALICE") -> Json:
    return {"id": user_id, "username": "someone", "name": "someone", "team_id": "T0TEST"}


def click_payload(inhouse: Harness, action_id: str, value: Any = "1") -> Payload:
    action: Json = {"type": "button", "action_id": str(action_id), "block_id": "blk", "action_ts": "1764252000.000200"}
    if action_id == Action.CHANGE_PRIORITY:
        action = {**action, "type": "static_select", "selected_option": {"value": value, "text": {"text": "x"}}}
    else:
        action["value"] = value
    return {
        "type": "block_actions",
        "user": _user(),
        "api_app_id": "A0TEST",
        "trigger_id": inhouse.slack.new_trigger_id("U0ALICE"),
        "team": {"id": "T0TEST", "domain": "test"},
        "container": {"type": "message", "message_ts": "1764252000.000100", "channel_id": "C0IT"},
        "channel": {"id": "C0IT", "name": "c0it"},
        "message": {"type": "message", "ts": "1764252000.000100", "text": "", "blocks": []},
        "response_url": inhouse.slack.response_url(),
        "actions": [action],
    }


def modal_payload(callback: str, metadata: Any = "1", values: Json | None = None) -> Payload:
    return {
        "type": "view_submission",
        "team": {"id": "T0TEST", "domain": "test"},
        "user": _user(),
        "api_app_id": "A0TEST",
        "trigger_id": "1.2.3",
        "view": {
            "id": "V0FORGED01",
            "type": "modal",
            "callback_id": str(callback),
            "private_metadata": metadata,
            "state": {"values": values if values is not None else {}},
            "blocks": [],
        },
        "response_urls": [],
    }


def send(inhouse: Harness, payload: Payload) -> AppResponse:
    body = urlencode({"payload": json.dumps(payload)})
    return SlackRequest(body, "application/x-www-form-urlencoded", payload, signer=inhouse.signer).send()


def _without(*path: str) -> Variant:
    def change(payload: Payload) -> None:
        target = payload
        for key in path[:-1]:
            target = target[key]
        target.pop(path[-1], None)

    return change


def _setting(value: Any, *path: str) -> Variant:
    def change(payload: Payload) -> None:
        target = payload
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = copy.deepcopy(value)

    return change


CLICK_VARIANTS: dict[str, Variant] = {
    "no user": _without("user"),
    "user not an object": _setting(5, "user"),
    "user without id": _setting({"name": "x"}, "user"),
    "user id forged": _setting({"id": "U1> <!channel"}, "user"),
    "user id a number": _setting({"id": 5}, "user"),
    "no actions": _without("actions"),
    "empty actions": _setting([], "actions"),
    "actions not a list": _setting("x", "actions"),
    "action not an object": _setting(["x"], "actions"),
    "action without id": _setting([{"value": "1"}], "actions"),
    "no channel": _without("channel"),
    "channel not an object": _setting("C0IT", "channel"),
    "no message": _without("message"),
    "message ts forged": _setting({"ts": "<!channel>"}, "message"),
    "no trigger": _without("trigger_id"),
    "trigger not text": _setting(5, "trigger_id"),
    "no response_url": _without("response_url"),
    "response_url not a url": _setting("abc", "response_url"),
    "type not text": _setting(5, "type"),
    "no action_ts": _without("actions", 0, "action_ts"),  # type: ignore[arg-type]
    "selected_option missing": _without("actions", 0, "selected_option"),  # type: ignore[arg-type]
    "selected_option not an object": _setting("1:high", "actions", 0, "selected_option"),  # type: ignore[arg-type]
}
MODAL_VARIANTS: dict[str, Variant] = {
    "no user": _without("user"),
    "user id forged": _setting({"id": "<!channel>"}, "user"),
    "no view id": _without("view", "id"),
    "view id forged": _setting("<!here>", "view", "id"),
    "no state": _without("view", "state"),
    "state not an object": _setting("x", "view", "state"),
    "no values": _without("view", "state", "values"),
    "values a list": _setting([], "view", "state", "values"),
    "blocks not objects": _setting({"description": "x", "note": 5}, "view", "state", "values"),
    "inputs of the wrong type": _setting(WRONG_TYPES, "view", "state", "values"),
    "no metadata": _without("view", "private_metadata"),
    "metadata a number": _setting(12, "view", "private_metadata"),
    "metadata an object": _setting({"retro": 1}, "view", "private_metadata"),
    "view not an object": _setting("x", "view"),
    "view without callback_id": _without("view", "callback_id"),
    "callback_id not text": _setting(5, "view", "callback_id"),
    "response_urls not a list": _setting("x", "response_urls"),
    "response_urls of text": _setting(["x"], "response_urls"),
}


# Bolt reads these parts to route a payload, unchecked: the gate answers 400 before Bolt fails on them.
UNROUTABLE = {
    "user not an object",
    "actions not a list",
    "empty actions",
    "action not an object",
    "action without id",
    "type not text",
    "view not an object",
    "view without callback_id",
    "callback_id not text",
    "response_urls not a list",
    "response_urls of text",
}
UNHANDLED = {"no actions"}  # no listener is for it: Bolt's 404


def _status(name: str) -> int:
    return 400 if name in UNROUTABLE else 404 if name in UNHANDLED else 200


def _click_cases(inhouse: Harness, action_id: str) -> Iterator[tuple[str, Payload]]:
    for value in FORGED_VALUES:
        yield f"value {value!r}", click_payload(inhouse, action_id, value)
    for name, change in CLICK_VARIANTS.items():
        payload = click_payload(inhouse, action_id)
        try:
            change(payload)
        except (KeyError, IndexError):  # the variant is about a field this click does not have
            continue
        yield name, payload


def _modal_cases(callback: str) -> Iterator[tuple[str, Payload]]:
    for metadata in FORGED_METADATA:
        yield f"metadata {metadata!r}", modal_payload(callback, metadata, WRONG_TYPES)
        yield f"metadata {metadata!r}, empty form", modal_payload(callback, metadata)
    for name, change in MODAL_VARIANTS.items():
        payload = modal_payload(callback)
        change(payload)
        yield name, payload


def _assert_answered_without_errors(
    inhouse: Harness, caplog: pytest.LogCaptureFixture, cases: Iterator[tuple[str, Payload]]
) -> None:
    """Each case answered with its status (200 but for the unroutable and the unhandled), none logging an error."""
    wrong = []
    for name, payload in cases:
        caplog.clear()
        response = send(inhouse, payload)
        inhouse.wait_quiet()
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
        if response.status != _status(name) or errors:
            wrong.append((name, response.status, [r.getMessage() for r in errors]))
    assert wrong == []


def _nothing_changed(inhouse: Harness) -> None:
    with inhouse.session_scope() as session:
        for table in (Request, RequestEvent, RetroEntry, RetroAction):
            assert session.exec(select(table)).all() == [], table


# --- every listener, a table of malformed payloads -----------------------------------------------------------


@pytest.mark.parametrize("action_id", CLICKS)
def test_every_click_listener_answers_malformed_clicks_without_an_error(
    shaky: Harness, caplog: pytest.LogCaptureFixture, action_id: str
) -> None:
    with caplog.at_level(logging.INFO):
        _assert_answered_without_errors(shaky, caplog, _click_cases(shaky, action_id))
    _nothing_changed(shaky)


@pytest.mark.parametrize("callback", MODALS)
def test_every_modal_listener_answers_malformed_submissions_without_an_error(
    shaky: Harness, caplog: pytest.LogCaptureFixture, callback: str
) -> None:
    with caplog.at_level(logging.INFO):
        _assert_answered_without_errors(shaky, caplog, _modal_cases(callback))
    _nothing_changed(shaky)


def _event(inhouse: Harness, event: Any) -> Payload:
    return inhouse.signer.event({"type": "message"}).payload | {"event": event}


EVENTS: list[tuple[Any, int]] = [  # (event, status): Bolt acks events before its listener runs
    ({"type": "app_home_opened"}, 200),
    ({"type": "app_home_opened", "user": 5}, 400),
    ({"type": "app_home_opened", "user": "U1> <!channel>"}, 200),
    ({"type": "app_home_opened", "user": {"id": "U0ALICE"}}, 200),
    ({"type": "app_home_opened", "user": "U0ALICE", "tab": 5}, 200),
    ({"type": "message", "user": "U0BOB", "text": "hi", "ts": "1.2", "thread_ts": "1.1"}, 200),
    ({"type": "message", "user": "U0BOB", "channel": "C0IT", "ts": "1.2", "thread_ts": 5}, 200),
    ({"type": "message", "user": {"id": "U0BOB"}, "channel": "C0IT", "ts": "1.2", "thread_ts": "1.1"}, 200),
    ({"type": "message", "user": "U0BOB", "channel": ["C0IT"], "ts": "1.2", "thread_ts": "1.1"}, 400),
    ({"type": "message", "user": "U0BOB", "channel": "C0IT", "ts": "1.2", "thread_ts": "99999.1"}, 200),
    ({"type": 5}, 400),
    ({}, 400),
    ("app_home_opened", 400),
    (["app_home_opened"], 400),
]


def test_malformed_events_are_answered_without_an_error(shaky: Harness, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        wrong = []
        for event, status in EVENTS:
            caplog.clear()
            payload = _event(shaky, event)
            response = SlackRequest(json.dumps(payload), "application/json", payload, signer=shaky.signer).send()
            shaky.wait_quiet()
            errors = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
            if response.status != status or errors:
                wrong.append((event, response.status, [r.getMessage() for r in errors]))
    assert wrong == []
    assert shaky.slack.calls_to("views.publish") == []


@pytest.mark.parametrize(
    "change",
    [
        {"user_id": None},
        {"user_id": "<!channel>"},
        {"trigger_id": None},
        {"text": None},
    ],
)
def test_a_malformed_request_command_gets_a_private_answer(
    shaky: Harness, caplog: pytest.LogCaptureFixture, change: dict[str, str | None]
) -> None:
    command = shaky.signer.command("/request", "it hello", user_id="U0SAM")
    fields = {key: value for key, value in {**command.payload, **change}.items() if value is not None}
    request = SlackRequest(urlencode(fields), command.content_type, fields, signer=shaky.signer)
    with caplog.at_level(logging.INFO):
        response = request.send()
        shaky.wait_quiet()
    assert response.status == 200
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    if "text" in change:  # a command without text is an empty one: the modal opens
        assert len(shaky.slack.calls_to("views.open")) == 1
    else:
        assert shaky.private_answers(response) == [UNREADABLE_CLICK]
        assert shaky.slack.calls_to("views.open") == []


# --- what people are told -----------------------------------------------------------------------------------


def test_a_click_with_a_forged_value_is_answered_privately_and_changes_nothing(shaky: Harness) -> None:
    card = shaky.file_request("U0SAM")
    before = shaky.card_message(card)
    for value in ("abc", "", "1" * 23, "-1"):
        payload = click_payload(shaky, Action.ACKNOWLEDGE, value)
        response = send(shaky, payload)
        assert response.status == 200
        assert shaky.private_answers(response) == [UNREADABLE_CLICK]
    assert shaky.card_message(card) == before
    with shaky.session_scope() as session:
        assert [event.kind for event in session.exec(select(RequestEvent))] == ["created"]


def test_a_click_on_a_request_that_does_not_exist_says_so(shaky: Harness) -> None:
    response = send(shaky, click_payload(shaky, Action.ACKNOWLEDGE, "99999"))
    assert shaky.private_answers(response) == ["There is no request #99999."]


def test_a_click_without_a_user_is_answered_privately(shaky: Harness) -> None:
    card = shaky.file_request("U0SAM")
    payload = click_payload(shaky, Action.ACKNOWLEDGE, str(card.number))
    del payload["user"]
    response = send(shaky, payload)
    assert response.status == 200
    assert shaky.private_answers(response) == [UNREADABLE_CLICK]


@pytest.mark.parametrize(
    ("actions", "status"),
    [(None, 404), ([{"action_id": "nobody_listens", "value": "1"}], 404), ([], 400), ("x", 400), ([{}], 400)],
)
def test_a_click_on_no_action_or_an_unknown_one_is_a_404_and_one_bolt_cannot_route_a_400(
    shaky: Harness, caplog: pytest.LogCaptureFixture, actions: Any, status: int
) -> None:
    payload = click_payload(shaky, Action.ACKNOWLEDGE)
    if actions is None:
        del payload["actions"]
    else:
        payload["actions"] = actions
    with caplog.at_level(logging.INFO):
        response = send(shaky, payload)
    assert response.status == status
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


def test_a_priority_change_without_a_selected_option_is_answered_privately(shaky: Harness) -> None:
    payload = click_payload(shaky, Action.CHANGE_PRIORITY, "1:high")
    del payload["actions"][0]["selected_option"]
    response = send(shaky, payload)
    assert (response.status, shaky.private_answers(response)) == (200, [UNREADABLE_CLICK])


@pytest.mark.parametrize("metadata", ["abc", "", "1" * 23, "{bad json", "12abc"])
@pytest.mark.parametrize(
    ("callback", "block", "values"),
    [
        (Callback.RESOLVE, BlockId.NOTE, {"note": {"note": {"type": "plain_text_input", "value": "Done"}}}),
        (Callback.TRANSFER, BlockId.DEPARTMENT, {"department": {"department": {"selected_option": {"value": "hr"}}}}),
        (Callback.RATING_COMMENT, BlockId.COMMENT, {"comment": {"comment": {"value": "Great"}}}),
        (Callback.RETRO_ENTRY, BlockId.RETRO_TEXT, {"retro_text": {"retro_text": {"value": "Good"}}}),
    ],
)
def test_a_modal_with_forged_metadata_gets_a_field_error(
    shaky: Harness, callback: str, block: str, values: Json, metadata: str
) -> None:
    response = send(shaky, modal_payload(callback, metadata, values))
    assert (response.status, response.json()) == (
        200,
        {"response_action": "errors", "errors": {block: UNREADABLE_FORM}},
    )
    _nothing_changed(shaky)


@pytest.mark.parametrize(
    ("callback", "block", "values"),
    [
        (Callback.RESOLVE, BlockId.NOTE, {"note": {"note": {"type": "plain_text_input", "value": "Done"}}}),
        (Callback.TRANSFER, BlockId.DEPARTMENT, {"department": {"department": {"selected_option": {"value": "hr"}}}}),
        (Callback.RATING_COMMENT, BlockId.COMMENT, {"comment": {"comment": {"value": "Great"}}}),
    ],
)
def test_a_modal_about_a_request_that_does_not_exist_says_so(
    shaky: Harness, callback: str, block: str, values: Json
) -> None:
    response = send(shaky, modal_payload(callback, "99999", values))
    assert response.status == 200
    errors = response.json()["errors"]
    assert list(errors) == [block]
    assert "#99999" in errors[block]


def test_a_retro_modal_naming_a_retro_that_does_not_exist_says_so(shaky: Harness) -> None:
    values = {"retro_text": {"retro_text": {"value": "Good"}}}
    response = send(shaky, modal_payload(Callback.RETRO_ENTRY, '{"retro": 99999, "kind": "went_well"}', values))
    assert response.json() == {
        "response_action": "errors",
        "errors": {BlockId.RETRO_TEXT: "That retrospective is no longer here."},
    }


def test_a_submission_without_state_gets_a_field_error(shaky: Harness) -> None:
    payload = modal_payload(Callback.REQUEST)
    del payload["view"]["state"]
    response = send(shaky, payload)
    assert response.json() == {"response_action": "errors", "errors": {BlockId.DESCRIPTION: UNREADABLE_FORM}}


def test_a_submission_of_an_unknown_modal_is_a_404(shaky: Harness) -> None:
    assert send(shaky, modal_payload("nobody_listens")).status == 404


def test_a_rating_click_that_names_another_message_changes_neither_it_nor_the_rating(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    opened = len(inhouse.slack.calls_to("views.open"))
    inhouse.click(card, Action.RESOLVE, "U0ALICE")
    view_id = inhouse.slack.wait_for("views.open", count=opened + 1)[-1].response["view"]["id"]
    values = {str(BlockId.NOTE): {str(Action.NOTE): {"type": "plain_text_input", "value": "Done"}}}
    inhouse.signer.view_submission(Callback.RESOLVE, values, user_id="U0ALICE", view_id=view_id).send()
    inhouse.wait_quiet()
    prompt, before = inhouse.dms_to("U0SAM")[-1], inhouse.card_message(card)
    forged = inhouse.signer.block_action(  # the prompt's button, but said to be clicked on the card
        "rate_service_1", str(card.number), user_id="U0SAM", channel_id=card.channel, message=prompt, message_ts=card.ts
    ).send()
    assert inhouse.private_answers(forged) == [
        f"That was not the rating prompt of #{card.number}: nothing was changed."
    ]
    assert inhouse.card_message(card) == before
    with inhouse.session_scope() as session:
        assert [rating.score for rating in session.exec(select(Rating))] == [None, None]


def test_mark_done_clicked_on_another_message_changes_nothing(shaky: Harness) -> None:
    add_action(shaky, "Document the VPN", owner="U0ALICE")
    (dm,) = shaky.dms_to("U0ALICE")
    prompt = shaky.slack.messages("C0IT")[0]
    forged = shaky.signer.block_action(
        Action.RETRO_ACTION_DONE, user_id="U0ALICE", channel_id="C0IT", message=dm, message_ts=prompt["ts"]
    ).send()
    assert shaky.private_answers(forged) == ["That was not a message about this action item: nothing was changed."]
    (row,) = action_rows(shaky)
    assert row.status == "open"
    assert shaky.slack.messages("C0IT")[0] == prompt


@pytest.mark.parametrize(
    "body",
    [
        {"type": "event_callback", "event": "app_home_opened"},
        {"type": "event_callback", "event": ["message"]},
    ],
)
def test_without_the_gate_a_payload_bolt_cannot_route_is_a_404_without_a_traceback(
    inhouse: Harness, caplog: pytest.LogCaptureFixture, body: Json
) -> None:
    """Socket Mode has no gate: what Bolt trips over in its own middleware reaches the app's error handler (404).

    Not all of it: Bolt fails again building the error handler's arguments for an empty ``actions``, for one.
    Over HTTP the gate turns all of it away first; over Socket Mode only Slack itself can send a payload.
    """
    with caplog.at_level(logging.INFO):
        response = inhouse.running.app.dispatch(BoltRequest(body=body, mode="socket_mode"))
    assert response.status == 404
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
