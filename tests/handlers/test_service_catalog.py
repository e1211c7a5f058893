"""The service catalog in the request modal: the department, then its service, then that service's fields, each
choice updating the open modal in place; the request keeps the service and the answers, and its card shows them."""

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import select

from bot.ids import Action, BlockId, Callback
from bot.org.apply import apply_org
from bot.org.model import load_org_text
from storage.models import Request
from tests.fakes import block_limits
from tests.fakes.signing import AppResponse, datepicker, plain_value, static_select, users_select
from tests.fakes.slack_api import Call
from tests.handlers.harness import Harness, Values
from tests.orgs import TEST_ORG

CATALOG = """
[[services]]
department = "it"
id = "laptop"
name = "New laptop"
description = "A laptop for a new or current employee <3"
priority = "high"
resolution = "5d"
requester_provides = ["Your cost centre", "Your manager's approval"]

[[services.fields]]
id = "model"
label = "Model"
type = "select"
options = ["MacBook Air", "ThinkPad X1"]
required = true

[[services.fields]]
id = "for"
label = "For whom"
type = "user"

[[services.fields]]
id = "start"
label = "Start date"
type = "date"

[[services.fields]]
id = "notes"
label = "Anything else"
type = "long_text"

[[services.fields]]
id = "count"
label = "How many"
type = "number"

[[services]]
department = "it"
id = "vpn"
name = "VPN access"

[[services.fields]]
id = "reason"
label = "Why"
type = "text"
required = true
"""


@pytest.fixture
def catalog(inhouse: Harness) -> Harness:
    with inhouse.session_scope() as session:
        apply_org(session, load_org_text(TEST_ORG + CATALOG, "org.toml"))
    return inhouse


def _choose(inhouse: Harness, user: str, view_id: str, action: Action, value: str, **values: Any) -> dict[str, Any]:
    """Choose ``value`` in the modal's ``action`` select (the block it is in); the view as the app updated it."""
    updates = len(inhouse.slack.calls_to("views.update"))
    blocks = inhouse.slack.view(view_id)["blocks"]
    block_id = next(b["block_id"] for b in blocks if b.get("element", {}).get("action_id") == action)
    request = inhouse.signer.block_action(
        action, user_id=user, view=view_id, block_id=block_id, selected_option=value, values=values.get("values")
    )
    assert request.send().status == 200
    update: Call = inhouse.slack.wait_for("views.update", count=updates + 1)[-1]
    assert not update.failed, update.error
    return inhouse.slack.view(view_id)


def _block_ids(view: dict[str, Any]) -> list[str]:
    return [block["block_id"] for block in view["blocks"]]


def _submit(inhouse: Harness, user: str, view_id: str, values: Values) -> AppResponse:
    return inhouse.signer.view_submission(Callback.REQUEST, values, user_id=user, view_id=view_id).send()


def _open(inhouse: Harness, user: str = "U0SAM") -> str:
    return str(inhouse.open_request_modal(user).response["view"]["id"])


def test_choosing_a_department_with_services_offers_them_in_the_open_modal(catalog: Harness) -> None:
    view_id = _open(catalog)
    view = _choose(catalog, "U0SAM", view_id, Action.DEPARTMENT, "it")
    menu = next(b for b in view["blocks"] if b["block_id"] == "service:it")
    assert menu["dispatch_action"] is True
    assert menu["optional"] is True
    assert [(o["value"], o["text"]["text"]) for o in menu["element"]["options"]] == [
        ("laptop", "New laptop"),
        ("vpn", "VPN access"),
    ]
    assert view["blocks"][0]["element"]["initial_option"]["value"] == "it"


def test_a_department_without_services_asks_no_service(catalog: Harness) -> None:
    view = _choose(catalog, "U0SAM", _open(catalog), Action.DEPARTMENT, "hr")
    assert _block_ids(view) == [BlockId.DEPARTMENT, BlockId.PRIORITY, BlockId.DESCRIPTION, BlockId.NEEDED_BY]


