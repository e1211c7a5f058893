"""Requests from where people already talk, end to end through the running app: the message shortcut *Turn into
request*, a department's intake emoji, and what /request answers instead of a blank form."""

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlmodel import col, select

from bot.ids import Action, BlockId, Callback
from bot.org.apply import apply_org
from bot.org.model import load_org_text
from storage.models import Request
from tests.fakes.signing import AppResponse, static_select, users_select
from tests.fakes.slack_api import TEAM_DOMAIN, Call
from tests.handlers.harness import Harness, Json, Values
from tests.orgs import TEST_ORG

INTAKE_ORG = TEST_ORG.replace('escalate_to = ["U0CTO"]', 'escalate_to = ["U0CTO"]\nintake_emoji = "ticket"') + (
    '\n[[services]]\ndepartment = "it"\nid = "laptop"\nname = "New laptop"\ndescription = "For new & current staff"\n'
)


@pytest.fixture
def intake(inhouse: Harness) -> Harness:
    with inhouse.session_scope() as session:
        apply_org(session, load_org_text(INTAKE_ORG, "org.toml"))
    return inhouse


def _requests(inhouse: Harness) -> list[Request]:
    with inhouse.session_scope() as session:
        return list(session.exec(select(Request).order_by(col(Request.id))))


def _link(channel: str, ts: str, thread_ts: str | None = None) -> str:
    link = f"https://{TEAM_DOMAIN}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
    return link + (f"?thread_ts={thread_ts}&cid={channel}" if thread_ts else "")


# --- the message shortcut ----------------------------------------------------------------------------------------


def _turn_into_request(inhouse: Harness, channel: str, ts: str, user: str = "U0SAM", **kwargs: Any) -> Call:
    opened = len(inhouse.slack.calls_to("views.open"))
    message = inhouse.slack.message(channel, ts)
    request = inhouse.signer.message_shortcut(
        Callback.TURN_INTO_REQUEST, message, user_id=user, channel_id=channel, **kwargs
    )
    assert request.send().status == 200
    return inhouse.slack.wait_for("views.open", count=opened + 1)[-1]


def _submit(inhouse: Harness, user: str, view_id: str, values: Values | None = None) -> AppResponse:
    state: dict[Any, Mapping[Any, Json]] = {
        BlockId.DEPARTMENT: {Action.DEPARTMENT: static_select("it")},
        **(values or {}),
    }
    return inhouse.signer.view_submission(Callback.REQUEST, state, user_id=user, view_id=view_id).send()


def test_the_shortcut_opens_the_modal_with_the_message_a_link_to_it_and_its_author(intake: Harness) -> None:
    ts = intake.slack.seed_message("C0GENERAL", "The VPN drops every hour", user="U0HANNA")
    view = _turn_into_request(intake, "C0GENERAL", ts).args["view"]
    blocks = {block.get("block_id"): block for block in view["blocks"]}
    assert view["blocks"][0]["elements"][0]["text"] == f"From <{_link('C0GENERAL', ts)}|a message> in <#C0GENERAL>"
    assert blocks[BlockId.DESCRIPTION]["element"]["initial_value"] == "The VPN drops every hour"
    assert blocks[BlockId.REQUESTER]["element"]["initial_user"] == "U0HANNA"
    assert BlockId.REQUESTER_DEPARTMENT not in blocks
    assert json.loads(view["private_metadata"]) == {
        "source": {"channel": "C0GENERAL", "ts": ts, "link": _link("C0GENERAL", ts)}
    }
    assert intake.slack.calls_to("chat.getPermalink") == []  # the link comes from the payload's team domain


def test_a_request_turned_from_a_message_is_from_its_author_and_its_card_links_back(intake: Harness) -> None:
    ts = intake.slack.seed_message("C0GENERAL", "The VPN drops every hour", user="U0HANNA")
    modal = _turn_into_request(intake, "C0GENERAL", ts)
    response = _submit(intake, "U0SAM", modal.response["view"]["id"])
    assert (response.status, response.body) == (200, "")
    card = intake.slack.wait_for("chat.postMessage")[0]
    intake.wait_quiet()
    (request,) = _requests(intake)
    assert (request.requester_id, request.requester_department_id) == ("U0HANNA", "hr")
    assert (request.source_channel, request.source_ts, request.source_link) == (
        "C0GENERAL",
        ts,
        _link("C0GENERAL", ts),
    )
    assert request.description == "The VPN drops every hour"
    assert (
        card.args["blocks"][-2]["elements"][1]["text"] == f"From <{_link('C0GENERAL', ts)}|a message> in <#C0GENERAL>"
    )
    assert "from <@U0HANNA> (People &amp; Culture)" in card.args["blocks"][0]["text"]["text"]
    assert len(intake.dms_to("U0HANNA")) == 1  # the requester hears of it


