"""Working a request from its card: acknowledge, pause and resume, transfer, resolve, reopen."""

from sqlmodel import col, select

from bot.ids import Action, BlockId, Callback
from storage.models import Request, RequestEvent
from tests.fakes.signing import plain_value, static_select
from tests.handlers.harness import Card, Harness, Json, Values


def _plain(values: Values) -> dict[str, dict[str, Json]]:
    return {str(block): {str(action): value for action, value in inputs.items()} for block, inputs in values.items()}


def _state_line(inhouse: Harness, card: Card) -> str:
    text: str = inhouse.card_message(card)["blocks"][2]["text"]["text"]
    return text


def _buttons(inhouse: Harness, card: Card) -> list[str]:
    return [e["action_id"] for e in inhouse.card_message(card)["blocks"][-1]["elements"] if e["type"] == "button"]


def _events(inhouse: Harness, number: int) -> list[tuple[str, str]]:
    with inhouse.session_scope() as session:
        query = select(RequestEvent).where(RequestEvent.request_id == number).order_by(col(RequestEvent.id))
        return [(event.kind, event.actor_id) for event in session.exec(query)]


def _thread(inhouse: Harness, card: Card) -> list[str]:
    return [reply["text"] for reply in inhouse.slack.replies(card.channel, card.ts)]


def _submit(inhouse: Harness, user: str, callback: Callback, values: Values) -> None:
    modal = inhouse.slack.wait_for("views.open", count=len(inhouse.slack.calls_to("views.open")))[-1]
    view_id = modal.response["view"]["id"]
    response = inhouse.signer.view_submission(callback, _plain(values), user_id=user, view_id=view_id).send()
    assert (response.status, response.body) == (200, "")
    inhouse.wait_quiet()