def test_choosing_a_service_shows_what_to_bring_its_fields_and_its_priority(catalog: Harness) -> None:
    view_id = _open(catalog)
    _choose(catalog, "U0SAM", view_id, Action.DEPARTMENT, "it")
    view = _choose(catalog, "U0SAM", view_id, Action.SERVICE, "laptop")
    assert _block_ids(view)[2:] == [
        view["blocks"][2]["block_id"],  # the description (Slack names it)
        view["blocks"][3]["block_id"],  # what to bring
        "service_field:laptop:model",
        "service_field:laptop:for",
        "service_field:laptop:start",
        "service_field:laptop:notes",
        "service_field:laptop:count",
        "priority:laptop",
        BlockId.DESCRIPTION,
        BlockId.NEEDED_BY,
    ]
    assert view["blocks"][2]["text"]["text"] == "A laptop for a new or current employee &lt;3"
    assert view["blocks"][3]["text"]["text"] == "*Please have ready:*\n• Your cost centre\n• Your manager's approval"
    fields = {b["block_id"]: b for b in view["blocks"]}
    model = fields["service_field:laptop:model"]
    assert (model["label"]["text"], model["optional"], model["element"]["type"]) == ("Model", False, "static_select")
    assert [o["text"]["text"] for o in model["element"]["options"]] == ["MacBook Air", "ThinkPad X1"]
    kinds = [fields[f"service_field:laptop:{f}"]["element"]["type"] for f in ("for", "start", "notes", "count")]
    assert kinds == ["users_select", "datepicker", "plain_text_input", "number_input"]
    assert fields["priority:laptop"]["element"]["initial_option"]["value"] == "high"
    assert block_limits.view_errors(view, expected_type="modal") == []


def test_what_was_typed_stays_when_the_service_changes_and_another_services_answers_go(catalog: Harness) -> None:
    view_id = _open(catalog)
    _choose(catalog, "U0SAM", view_id, Action.DEPARTMENT, "it")
    _choose(catalog, "U0SAM", view_id, Action.SERVICE, "vpn")
    typed = {
        BlockId.DESCRIPTION: {Action.DESCRIPTION: plain_value("For the trip")},
        "service_field:vpn:reason": {Action.FIELD: plain_value("Travelling")},
    }
    view = _choose(catalog, "U0SAM", view_id, Action.SERVICE, "laptop", values=typed)
    blocks = {b["block_id"]: b for b in view["blocks"]}
    assert blocks[BlockId.DESCRIPTION]["element"]["initial_value"] == "For the trip"
    assert "service_field:vpn:reason" not in blocks


def test_a_service_request_keeps_its_answers_and_the_card_shows_them_escaped(catalog: Harness) -> None:
    view_id = _open(catalog)
    _choose(catalog, "U0SAM", view_id, Action.DEPARTMENT, "it")
    _choose(catalog, "U0SAM", view_id, Action.SERVICE, "laptop")
    response = _submit(
        catalog,
        "U0SAM",
        view_id,
        {
            "service_field:laptop:model": {Action.FIELD: static_select("1")},
            "service_field:laptop:for": {Action.FIELD: users_select("U0HANNA")},
            "service_field:laptop:start": {Action.FIELD: datepicker("2026-12-01")},
            "service_field:laptop:notes": {Action.FIELD: plain_value("<!channel> & a dock")},
            BlockId.DESCRIPTION: {Action.DESCRIPTION: plain_value("For Hanna, starting soon")},
        },
    )
    assert (response.status, response.body) == (200, "")
    card = catalog.slack.wait_for("chat.postMessage")[0]
    catalog.wait_quiet()
    with catalog.session_scope() as session:
        (request,) = session.exec(select(Request)).all()
    assert (request.service_id, request.priority) == ("laptop", "high")
    assert request.answers == [
        {"field_id": "model", "label": "Model", "type": "select", "value": "ThinkPad X1"},
        {"field_id": "for", "label": "For whom", "type": "user", "value": "U0HANNA"},
        {"field_id": "start", "label": "Start date", "type": "date", "value": "2026-12-01"},
        {"field_id": "notes", "label": "Anything else", "type": "long_text", "value": "<!channel> & a dock"},
    ]
    blocks = card.args["blocks"]
    assert blocks[0]["text"]["text"] == f"*#{request.id}* · New laptop · High priority · from <@U0SAM> (Sales)"
    assert blocks[1]["text"]["text"] == (
        "For Hanna, starting soon\n\n*Model:* ThinkPad X1\n*For whom:* <@U0HANNA>\n*Start date:* Tue 01 Dec 2026\n"
        "*Anything else:* &lt;!channel&gt; &amp; a dock"
    )