def test_whoever_uses_the_shortcut_may_say_the_request_is_someone_elses(intake: Harness) -> None:
    ts = intake.slack.seed_message("C0GENERAL", "Could someone reset my password?", user="U0HANNA")
    modal = _turn_into_request(intake, "C0GENERAL", ts)
    chosen = {BlockId.REQUESTER: {Action.REQUESTER: users_select("U0SAM")}}
    assert _submit(intake, "U0SAM", modal.response["view"]["id"], chosen).body == ""
    intake.wait_quiet()
    (request,) = _requests(intake)
    assert (request.requester_id, request.requester_department_id) == ("U0SAM", "sales")


def test_choosing_a_department_keeps_the_message_and_the_chosen_requester(intake: Harness) -> None:
    ts = intake.slack.seed_message("C0GENERAL", "New starter needs a laptop", user="U0HANNA")
    view_id = _turn_into_request(intake, "C0GENERAL", ts).response["view"]["id"]
    typed = {BlockId.REQUESTER: {Action.REQUESTER: users_select("U0HRMGR")}}
    click = intake.signer.block_action(
        Action.DEPARTMENT, user_id="U0SAM", view=view_id, selected_option="it", values=typed
    )
    assert click.send().status == 200
    update = intake.slack.wait_for("views.update")[0]
    assert not update.failed
    view = intake.slack.view(view_id)
    blocks = {block.get("block_id"): block for block in view["blocks"]}
    assert json.loads(view["private_metadata"])["source"]["ts"] == ts
    assert blocks[BlockId.REQUESTER]["element"]["initial_user"] == "U0HRMGR"
    assert "service:it" in blocks


def test_without_the_team_domain_the_link_is_asked_of_slack_and_a_reply_keeps_its_thread(intake: Harness) -> None:
    parent = intake.slack.seed_message("C0GENERAL", "Printers", user="U0SAM")
    reply = intake.slack.seed_message("C0GENERAL", "The 3rd floor one is jammed", user="U0HANNA", thread_ts=parent)
    view = _turn_into_request(intake, "C0GENERAL", reply, team_domain=None).args["view"]
    (permalink,) = intake.slack.calls_to("chat.getPermalink")
    assert (permalink.args["channel"], permalink.args["message_ts"]) == ("C0GENERAL", reply)
    assert _link("C0GENERAL", reply, parent) in view["blocks"][0]["elements"][0]["text"]


def test_a_bots_message_is_turned_into_a_request_from_the_person_using_the_shortcut(intake: Harness) -> None:
    ts = intake.slack.seed_message("C0GENERAL", "Disk 90% full on db-1", user="U0MONITOR", bot_id="B0MONITOR")
    view = _turn_into_request(intake, "C0GENERAL", ts, user="U0ALICE").args["view"]
    requester = next(block for block in view["blocks"] if block.get("block_id") == BlockId.REQUESTER)
    assert requester["element"]["initial_user"] == "U0ALICE"


# --- the intake emoji --------------------------------------------------------------------------------------------


def _react(inhouse: Harness, emoji: str, channel: str, ts: str, user: str = "U0ALICE") -> None:
    assert inhouse.signer.reaction_added(emoji, channel, ts, user_id=user).send().status == 200
    inhouse.wait_quiet()


def test_the_intake_emoji_files_the_message_and_answers_in_its_thread_with_the_card(intake: Harness) -> None:
    ts = intake.slack.seed_message("C0IT", "My screen is flickering <!here>", user="U0SAM")
    _react(intake, "ticket", "C0IT", ts)
    (request,) = _requests(intake)
    assert (request.provider_id, request.requester_id, request.priority) == ("it", "U0SAM", "normal")
    assert request.description == "My screen is flickering <!here>"
    assert (request.source_channel, request.source_ts) == ("C0IT", ts)
    assert request.source_link == _link("C0IT", ts)
    assert request.card_ts is not None
    (answer,) = intake.slack.replies("C0IT", ts)
    card_link = f"https://slack.com/archives/C0IT/p{request.card_ts.replace('.', '')}"
    assert answer["blocks"][0]["text"]["text"] == (
        f"Filed as <{card_link}|#{request.id}> for *IT Support*, from <@U0SAM>. Follow it on its card."
    )
    card = intake.slack.message("C0IT", request.card_ts)
    assert "My screen is flickering &lt;!here&gt;" in card["blocks"][1]["text"]["text"]


