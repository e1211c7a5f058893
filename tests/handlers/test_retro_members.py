"""Only the members and managers of a retro's departments add to it, and an action item's owner is one of them.

IT's retro (members U0ALICE, U0BOB, manager U0ITMGR) opens Friday 2026-11-27 15:00 Berlin; Sales (U0SAM,
U0SALESMGR) and HR (U0HANNA, U0HRMGR) are not in it. The pair retro of IT and Sales opens Monday 2026-11-30.
"""

from datetime import date
from typing import Any

import pytest

from bot.ids import Action, BlockId, Callback
from storage.retro_models import RetroAction
from tests.fakes.signing import datepicker, plain_value, users_select
from tests.handlers.harness import Harness, Json
from tests.handlers.retro_kit import (
    PAIR_ORG,
    action_rows,
    add_action,
    add_entry,
    entry_rows,
    prompts,
    texts,
    the_prompt,
    tick,
    use_retro_org,
    utc,
)

OUTSIDER = "Only members and managers of IT Support add to this retrospective."
NOT_AN_INSIDER = "Pick someone from IT Support: an action item's owner is one of its members or managers."
FORGED_OWNER = "U1> <!channel"


@pytest.fixture
def opened(inhouse: Harness) -> Harness:
    use_retro_org(inhouse)
    tick(inhouse, utc(2026, 11, 23, 9))
    tick(inhouse, utc(2026, 11, 27, 14))
    return inhouse


def _click(inhouse: Harness, action_id: str, user: str, channel: str = "C0IT") -> list[str]:
    """Click a button of the prompt; what the clicker was told privately."""
    prompt = prompts(inhouse, channel)[-1]
    response = inhouse.signer.block_action(action_id, user_id=user, channel_id=channel, message_ts=prompt["ts"]).send()
    assert response.status == 200
    return inhouse.private_answers(response)


def _opened_by_a_member(inhouse: Harness, action_id: str) -> str:
    """The view id of a modal an IT member opened, for someone else to submit."""
    assert _click(inhouse, action_id, "U0BOB") == []
    return str(inhouse.slack.calls_to("views.open")[-1].response["view"]["id"])


@pytest.mark.parametrize("outsider", ["U0SAM", "U0HANNA", "U0SALESMGR", "U0CTO"])
@pytest.mark.parametrize("button", [f"{Action.RETRO_ADD_ENTRY}_went_well", Action.RETRO_ADD_ACTION])
def test_someone_outside_the_retros_department_is_refused_at_the_button(
    opened: Harness, outsider: str, button: str
) -> None:
    assert _click(opened, button, outsider) == [OUTSIDER]
    assert opened.slack.calls_to("views.open") == []


@pytest.mark.parametrize("insider", ["U0ALICE", "U0BOB", "U0ITMGR"])
def test_members_and_managers_add_entries(opened: Harness, insider: str) -> None:
    assert add_entry(opened, "went_well", "Fast laptop swap", user=insider).status == 200
    assert [row[1] for row in entry_rows(opened)] == ["Fast laptop swap"]


def test_an_entry_submitted_by_an_outsider_through_a_members_modal_is_refused(opened: Harness) -> None:
    view_id = _opened_by_a_member(opened, f"{Action.RETRO_ADD_ENTRY}_went_well")
    values: dict[Any, Any] = {BlockId.RETRO_TEXT: {Action.RETRO_TEXT: plain_value("Sales thinks IT is slow")}}
    response = opened.signer.view_submission(Callback.RETRO_ENTRY, values, user_id="U0SAM", view_id=view_id).send()
    assert response.json() == {"response_action": "errors", "errors": {BlockId.RETRO_TEXT: OUTSIDER}}
    assert entry_rows(opened) == []
    assert texts(the_prompt(opened))[-1] == "Entries so far: Went well 0 · To improve 0 · Action items 0"


def test_an_action_item_submitted_by_an_outsider_is_refused_and_nobody_gets_a_dm(opened: Harness) -> None:
    view_id = _opened_by_a_member(opened, Action.RETRO_ADD_ACTION)
    values: dict[Any, Any] = {
        BlockId.RETRO_TEXT: {Action.RETRO_TEXT: plain_value("Fix the VPN")},
        BlockId.RETRO_OWNER: {Action.RETRO_OWNER: users_select("U0ALICE")},
        BlockId.RETRO_DUE: {Action.RETRO_DUE: datepicker("2026-12-04")},
    }
    response = opened.signer.view_submission(Callback.RETRO_ACTION, values, user_id="U0SAM", view_id=view_id).send()
    assert response.json() == {"response_action": "errors", "errors": {BlockId.RETRO_TEXT: OUTSIDER}}
    opened.wait_quiet()
    assert action_rows(opened) == []
    assert opened.dms_to("U0ALICE") == []