def test_acknowledge_assigns_the_clicker_and_updates_the_card_in_place(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    inhouse.clock.advance(minutes=20)
    assert inhouse.click(card, Action.ACKNOWLEDGE, "U0ALICE").status == 200
    inhouse.wait_quiet()
    assert _state_line(inhouse, card) == "*Status:* In progress · <@U0ALICE>"
    assert _buttons(inhouse, card) == [Action.PAUSE, Action.TRANSFER, Action.RESOLVE]
    with inhouse.session_scope() as session:
        request = session.get(Request, card.number)
    assert request is not None
    assert (request.state, request.assignee_id, request.first_response_at) == (
        "acknowledged",
        "U0ALICE",
        inhouse.clock(),
    )


def test_acknowledge_is_told_to_the_requester_and_kept_in_the_thread(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    inhouse.click(card, Action.ACKNOWLEDGE, "U0ALICE")
    inhouse.wait_quiet()
    assert inhouse.dms_to("U0SAM")[-1]["text"] == f"Your request #{card.number}: <@U0ALICE> is working on it."
    assert _thread(inhouse, card) == ["<@U0ALICE> acknowledged it and is working on it."]


def test_someone_outside_the_department_is_refused_privately_and_nothing_changes(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    before = inhouse.card_message(card)
    click = inhouse.click(card, Action.ACKNOWLEDGE, "U0SAM")
    assert inhouse.private_answers(click) == ["Only members and managers of IT Support can work on its requests."]
    assert inhouse.card_message(card) == before
    assert _events(inhouse, card.number) == [("created", "U0SAM")]


def test_a_manager_may_work_the_request_too(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    inhouse.click(card, Action.ACKNOWLEDGE, "U0ITMGR")
    inhouse.wait_quiet()
    assert _state_line(inhouse, card) == "*Status:* In progress · <@U0ITMGR>"


def test_a_second_acknowledgement_is_refused_with_the_reason(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    inhouse.click(card, Action.ACKNOWLEDGE, "U0ALICE")
    inhouse.wait_quiet()
    inhouse.pause(card, "U0BOB")
    # the stale card still showed Acknowledge to Bob: clicking it now is refused, not applied twice
    stale = {"ts": card.ts, "blocks": [{"type": "actions", "block_id": BlockId.CARD_ACTIONS, "elements": [
        {"type": "button", "action_id": Action.ACKNOWLEDGE, "value": str(card.number),
         "text": {"type": "plain_text", "text": "Acknowledge"}}]}]}  # fmt: skip
    click = inhouse.signer.block_action(
        Action.ACKNOWLEDGE, str(card.number), user_id="U0BOB", channel_id=card.channel, message=stale
    ).send()
    assert inhouse.private_answers(click) == [
        "This request can't be acknowledged: it is waiting on the requester (resume it first)."
    ]


def test_pause_and_resume_track_waiting_on_the_requester(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    inhouse.click(card, Action.ACKNOWLEDGE, "U0ALICE")
    inhouse.wait_quiet()
    inhouse.pause(card, "U0ALICE")
    assert _state_line(inhouse, card) == "*Status:* Waiting on the requester · <@U0ALICE>"
    assert _buttons(inhouse, card) == [Action.RESUME, Action.TRANSFER, Action.RESOLVE]
    assert "is waiting on you" in inhouse.dms_to("U0SAM")[-1]["text"]
    inhouse.click(card, Action.RESUME, "U0ALICE")
    inhouse.wait_quiet()
    assert _state_line(inhouse, card) == "*Status:* In progress · <@U0ALICE>"
    assert _events(inhouse, card.number)[1:] == [
        ("acknowledged", "U0ALICE"), ("paused", "U0ALICE"), ("resumed", "U0ALICE")
    ]  # fmt: skip


def test_resolve_asks_for_a_note_and_refuses_a_blank_one(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    inhouse.click(card, Action.RESOLVE, "U0ALICE")
    modal = inhouse.slack.wait_for("views.open", count=2)[-1]
    assert modal.args["view"]["callback_id"] == Callback.RESOLVE
    view_id = modal.response["view"]["id"]
    values = _plain({BlockId.NOTE: {Action.NOTE: plain_value("  ")}})
    response = inhouse.signer.view_submission(Callback.RESOLVE, values, user_id="U0ALICE", view_id=view_id).send()
    assert response.json() == {
        "response_action": "errors",
        "errors": {BlockId.NOTE: "Write a short note on what was done."},
    }


def test_resolving_closes_the_card_and_tells_the_requester_what_was_done(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    inhouse.click(card, Action.RESOLVE, "U0ALICE")
    inhouse.wait_quiet()
    _submit(inhouse, "U0ALICE", Callback.RESOLVE, {BlockId.NOTE: {Action.NOTE: plain_value("Replaced the <disk>")}})
    blocks = inhouse.card_message(card)["blocks"]
    assert blocks[2]["text"]["text"] == "*Status:* Resolved"
    assert blocks[3]["text"]["text"] == "*Resolution:* Replaced the &lt;disk&gt;"
    assert _buttons(inhouse, card) == [Action.REOPEN]
    resolved = [dm for dm in inhouse.dms_to("U0SAM") if dm["text"].endswith("resolved it.")]
    assert resolved[0]["blocks"][0]["text"]["text"] == (
        f"Your request *#{card.number}*: <@U0ALICE> resolved it.\n>Replaced the &lt;disk&gt;"
    )


def test_only_department_staff_get_the_resolve_modal(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    click = inhouse.click(card, Action.RESOLVE, "U0HANNA")
    inhouse.wait_quiet()
    assert len(inhouse.slack.calls_to("views.open")) == 1  # only the /request modal
    (refusal,) = inhouse.private_answers(click)
    assert refusal.startswith("Only members and managers of IT Support")


def test_reopening_a_resolved_request_puts_it_back_to_work(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    inhouse.click(card, Action.ACKNOWLEDGE, "U0ALICE")
    inhouse.click(card, Action.RESOLVE, "U0ALICE")
    inhouse.wait_quiet()
    _submit(inhouse, "U0ALICE", Callback.RESOLVE, {BlockId.NOTE: {Action.NOTE: plain_value("done")}})
    inhouse.click(card, Action.REOPEN, "U0BOB")
    inhouse.wait_quiet()
    assert _state_line(inhouse, card) == "*Status:* In progress · <@U0ALICE>"
    assert _events(inhouse, card.number)[-1] == ("reopened", "U0BOB")


def test_transfer_moves_the_request_under_the_new_departments_agreement(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    inhouse.click(card, Action.TRANSFER, "U0ALICE")
    inhouse.wait_quiet()
    modal = inhouse.slack.calls_to("views.open")[-1]
    options = modal.args["view"]["blocks"][0]["element"]["options"]
    assert [o["value"] for o in options] == ["hr", "sales"]
    inhouse.clock.advance(hours=1)
    values = {
        BlockId.DEPARTMENT: {Action.DEPARTMENT: static_select("hr")},
        BlockId.NOTE: {Action.NOTE: plain_value("Payroll")},
    }
    _submit(inhouse, "U0ALICE", Callback.TRANSFER, values)

    old = inhouse.card_message(card)
    assert old["text"] == f"*#{card.number}* was transferred from IT Support to People &amp; Culture by <@U0ALICE>."
    (new_card,) = inhouse.slack.messages("C0HR")
    assert new_card["blocks"][-1]["elements"][0]["action_id"] == Action.ACKNOWLEDGE
    with inhouse.session_scope() as session:
        request = session.get(Request, card.number)
    assert request is not None
    assert (request.provider_id, request.state, request.card_channel, request.card_ts) == (
        "hr", "open", "C0HR", new_card["ts"]
    )  # fmt: skip
    assert request.promise is not None
    assert (request.promise["first_response"], request.promise["resolution"]) == ("1d", "5d")
    assert "transferred it to *People &amp; Culture*" in inhouse.dms_to("U0SAM")[-1]["text"]


def test_after_a_transfer_the_new_department_works_the_request(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    inhouse.click(card, Action.TRANSFER, "U0ALICE")
    inhouse.wait_quiet()
    _submit(inhouse, "U0ALICE", Callback.TRANSFER, {BlockId.DEPARTMENT: {Action.DEPARTMENT: static_select("hr")}})
    (message,) = inhouse.slack.messages("C0HR")
    new_card = Card(card.number, "C0HR", message["ts"])
    refused = inhouse.click(new_card, Action.ACKNOWLEDGE, "U0ALICE")
    inhouse.click(new_card, Action.ACKNOWLEDGE, "U0HANNA")
    inhouse.wait_quiet()
    (refusal,) = inhouse.private_answers(refused)
    assert refusal.startswith("Only members and managers of People")
    assert _state_line(inhouse, new_card) == "*Status:* In progress · <@U0HANNA>"
