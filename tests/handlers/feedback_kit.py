"""Giving feedback, resolving and rating the way people do in Slack, for the feedback tests."""

from typing import Any

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine
from sqlmodel import col, select

from bot.ids import Action, BlockId, Callback
from bot.org.apply import apply_org
from bot.org.model import load_org_text
from storage import outbox
from storage.feedback_models import Feedback, Rating
from storage.models import Outbox
from tests.fakes.signing import AppResponse, checkboxes, plain_value, radio_buttons, static_select
from tests.fakes.slack_api import Call
from tests.handlers.harness import Card, Harness, Json, Values
from tests.orgs import TEST_ORG

SECRET_TEXT = "The <b>printer</b> & I are enemies"
KEY = Fernet.generate_key().decode()
OLD_KEY = Fernet.generate_key().decode()


@pytest.fixture
def keyed(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest, engine: Engine) -> Harness:
    """The app with INHOUSE_SECRET_KEY set (KEY), as an operator sets it in the environment before starting it.

    (``engine`` is asked for here so that the test runs once per database, as ``inhouse`` does.)
    """
    monkeypatch.setenv("INHOUSE_SECRET_KEY", KEY)
    inhouse: Harness = request.getfixturevalue("inhouse")
    return inhouse


@pytest.fixture
def keyless(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest, engine: Engine) -> Harness:
    """The app without INHOUSE_SECRET_KEY (empty counts as unset, and hides any .env's)."""
    monkeypatch.setenv("INHOUSE_SECRET_KEY", "")
    inhouse: Harness = request.getfixturevalue("inhouse")
    return inhouse


def reorganize(inhouse: Harness, *, replace: dict[str, str]) -> None:
    """Apply the test org with some of its text replaced, e.g. a lower anonymity_min."""
    text = TEST_ORG
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    with inhouse.session_scope() as session:
        apply_org(session, load_org_text(text, "test-org.toml"))


def open_feedback_modal(inhouse: Harness, user: str, text: str = "") -> Call:
    opened = len(inhouse.slack.calls_to("views.open"))
    response = inhouse.signer.command("/feedback", text, user_id=user).send()
    assert response.status == 200
    modal = inhouse.slack.wait_for("views.open", count=opened + 1)[-1]
    assert not modal.failed, modal.response
    return modal


def feedback_values(
    *,
    department: str | None = "it",
    request: str | None = None,
    rating: str | None = "4",
    went_well: str | None = "Quick fix",
    could_be_better: str | None = None,
    anonymous: bool = False,
) -> dict[str, dict[str, Json]]:
    return {
        BlockId.DEPARTMENT: {Action.DEPARTMENT: static_select(department)},
        BlockId.FEEDBACK_REQUEST: {Action.FEEDBACK_REQUEST: plain_value(request)},
        BlockId.RATING: {Action.RATING: radio_buttons(rating)},
        BlockId.WENT_WELL: {Action.WENT_WELL: plain_value(went_well)},
        BlockId.COULD_BE_BETTER: {Action.COULD_BE_BETTER: plain_value(could_be_better)},
        BlockId.ANONYMOUS: {Action.ANONYMOUS: checkboxes(["anonymous"] if anonymous else [])},
    }


def submit_feedback(inhouse: Harness, user: str, modal: Call, **fields: Any) -> AppResponse:
    values = feedback_values(**fields)
    view_id = modal.response["view"]["id"]
    return inhouse.signer.view_submission(Callback.FEEDBACK, values, user_id=user, view_id=view_id).send()


def feedback_ids(inhouse: Harness) -> set[int]:
    with inhouse.session_scope() as session:
        return set(session.exec(select(Feedback.id)))


def give_feedback(inhouse: Harness, user: str = "U0SAM", **fields: Any) -> Feedback:
    """Send feedback through the modal; its row. Signed, the modal closes; anonymous, it says it was sent."""
    before = feedback_ids(inhouse)
    response = submit_feedback(inhouse, user, open_feedback_modal(inhouse, user), **fields)
    assert response.status == 200, response.body
    if fields.get("anonymous"):
        assert response.json()["response_action"] == "update", response.body
        assert response.json()["view"]["title"]["text"] == "Sent anonymously"
    else:
        assert response.body == ""
    inhouse.wait_quiet()
    (new,) = feedback_ids(inhouse) - before
    with inhouse.session_scope() as session:
        row = session.get(Feedback, new)
        assert row is not None
        return row


def submit_view(inhouse: Harness, user: str, callback: Callback, values: Values) -> AppResponse:
    """Submit the modal the app opened last."""
    modal = inhouse.slack.calls_to("views.open")[-1]
    plain = {str(block): {str(action): value for action, value in inputs.items()} for block, inputs in values.items()}
    return inhouse.signer.view_submission(callback, plain, user_id=user, view_id=modal.response["view"]["id"]).send()


def resolve(inhouse: Harness, card: Card, user: str = "U0ALICE", note: str = "Replaced the disk") -> None:
    opened = len(inhouse.slack.calls_to("views.open"))
    inhouse.click(card, Action.RESOLVE, user)
    inhouse.slack.wait_for("views.open", count=opened + 1)
    response = submit_view(inhouse, user, Callback.RESOLVE, {BlockId.NOTE: {Action.NOTE: plain_value(note)}})
    assert (response.status, response.body) == (200, "")
    inhouse.wait_quiet()


def click_in(inhouse: Harness, channel: str, message: Json, action_id: str, user: str) -> AppResponse:
    """Click a button of a message the app posted (a prompt, a feedback message)."""
    value = next(
        element["value"]
        for block in message["blocks"]
        for element in block.get("elements", [])
        if element.get("action_id") == action_id
    )
    response = inhouse.signer.block_action(
        action_id, value, user_id=user, channel_id=channel, message_ts=message["ts"]
    ).send()
    inhouse.wait_quiet()
    return response


def ratings(inhouse: Harness, number: int) -> list[tuple[str, int | None, str | None, str | None]]:
    with inhouse.session_scope() as session:
        rows = session.exec(select(Rating).where(Rating.request_id == number).order_by(col(Rating.direction)))
        return [(row.direction, row.score, row.rater_id, row.comment) for row in rows]


def outbox_rows(inhouse: Harness) -> list[Outbox]:
    """Every message owed to Slack so far, whatever became of it, in the order it was owed."""
    with inhouse.session_scope() as session:
        statuses = (outbox.PENDING, outbox.SENDING, outbox.SENT, outbox.DEAD)
        rows = [row for status in statuses for row in outbox.by_status(session, status)]
    return sorted(rows, key=lambda row: row.id or 0)
