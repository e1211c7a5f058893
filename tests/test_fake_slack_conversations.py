"""The fake's users.conversations and conversations.history answer like Slack's: paginated, metadata on request."""

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.fakes.slack_api import FakeSlack

METADATA = {"event_type": "inhouse_feedback", "event_payload": {"token": "t0k3n"}}


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as running:
        yield running


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(base_url=fake.base_url, token="xoxb-test")


def test_users_conversations_lists_the_bots_dms_for_types_im(client: WebClient) -> None:
    client.chat_postMessage(channel="U0SAM", text="hi")
    client.chat_postMessage(channel="C0IT", text="card")
    (page,) = client.users_conversations(types="im")
    assert page["channels"] == [{"id": "D0SAM", "is_im": True, "user": "U0SAM", "is_user_deleted": False}]
    assert page["response_metadata"] == {"next_cursor": ""}


def test_users_conversations_pages_with_next_cursor(fake: FakeSlack, client: WebClient) -> None:
    for n in range(5):
        fake.seed_message(f"D0U{n}", "hi", user=f"U0U{n}")
    # slack_sdk's pages are one response object, refilled: read each before the next
    pages = [
        [channel["id"] for channel in page["channels"]] for page in client.users_conversations(types="im", limit=2)
    ]
    assert pages == [
        ["D0U0", "D0U1"],
        ["D0U2", "D0U3"],
        ["D0U4"],
    ]


def test_history_is_newest_first_without_thread_replies_and_pages(fake: FakeSlack, client: WebClient) -> None:
    first = client.chat_postMessage(channel="U0SAM", text="one")["ts"]
    client.chat_postMessage(channel="U0SAM", text="reply", thread_ts=first)
    client.chat_postMessage(channel="U0SAM", text="two")
    client.chat_postMessage(channel="U0SAM", text="three")
    pages = [([m["text"] for m in page["messages"]], page["has_more"]) for page in client.conversations_history(
        channel="D0SAM", limit=2
    )]  # fmt: skip
    assert pages == [(["three", "two"], True), (["one"], False)]


def test_history_shows_message_metadata_only_when_asked_for_all_of_it(client: WebClient) -> None:
    client.chat_postMessage(channel="U0SAM", text="sent", metadata=METADATA)
    (plain,) = client.conversations_history(channel="D0SAM")["messages"]
    (full,) = client.conversations_history(channel="D0SAM", include_all_metadata=True)["messages"]
    assert "metadata" not in plain
    assert full["metadata"] == METADATA


def test_history_of_an_unknown_channel_is_channel_not_found(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as refused:
        client.conversations_history(channel="C0NOPE")
    assert refused.value.response["error"] == "channel_not_found"