@pytest.mark.parametrize("owner", ["U0SAM", "U0CTO"])
def test_an_action_items_owner_must_be_in_the_retro(opened: Harness, owner: str) -> None:
    response = add_action(opened, "Fix the VPN", owner=owner)
    assert response.json() == {
        "response_action": "errors",
        "errors": {BlockId.RETRO_OWNER: NOT_AN_INSIDER},
    }
    assert action_rows(opened) == []
    assert opened.dms_to(owner) == []


@pytest.mark.parametrize("owner", [FORGED_OWNER, "<!channel>", "u0alice", "U0ALICE ", "C0IT", "U"])
def test_an_owner_that_is_not_a_user_id_is_a_field_error(opened: Harness, owner: str) -> None:
    view_id = _opened_by_a_member(opened, Action.RETRO_ADD_ACTION)
    values: dict[Any, Any] = {
        BlockId.RETRO_TEXT: {Action.RETRO_TEXT: plain_value("Fix the VPN")},
        BlockId.RETRO_OWNER: {Action.RETRO_OWNER: users_select(owner)},
        BlockId.RETRO_DUE: {Action.RETRO_DUE: datepicker("2026-12-04")},
    }
    response = opened.signer.view_submission(Callback.RETRO_ACTION, values, user_id="U0BOB", view_id=view_id).send()
    assert response.json() == {
        "response_action": "errors",
        "errors": {BlockId.RETRO_OWNER: "Pick the person who owns it from the list."},
    }
    opened.wait_quiet()
    assert action_rows(opened) == []
    assert opened.slack.calls_to("chat.postMessage")[1:] == []  # the prompt only


def _summary_text(message: Json) -> str:
    """Every piece of text of a message, its blocks' and its fallback."""
    pieces = [message["text"]]
    for block in message["blocks"]:
        pieces.append(block.get("text", {}).get("text", ""))
        pieces += [element.get("text", "") for element in block.get("elements", []) if isinstance(element, dict)]
    return "\n".join(str(piece) for piece in pieces)


def test_a_stored_owner_that_is_not_a_user_id_never_becomes_a_mention(opened: Harness) -> None:
    """Say a row stored before owners were checked: the summary shows it as text, and no nudge goes to it."""
    add_action(opened, "Real item", owner="U0ALICE")
    (real,) = action_rows(opened)
    with opened.session_scope() as session:
        retro_id = real.retro_id
        session.add(
            RetroAction(
                retro_id=retro_id, text="Forged item", owner_id=FORGED_OWNER, due_on=date(2026, 12, 4), anonymous=True
            )
        )
    assert tick(opened, utc(2026, 12, 1, 14)).closed == 1
    (summary,) = opened.slack.replies("C0IT", the_prompt(opened)["ts"])
    shown = _summary_text(summary)
    assert "• Forged item: owner U1&gt; &lt;!channel, due Fri 04 Dec 2026, open" in shown
    assert "<!channel" not in shown
    assert "<@U1>" not in shown
    assert "• Real item: owner <@U0ALICE>, due Fri 04 Dec 2026, open" in shown
    tick(opened, utc(2026, 12, 4, 8))  # the nudges
    recipients = {call.args["channel"] for call in opened.slack.calls_to("chat.postMessage")}
    assert FORGED_OWNER not in recipients
    assert len(opened.dms_to("U0ALICE")) == 2  # assigned, then nudged


def test_in_a_pair_retro_either_departments_people_add_and_own(inhouse: Harness) -> None:
    use_retro_org(inhouse, PAIR_ORG)
    tick(inhouse, utc(2026, 11, 23, 8))
    tick(inhouse, utc(2026, 11, 30, 9))
    assert add_entry(inhouse, "start", "Weekly sync", user="U0SAM", channel="C0ITSALES").status == 200
    response = add_action(inhouse, "Set up the sync", owner="U0SAM", user="U0ALICE", channel="C0ITSALES")
    assert (response.status, response.body) == (200, "")
    assert [(row.owner_id, row.text) for row in action_rows(inhouse)] == [("U0SAM", "Set up the sync")]
    assert _click(inhouse, f"{Action.RETRO_ADD_ENTRY}_start", "U0HANNA", "C0ITSALES") == [
        "Only members and managers of IT Support & Sales add to this retrospective."
    ]
