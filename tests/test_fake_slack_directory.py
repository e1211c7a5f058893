"""The fake's directory methods answer like Slack's: users.lookupByEmail, usergroups.list and usergroups.users.list,
conversations.list with paging (private channels only those the bot is in)."""

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.fakes.slack_api import FakeSlack


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as running:
        yield running


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(base_url=fake.base_url, token="xoxb-test")


def test_a_user_is_found_by_email_whatever_its_case(fake: FakeSlack, client: WebClient) -> None:
    fake.set_user("U0ALICE", email="alice@acme.com")
    assert client.users_lookupByEmail(email="Alice@ACME.com")["user"]["id"] == "U0ALICE"
    with pytest.raises(SlackApiError) as missing:
        client.users_lookupByEmail(email="nobody@acme.com")
    assert missing.value.response["error"] == "users_not_found"


def test_user_groups_are_listed_without_the_disabled_and_their_members_on_request(
    fake: FakeSlack, client: WebClient
) -> None:
    team = fake.add_user_group("it-team", ["U0ALICE", "U0BOB"])
    fake.add_user_group("old-team", ["U0ALICE"], disabled=True)
    (listed,) = client.usergroups_list()["usergroups"]
    assert (listed["id"], listed["handle"], listed["user_count"], "users" in listed) == (team, "it-team", 2, False)
    assert len(client.usergroups_list(include_disabled=True)["usergroups"]) == 2
    assert client.usergroups_users_list(usergroup=team)["users"] == ["U0ALICE", "U0BOB"]
    with pytest.raises(SlackApiError) as missing:
        client.usergroups_users_list(usergroup="S0NONE")
    assert missing.value.response["error"] == "no_such_subteam"


def test_conversations_list_pages_and_shows_private_channels_the_bot_is_in(fake: FakeSlack, client: WebClient) -> None:
    for n in range(5):
        fake.add_channel(f"public-{n}")
    fake.add_channel("secret", private=True, member=False)
    mine = fake.add_channel("ours", private=True)
    fake.add_channel("old", archived=True)
    pages = [
        [channel["name"] for channel in page["channels"]]
        for page in client.conversations_list(types="public_channel,private_channel", exclude_archived=True, limit=2)
    ]
    assert pages == [["public-0", "public-1"], ["public-2", "public-3"], ["public-4", "ours"]]
    names = [channel["name"] for channel in client.conversations_list()["channels"]]
    assert names == ["public-0", "public-1", "public-2", "public-3", "public-4", "old"]
    assert mine.startswith("G")
