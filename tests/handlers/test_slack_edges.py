"""What Slack does besides the happy path: bad signatures, spent triggers, refused calls, retries."""

import pytest

from bot.ids import Action
from storage.models import Request
from tests.handlers.harness import Harness


@pytest.mark.parametrize("send", ["send_unsigned", "send_with_wrong_signature", "send_stale"])
def test_requests_not_signed_by_slack_are_refused_with_401(inhouse: Harness, send: str) -> None:
    request = inhouse.signer.command("/request", "it hello", user_id="U0SAM")
    response = getattr(inhouse.signer, send)(request)
    assert response.status == 401
    inhouse.wait_quiet()
    assert inhouse.slack.calls_to("views.open") == []


def test_a_spent_trigger_is_explained_to_the_user_privately(inhouse: Harness) -> None:
    request = inhouse.signer.command("/request", "", user_id="U0SAM")
    assert request.trigger_id is not None
    inhouse.slack.expire_trigger(request.trigger_id)
    assert request.send().status == 200
    (answer,) = inhouse.slack.wait_for("response_url")
    assert answer.args["response_type"] == "ephemeral"
    assert answer.args["text"].startswith("Slack gave up waiting for the form to open.")


def test_a_card_slack_refuses_to_post_still_files_the_request_and_tells_the_requester(inhouse: Harness) -> None:
    inhouse.slack.fail_next("chat.postMessage", error="channel_not_found", status=200)
    modal = inhouse.open_request_modal("U0SAM")
    assert inhouse.submit_request_modal("U0SAM", modal).status == 200
    inhouse.wait_quiet()
    with inhouse.session_scope() as session:
        request = session.get(Request, 1)
    assert request is not None
    assert request.card_ts is None
    texts = [m["text"] for m in inhouse.dms_to("U0SAM")]
    assert texts[-1].startswith("Your request *#1* is saved, but Slack would not let Inhouse post it")


def test_a_rate_limited_call_is_retried_after_retry_after(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    inhouse.slack.fail_next("chat.update", error="ratelimited", status=429, retry_after=1)
    inhouse.click(card, Action.ACKNOWLEDGE, "U0ALICE")
    inhouse.wait_quiet()
    assert [call.status for call in inhouse.slack.calls_to("chat.update")] == [429]
    inhouse.deliver_later(seconds=1)
    updates = inhouse.slack.calls_to("chat.update")
    assert [call.status for call in updates] == [429, 200]
    assert inhouse.card_message(card)["blocks"][2]["text"]["text"] == "*Status:* In progress · <@U0ALICE>"


def test_an_unexpected_error_is_apologized_for_privately(inhouse: Harness) -> None:
    inhouse.slack.fail_next("views.open", error="internal_error", status=500)
    inhouse.signer.command("/request", "", user_id="U0SAM").send()
    (answer,) = inhouse.slack.wait_for("response_url")
    assert answer.args["response_type"] == "ephemeral"
    assert answer.args["text"].startswith("Sorry, Inhouse ran into a problem")


def test_the_home_tab_lists_my_requests_and_my_departments_queue(inhouse: Harness) -> None:
    first = inhouse.file_request("U0SAM", description="Laptop won't boot")
    inhouse.file_request("U0HANNA", description="New monitor")
    inhouse.signer.app_home_opened("U0SAM").send()
    inhouse.signer.app_home_opened("U0ALICE").send()
    inhouse.wait_quiet()
    mine = inhouse.slack.views_published["U0SAM"]["blocks"]
    queue = inhouse.slack.views_published["U0ALICE"]["blocks"]
    assert mine[0]["text"]["text"] == "Your open requests"
    assert mine[1]["text"]["text"].startswith(f"*#{first.number}* Normal · IT Support · open")
    assert [b["text"]["text"] for b in queue if b["type"] == "header"] == ["Your open requests", "IT Support queue"]
    assert sum(1 for b in queue if b["type"] == "section" and "from <@" in b["text"]["text"]) == 2


def test_a_redelivered_home_event_publishes_the_same_view(inhouse: Harness) -> None:
    inhouse.signer.event({"type": "app_home_opened", "user": "U0SAM", "tab": "home"}, event_id="Ev1").send()
    inhouse.signer.event(
        {"type": "app_home_opened", "user": "U0SAM", "tab": "home"}, event_id="Ev1", retry_num=1
    ).send()
    inhouse.wait_quiet()
    first, second = inhouse.slack.calls_to("views.publish")
    assert first.args["view"] == second.args["view"]