def test_reacting_again_files_nothing_more(intake: Harness) -> None:
    ts = intake.slack.seed_message("C0IT", "VPN is down", user="U0SAM")
    _react(intake, "ticket", "C0IT", ts, user="U0ALICE")
    _react(intake, "ticket", "C0IT", ts, user="U0BOB")
    _react(intake, "ticket::skin-tone-3", "C0IT", ts, user="U0ITMGR")
    intake.deliver_later()
    assert len(_requests(intake)) == 1
    assert len(intake.slack.replies("C0IT", ts)) == 1
    assert len(intake.slack.calls_to("conversations.history")) == 1  # the others stopped at the database


@pytest.mark.parametrize(
    ("emoji", "channel", "fields"),
    [
        ("eyes", "C0IT", {}),  # not the intake emoji
        ("ticket", "C0HR", {}),  # HR has none
        ("ticket", "C0GENERAL", {}),  # no department's channel
        ("ticket", "C0IT", {"bot_id": "B0MONITOR"}),  # a bot's message
        ("ticket", "C0IT", {"subtype": "channel_join"}),  # not something a person wrote
    ],
)
def test_only_the_intake_emoji_on_a_persons_message_in_the_departments_channel_files(
    intake: Harness, emoji: str, channel: str, fields: dict[str, str]
) -> None:
    ts = intake.slack.seed_message(channel, "Help", user="U0SAM", **fields)
    _react(intake, emoji, channel, ts)
    assert _requests(intake) == []
    assert intake.slack.replies(channel, ts) == []


def test_a_reply_in_a_thread_is_filed_and_answered_in_that_thread(intake: Harness) -> None:
    parent = intake.slack.seed_message("C0IT", "Office wifi", user="U0HANNA")
    reply = intake.slack.seed_message("C0IT", "It drops on floor 2 too", user="U0SAM", thread_ts=parent)
    _react(intake, "ticket", "C0IT", reply)
    (request,) = _requests(intake)
    assert (request.requester_id, request.description) == ("U0SAM", "It drops on floor 2 too")
    assert request.source_link == _link("C0IT", reply, parent)
    answers = [m for m in intake.slack.replies("C0IT", parent) if m.get("bot_id")]
    assert len(answers) == 1
    assert answers[0]["text"] == f"Filed as #{request.id} for IT Support."


def test_reading_the_message_waits_out_slacks_rate_limit(intake: Harness) -> None:
    ts = intake.slack.seed_message("C0IT", "Keyboard broken", user="U0SAM")
    intake.slack.fail_next("conversations.history", retry_after=1)
    _react(intake, "ticket", "C0IT", ts)
    history = intake.slack.calls_to("conversations.history")
    assert [call.status for call in history] == [429, 200]
    assert len(_requests(intake)) == 1


# --- /request without a form ----------------------------------------------------------------------------------------


def _command_answer(inhouse: Harness, user: str, text: str) -> Call:
    response = inhouse.signer.command("/request", text, user_id=user).send()
    assert response.status == 200
    inhouse.wait_quiet()
    assert response.request is not None
    path = urlsplit(response.request.payload["response_url"]).path
    (answer,) = [call for call in inhouse.slack.calls_to("response_url") if call.path == path]
    assert answer.args["response_type"] == "ephemeral"
    return answer


def test_request_help_lists_the_departments_and_what_each_offers(intake: Harness) -> None:
    answer = _command_answer(intake, "U0SAM", "help")
    texts = [block["text"]["text"] for block in answer.args["blocks"] if block["type"] == "section"]
    assert texts[1:] == [
        "*IT Support* · `/request it`\n• *New laptop* (`/request laptop`): For new &amp; current staff",
        "*People &amp; Culture* · `/request hr`",
        "*Sales* · `/request sales`",
    ]
    assert intake.slack.calls_to("views.open") == []


def test_an_unknown_department_gets_the_list_instead_of_a_blank_form(intake: Harness) -> None:
    answer = _command_answer(intake, "U0SAM", "facilities <!here> the door is stuck")
    assert answer.args["blocks"][0]["text"]["text"] == (
        "There is no department “facilities”. These are the departments you can ask:"
    )
    assert intake.slack.calls_to("views.open") == []


def test_a_bare_request_from_someone_without_a_department_gets_the_list(intake: Harness) -> None:
    answer = _command_answer(intake, "U0NEW", "")
    assert answer.args["blocks"][0]["text"]["text"] == "These are the departments you can ask, and what each offers:"
    assert intake.slack.calls_to("views.open") == []


def test_a_service_id_opens_the_form_on_that_service(intake: Harness) -> None:
    view = intake.open_request_modal("U0SAM", "laptop for our new hire").args["view"]
    blocks = {block.get("block_id"): block for block in view["blocks"]}
    assert blocks[BlockId.DEPARTMENT]["element"]["initial_option"]["value"] == "it"
    assert blocks["service:it"]["element"]["initial_option"]["value"] == "laptop"
    assert blocks[BlockId.DESCRIPTION]["element"]["initial_value"] == "for our new hire"
