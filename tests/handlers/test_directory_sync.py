"""The hourly directory sync in the running app: someone who left a department's user group can no longer work its
requests, and its managers hear which open ones are still assigned to them."""

import logging
from datetime import timedelta

import pytest
from slack_sdk import WebClient

from bot.ids import Action
from bot.jobs import scheduled as jobs
from bot.org.apply import apply_resolved
from bot.org.locator import locate
from bot.org.model import load_org_text
from bot.org.resolve import resolve
from bot.slack.directory import SlackDirectory
from storage import directory, org_snapshot
from tests.fakes.app_server import BOT_TOKEN
from tests.handlers.harness import Harness
from tests.orgs import TEST_ORG

GROUP_ORG = TEST_ORG.replace('members = ["U0ALICE", "U0BOB"]', 'members = ["@it-team", "carol@acme.com"]').replace(
    'managers = ["U0HRMGR"]', 'managers = ["@hr-leads"]'
)


@pytest.fixture
def grouped(inhouse: Harness) -> Harness:
    inhouse.slack.set_user("U0CAROL", email="carol@acme.com")
    inhouse.slack.add_user_group("it-team", ["U0ALICE", "U0BOB"])
    inhouse.slack.add_user_group("hr-leads", ["U0HRMGR"])
    org = load_org_text(GROUP_ORG, "org.toml")
    lookups = SlackDirectory(WebClient(base_url=inhouse.slack.base_url, token=BOT_TOKEN))
    resolved = resolve(org, lookups, "org.toml", locate(GROUP_ORG))
    with inhouse.session_scope() as session:
        apply_resolved(session, resolved, inhouse.clock())
    return inhouse


def _group(inhouse: Harness, handle: str) -> str:
    listed = WebClient(base_url=inhouse.slack.base_url, token=BOT_TOKEN).usergroups_list()["usergroups"]
    return str(next(group["id"] for group in listed if group["handle"] == handle))


def test_the_org_applied_with_groups_expands_them_and_keeps_them_for_the_sync(grouped: Harness) -> None:
    with grouped.session_scope() as session:
        assert {u for u in ("U0ALICE", "U0BOB", "U0CAROL") if directory.is_staff(session, "it", u)} == {
            "U0ALICE",
            "U0BOB",
            "U0CAROL",
        }
        assert directory.managers_of(session, "hr") == ["U0HRMGR"]


def test_someone_who_left_the_group_loses_the_departments_requests_and_its_managers_hear_of_them(
    grouped: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    card = grouped.file_request("U0SAM")
    grouped.click(card, Action.ACKNOWLEDGE, "U0BOB")
    grouped.wait_quiet()
    grouped.slack.set_user_group_members(_group(grouped, "it-team"), ["U0ALICE", "U0DAVE"])
    with caplog.at_level(logging.INFO, logger="bot.org.sync"):
        synced = jobs.directory_sync(grouped.running.deps, grouped.clock())
    assert synced is not None
    assert synced.left == {"it": {"U0BOB"}}
    assert "Directory sync: it: joined U0DAVE (member); left U0BOB (member)" in caplog.messages
    grouped.deliver_later()
    (flag,) = [dm for dm in grouped.dms_to("U0ITMGR") if "no longer in" in dm["text"] + str(dm.get("blocks"))]
    assert flag["blocks"][0]["text"]["text"] == (
        f"<@U0BOB> is no longer in *IT Support* (they left a user group), so they can no longer work its requests. "
        f"Still assigned to them: *#{card.number}*. Take them over, or hand them on, from their cards."
    )
    refused = grouped.click(card, Action.RESOLVE, "U0BOB")
    assert grouped.private_answers(refused) == ["Only members and managers of IT Support can work on its requests."]
    with grouped.session_scope() as session:
        assert directory.is_staff(session, "it", "U0DAVE")
        assert directory.is_staff(session, "it", "U0CAROL")  # named by email: the sync leaves them be


def test_the_sync_runs_once_an_hour_and_changes_nothing_when_nothing_changed(grouped: Harness) -> None:
    deps, now = grouped.running.deps, grouped.clock()
    with grouped.session_scope() as session:
        version = org_snapshot.current(session).version
    first = jobs.directory_sync(deps, now)
    assert first is not None
    assert (first.groups, first.changes) == (2, [])
    assert jobs.directory_sync(deps, now + timedelta(minutes=30)) is None  # this hour's is done
    assert jobs.directory_sync(deps, now + timedelta(hours=1)) is not None
    with grouped.session_scope() as session:
        assert org_snapshot.current(session).version == version


def test_a_group_gone_from_slack_keeps_its_members(grouped: Harness, caplog: pytest.LogCaptureFixture) -> None:
    grouped.slack.fail_next("usergroups.users.list", error="no_such_subteam", status=200)
    with caplog.at_level(logging.WARNING, logger="bot.org.sync"):
        synced = jobs.directory_sync(grouped.running.deps, grouped.clock())
    assert synced is not None
    assert synced.changes == []
    assert any("is gone from Slack" in message for message in caplog.messages)
    with grouped.session_scope() as session:
        assert directory.is_staff(session, "it", "U0BOB")
