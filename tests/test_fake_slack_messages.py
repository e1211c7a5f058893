"""The fake reads one message as Slack does: the history up to ``latest`` (``inclusive``), a reply alone from
conversations.replies with its ts, and chat.getPermalink with a reply's thread."""

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


def test_the_history_up_to_latest_is_newest_first_and_inclusive_only_when_asked(
    fake: FakeSlack, client: WebClient
) -> None:
    first, second, third = (fake.seed_message("C0IT", text) for text in ("one", "two", "three"))
    inclusive = client.conversations_history(channel="C0IT", latest=second, inclusive=True, limit=1)
    assert [m["text"] for m in inclusive["messages"]] == ["two"]
    exclusive = client.conversations_history(channel="C0IT", latest=second)
    assert [m["ts"] for m in exclusive["messages"]] == [first]
    assert len(client.conversations_history(channel="C0IT")["messages"]) == 3
    assert third > second


def test_replies_with_a_replys_ts_answer_with_that_reply_alone(fake: FakeSlack, client: WebClient) -> None:
    parent = fake.seed_message("C0IT", "parent")
    reply = fake.seed_message("C0IT", "reply", thread_ts=parent)
    assert [m["text"] for m in client.conversations_replies(channel="C0IT", ts=reply)["messages"]] == ["reply"]
    thread = client.conversations_replies(channel="C0IT", ts=parent)["messages"]
    assert [m["text"] for m in thread] == ["parent", "reply"]


def test_a_permalink_names_the_workspace_and_a_replys_thread(fake: FakeSlack, client: WebClient) -> None:
    parent = fake.seed_message("C0IT", "parent")
    reply = fake.seed_message("C0IT", "reply", thread_ts=parent)
    top = client.chat_getPermalink(channel="C0IT", message_ts=parent)["permalink"]
    assert top == f"https://inhouse-test.slack.com/archives/C0IT/p{parent.replace('.', '')}"
    threaded = client.chat_getPermalink(channel="C0IT", message_ts=reply)["permalink"]
    assert threaded.endswith(f"/p{reply.replace('.', '')}?thread_ts={parent}&cid=C0IT")
    with pytest.raises(SlackApiError) as missing:
        client.chat_getPermalink(channel="C0IT", message_ts="1.000001")
    assert missing.value.response["error"] == "message_not_found"
