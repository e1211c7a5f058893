"""Action items: a DM to the owner when assigned, a nudge when due, "Mark done", and carry-over.

IT's retro opens Friday 2026-11-27 15:00 Berlin and closes Tuesday 2026-12-01 15:00; the next one
opens Friday 2026-12-04 15:00. Action items are due Friday 2026-12-04 unless said otherwise.
"""

from datetime import date

import pytest

from tests.handlers.harness import Harness
from tests.handlers.retro_kit import (
    action_rows,
    add_action,
    buttons,
    click_done,
    prompts,
    texts,
    tick,
    use_retro_org,
    utc,
)


@pytest.fixture
def opened(inhouse: Harness) -> Harness:
    use_retro_org(inhouse)
    tick(inhouse, utc(2026, 11, 23, 9))
    tick(inhouse, utc(2026, 11, 27, 14))
    return inhouse


def test_the_owner_gets_a_dm_when_an_action_item_is_assigned(opened: Harness) -> None:
    add_action(opened, "Document <the> VPN", owner="U0ALICE")
    (dm,) = opened.dms_to("U0ALICE")
    assert texts(dm) == [
        "You own an action item from the *IT Support* retrospective, due Fri 04 Dec 2026:\n>Document &lt;the&gt; VPN"
    ]
    assert buttons(dm) == ["Mark done"]


def test_an_anonymous_action_item_keeps_no_author(opened: Harness) -> None:
    add_action(opened, "Document the VPN", signed=False)
    (row,) = action_rows(opened)
    assert (row.owner_id, row.due_on, row.status, row.anonymous, row.author_id) == (
        "U0ALICE",
        date(2026, 12, 4),
        "open",
        True,
        None,
    )


def test_the_owner_is_nudged_once_at_nine_on_the_due_day(opened: Harness) -> None:
    add_action(opened, "Document the VPN", owner="U0ALICE")
    assert tick(opened, utc(2026, 12, 4, 7, 59)).nudged == 0  # 08:59 Berlin
    assert tick(opened, utc(2026, 12, 4, 8, 0)).nudged == 1
    assert tick(opened, utc(2026, 12, 4, 8, 1)).nudged == 0
    _assigned, nudge = opened.dms_to("U0ALICE")
    assert nudge["text"] == (
        "Reminder: your action item from the IT Support retrospective, due Fri 04 Dec 2026, is due."
    )


def test_the_owner_marks_it_done_from_the_dm(opened: Harness) -> None:
    add_action(opened, "Document the VPN", owner="U0ALICE")
    (dm,) = opened.dms_to("U0ALICE")
    click_done(opened, "U0ALICE", dm)
    (row,) = action_rows(opened)
    assert (row.status, row.done_at) == ("done", utc(2026, 11, 27, 14))
    (dm,) = opened.dms_to("U0ALICE")
    assert dm["text"].startswith(":white_check_mark: Done: your action item")
    assert buttons(dm) == []


def test_a_done_action_item_is_not_nudged(opened: Harness) -> None:
    add_action(opened, "Document the VPN", owner="U0ALICE")
    click_done(opened, "U0ALICE", opened.dms_to("U0ALICE")[0])
    assert tick(opened, utc(2026, 12, 4, 8, 0)).nudged == 0


def test_the_next_retro_opens_by_reviewing_the_last_ones_action_items(opened: Harness) -> None:
    add_action(opened, "Document the VPN", owner="U0ALICE")
    add_action(opened, "Spare laptops", owner="U0BOB", due=date(2026, 12, 11))
    click_done(opened, "U0ALICE", opened.dms_to("U0ALICE")[0])
    tick(opened, utc(2026, 12, 1, 14))  # closes
    tick(opened, utc(2026, 12, 4, 14))  # the next one opens
    _, second = prompts(opened)
    assert (
        "*Action items from the last retro*\n"
        "• Document the VPN: <@U0ALICE>, due Fri 04 Dec 2026, :white_check_mark: done\n"
        "• Spare laptops: <@U0BOB>, due Fri 11 Dec 2026, :arrow_right_hook: carried over"
    ) in texts(second)


def test_carried_over_items_are_in_the_next_summary(opened: Harness) -> None:
    add_action(opened, "Spare laptops", owner="U0BOB", due=date(2026, 12, 11))
    tick(opened, utc(2026, 12, 1, 14))
    tick(opened, utc(2026, 12, 4, 14))
    tick(opened, utc(2026, 12, 8, 14))  # the second one closes
    _, second = prompts(opened)
    (summary,) = opened.slack.replies("C0IT", second["ts"])
    assert ("*Carried over from the last retro*\n• Spare laptops: owner <@U0BOB>, due Fri 11 Dec 2026, open") in texts(
        summary
    )


def test_only_the_owner_marks_an_action_item_done(opened: Harness) -> None:
    add_action(opened, "Document the VPN", owner="U0ALICE")
    click_done(opened, "U0ALICE", opened.dms_to("U0ALICE")[0], as_user="U0BOB")
    (row,) = action_rows(opened)
    assert row.status == "open"
    (refusal,) = opened.slack.wait_for("response_url")
    assert refusal.args == {
        "text": "Only its owner, <@U0ALICE>, marks this action item done.",
        "response_type": "ephemeral",
        "replace_original": False,
    }
    (dm,) = opened.dms_to("U0ALICE")
    assert buttons(dm) == ["Mark done"]
