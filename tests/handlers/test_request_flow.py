"""Filing a request with /request: the modal, the card in the provider's channel, the requester's DM."""

from datetime import UTC, datetime
from typing import NoReturn

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.ids import Action, BlockId
from storage.models import Request, RequestEvent, UserHome
from tests.fakes.signing import static_select
from tests.handlers.harness import Harness


def test_request_opens_a_modal_listing_the_departments(inhouse: Harness) -> None:
    modal = inhouse.open_request_modal("U0SAM")
    view = modal.args["view"]
    department = next(b for b in view["blocks"] if b["block_id"] == BlockId.DEPARTMENT)
    assert view["callback_id"] == "request_modal"
    assert [o["value"] for o in department["element"]["options"]] == ["it", "hr", "sales"]
    assert "initial_option" not in department["element"]


def test_request_with_a_department_and_text_prefills_the_modal(inhouse: Harness) -> None:
    view = inhouse.open_request_modal("U0SAM", "it laptop won't boot").args["view"]
    blocks = {b["block_id"]: b for b in view["blocks"]}
    assert blocks[BlockId.DEPARTMENT]["element"]["initial_option"]["value"] == "it"
    assert blocks[BlockId.DESCRIPTION]["element"]["initial_value"] == "laptop won't boot"


def test_a_blank_description_gets_a_field_error_and_files_nothing(inhouse: Harness) -> None:
    modal = inhouse.open_request_modal("U0SAM")
    response = inhouse.submit_request_modal("U0SAM", modal, description="   ")
    assert response.status == 200
    assert response.json() == {
        "response_action": "errors",
        "errors": {BlockId.DESCRIPTION: "Say what you need: the description can't be blank."},
    }
    with inhouse.session_scope() as session:
        assert session.exec(select(Request)).all() == []


def test_submitting_posts_a_card_in_the_providers_channel(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM", description="Laptop won't boot", priority="high")
    message = inhouse.card_message(card)
    assert card.channel == "C0IT"
    assert message["blocks"][0]["text"]["text"] == f"*#{card.number}* · High priority · from <@U0SAM> (Sales)"
    assert message["blocks"][1]["text"]["text"] == "Laptop won't boot"


def test_the_card_shows_when_the_agreement_says_responses_are_due(inhouse: Harness) -> None:
    # Monday 10:00 in Berlin; 4h and 2 working days on a 09:00-17:00 calendar.
    card = inhouse.file_request("U0SAM")
    context = inhouse.card_message(card)["blocks"][-2]["elements"][0]["text"]
    first_response = int(datetime(2026, 11, 23, 13, 0, tzinfo=UTC).timestamp())  # Mon 14:00 in Berlin
    resolution = int(datetime(2026, 11, 25, 9, 0, tzinfo=UTC).timestamp())  # Wed 10:00 in Berlin
    assert f"First response due <!date^{first_response}^" in context
    assert f"Resolution due <!date^{resolution}^" in context


def test_the_request_is_stored_with_its_promise_and_creation_event(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM", priority="urgent")
    with inhouse.session_scope() as session:
        request = session.get(Request, card.number)
        events = session.exec(select(RequestEvent).where(RequestEvent.request_id == card.number)).all()
    assert request is not None
    assert request.promise is not None
    assert (request.promise["first_response"], request.promise["resolution"]) == ("30m", "4h")
    assert (request.card_channel, request.card_ts) == ("C0IT", card.ts)
    assert [(e.kind, e.actor_id) for e in events] == [("created", "U0SAM")]


def test_the_requester_gets_a_dm_with_the_number(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    (dm,) = inhouse.dms_to("U0SAM")
    assert dm["text"] == f"Your request #{card.number} to IT Support is filed."


def test_typed_mentions_and_links_are_escaped_on_the_card(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM", description="<!channel> urgent <https://x.example|click>")
    message = inhouse.card_message(card)
    assert message["blocks"][1]["text"]["text"] == "&lt;!channel&gt; urgent &lt;https://x.example|click&gt;"
    assert "<!channel>" not in message["text"]


def test_an_unknown_user_is_asked_for_their_department_once(inhouse: Harness) -> None:
    modal = inhouse.open_request_modal("U0NEW", "it")  # a bare /request shows them the departments first
    assert BlockId.REQUESTER_DEPARTMENT in {b["block_id"] for b in modal.args["view"]["blocks"]}
    own = {BlockId.REQUESTER_DEPARTMENT: {Action.REQUESTER_DEPARTMENT: static_select("hr")}}
    response = inhouse.submit_request_modal("U0NEW", modal, extra=own)
    assert response.status == 200
    inhouse.wait_quiet()
    with inhouse.session_scope() as session:
        assert session.get(UserHome, "U0NEW") == UserHome(user_id="U0NEW", department_id="hr")
    again = inhouse.open_request_modal("U0NEW")
    assert BlockId.REQUESTER_DEPARTMENT not in {b["block_id"] for b in again.args["view"]["blocks"]}


def test_a_known_user_is_not_asked_for_their_department(inhouse: Harness) -> None:
    modal = inhouse.open_request_modal("U0SAM")
    assert BlockId.REQUESTER_DEPARTMENT not in {b["block_id"] for b in modal.args["view"]["blocks"]}


def test_a_submission_while_the_database_is_down_keeps_the_text_and_asks_to_try_again(
    inhouse: Harness, engine: Engine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    modal = inhouse.open_request_modal("U0SAM")

    def refuse(*_args: object, **_kwargs: object) -> NoReturn:
        raise engine.dialect.loaded_dbapi.OperationalError("connection refused")

    engine.dispose()  # no connection left open: each new one is refused, as by a database that is down
    monkeypatch.setattr(engine.dialect, "connect", refuse)
    response = inhouse.submit_request_modal("U0SAM", modal, description="Laptop won't boot")
    assert response.json() == {
        "response_action": "errors",
        "errors": {BlockId.DESCRIPTION: "Inhouse cannot save requests right now. Please try again in a moment: "
                   "your text is still here."},
    }  # fmt: skip
    failures = [record for record in caplog.records if record.name == "handlers.requests"]
    assert [record.getMessage() for record in failures] == [
        "Could not file a request: the database failed (OperationalError)"
    ]

    monkeypatch.undo()  # the database is back: the same modal, submitted again, files the request
    inhouse.wait_quiet()
    with inhouse.session_scope() as session:
        assert session.exec(select(Request)).all() == []
    assert inhouse.submit_request_modal("U0SAM", modal, description="Laptop won't boot").body == ""
    inhouse.wait_quiet()
    with inhouse.session_scope() as session:
        assert [request.description for request in session.exec(select(Request))] == ["Laptop won't boot"]
