"""Entries: anonymous unless signed, hidden until the close; then a summary in the thread.

IT's retro opens Friday 2026-11-27 15:00 Berlin (14:00 UTC) and closes two working days later,
Tuesday 2026-12-01 14:00 UTC.
"""

import pytest

from bot.ids import BlockId
from tests.handlers.harness import Harness
from tests.handlers.retro_kit import (
    add_action,
    add_entry,
    buttons,
    entry_rows,
    texts,
    the_prompt,
    tick,
    use_retro_org,
    utc,
)

SECRET = "The <!channel> & <b>VPN</b> saga"


@pytest.fixture
def opened(inhouse: Harness) -> Harness:
    use_retro_org(inhouse)
    tick(inhouse, utc(2026, 11, 23, 9))
    tick(inhouse, utc(2026, 11, 27, 14))
    return inhouse


def test_an_entry_is_anonymous_unless_signed(opened: Harness) -> None:
    add_entry(opened, "went_well", "Fast laptop swap", user="U0BOB")
    add_entry(opened, "to_improve", "Slow VPN tickets", user="U0ALICE", signed=True)
    assert entry_rows(opened) == [
        ("went_well", "Fast laptop swap", True, None),
        ("to_improve", "Slow VPN tickets", False, "U0ALICE"),
    ]


def test_the_prompt_shows_how_many_entries_there_are_not_what_they_say(opened: Harness) -> None:
    add_entry(opened, "went_well", SECRET)
    prompt = the_prompt(opened)
    assert texts(prompt)[-1] == "Entries so far: Went well 1 · To improve 0 · Action items 0"
    assert not any("VPN" in text for text in texts(prompt))


def test_a_blank_entry_is_refused_in_the_modal(opened: Harness) -> None:
    response = add_entry(opened, "went_well", "  ")
    assert response.json() == {
        "response_action": "errors",
        "errors": {BlockId.RETRO_TEXT: "Write your entry: it can't be blank."},
    }
    assert entry_rows(opened) == []


def test_an_action_item_needs_an_owner_and_a_due_date(opened: Harness) -> None:
    response = add_action(opened, "Document the VPN", owner=None, due=None)
    assert response.json()["errors"] == {
        BlockId.RETRO_OWNER: "Pick the person who owns it.",
        BlockId.RETRO_DUE: "Pick a due date from the calendar.",
    }


def test_at_the_close_the_summary_shows_every_entry_by_kind_and_the_action_items(opened: Harness) -> None:
    add_entry(opened, "went_well", SECRET, user="U0BOB")
    add_entry(opened, "to_improve", "Slow tickets", user="U0ALICE", signed=True)
    add_action(opened, "Document the VPN", owner="U0ALICE")
    assert tick(opened, utc(2026, 12, 1, 13, 59)).closed == 0
    assert tick(opened, utc(2026, 12, 1, 14, 0)).closed == 1
    prompt = the_prompt(opened)
    (summary,) = opened.slack.replies("C0IT", prompt["ts"])
    assert texts(summary) == [
        "*Retrospective closed: IT Support*: 2 entries, 1 action items.",
        "*Went well (1)*\n• The &lt;!channel&gt; &amp; &lt;b&gt;VPN&lt;/b&gt; saga",
        "*To improve (1)*\n• Slow tickets (<@U0ALICE>)",
        "*Action items*\n• Document the VPN: owner <@U0ALICE>, due Fri 04 Dec 2026, open",
    ]
    assert buttons(the_prompt(opened)) == []
    assert texts(prompt)[1] == "Closed: every entry and action item is in the thread."


def test_the_summary_is_posted_once(opened: Harness) -> None:
    tick(opened, utc(2026, 12, 1, 14, 0))
    tick(opened, utc(2026, 12, 1, 14, 1))
    assert len(opened.slack.replies("C0IT", the_prompt(opened)["ts"])) == 1


def test_a_closed_retro_takes_no_more_entries(opened: Harness) -> None:
    opened.clock.set(utc(2026, 12, 1, 14, 0))
    response = add_entry(opened, "went_well", "Late thought")
    assert response.json()["errors"] == {
        BlockId.RETRO_TEXT: "This retrospective has closed: entries are no longer taken."
    }