def test_a_service_overrides_the_departments_resolution_target(catalog: Harness) -> None:
    # Monday 10:00 in Berlin: IT promises a first response in 4h; the laptop service a resolution in 5 working days.
    view_id = _open(catalog)
    _choose(catalog, "U0SAM", view_id, Action.DEPARTMENT, "it")
    _choose(catalog, "U0SAM", view_id, Action.SERVICE, "laptop")
    values = {
        "service_field:laptop:model": {Action.FIELD: static_select("0")},
        BlockId.DESCRIPTION: {Action.DESCRIPTION: plain_value("A laptop, please")},
    }
    assert _submit(catalog, "U0SAM", view_id, values).body == ""
    catalog.wait_quiet()
    with catalog.session_scope() as session:
        (request,) = session.exec(select(Request)).all()
    assert request.promise is not None
    assert (request.promise["first_response"], request.promise["resolution"]) == ("4h", "5d")
    assert request.resolution_due == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # the next Monday, 10:00 in Berlin


def test_a_required_field_left_empty_and_a_bad_number_are_field_errors(catalog: Harness) -> None:
    view_id = _open(catalog)
    _choose(catalog, "U0SAM", view_id, Action.DEPARTMENT, "it")
    _choose(catalog, "U0SAM", view_id, Action.SERVICE, "laptop")
    response = _submit(
        catalog,
        "U0SAM",
        view_id,
        {
            "service_field:laptop:count": {Action.FIELD: {"type": "number_input", "value": "two"}},
            BlockId.DESCRIPTION: {Action.DESCRIPTION: plain_value("Laptops")},
        },
    )
    assert response.json() == {
        "response_action": "errors",
        "errors": {
            "service_field:laptop:model": "New laptop needs this.",
            "service_field:laptop:count": "Write a number, like 3 or 2.5.",
        },
    }
    with catalog.session_scope() as session:
        assert session.exec(select(Request)).all() == []


def test_a_service_that_left_the_org_file_while_the_modal_was_open_is_a_field_error(catalog: Harness) -> None:
    view_id = _open(catalog)
    _choose(catalog, "U0SAM", view_id, Action.DEPARTMENT, "it")
    _choose(catalog, "U0SAM", view_id, Action.SERVICE, "vpn")
    with catalog.session_scope() as session:
        apply_org(session, load_org_text(TEST_ORG, "org.toml"))
    values = {
        "service_field:vpn:reason": {Action.FIELD: plain_value("Trip")},
        BlockId.DESCRIPTION: {Action.DESCRIPTION: plain_value("VPN, please")},
    }
    response = _submit(catalog, "U0SAM", view_id, values)
    assert response.json()["errors"] == {
        "service:it": "That service is no longer offered: choose another one, or none."
    }


def test_a_request_without_a_service_is_filed_as_before(catalog: Harness) -> None:
    card = catalog.file_request("U0SAM")
    with catalog.session_scope() as session:
        request = session.get(Request, card.number)
    assert request is not None
    assert (request.service_id, request.answers) == (None, None)
