"""The fake's file uploads answer like Slack's: files_upload_v2's three steps, and images that refer to files."""

import json
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.error import HTTPError

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.fakes.slack_api import FakeSlack, Share

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24  # enough for the fake, which keeps bytes as they came


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as running:
        yield running


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(base_url=fake.base_url, token="xoxb-test", retry_handlers=[])


def image(file: dict[str, str]) -> dict[str, Any]:
    return {"type": "image", "slack_file": file, "alt_text": "a chart"}


def reserve(client: WebClient, content: bytes, filename: str = "chart.png") -> tuple[str, str]:
    answer = client.files_getUploadURLExternal(filename=filename, length=len(content))
    return str(answer["file_id"]), str(answer["upload_url"])


def post_bytes(url: str, content: bytes) -> int:
    with urllib.request.urlopen(urllib.request.Request(url, data=content, method="POST"), timeout=5) as answer:
        return int(answer.status)


def error_of(raised: pytest.ExceptionInfo[SlackApiError]) -> Any:
    return raised.value.response["error"]


# --- files_upload_v2, as slack_sdk does it ------------------------------------------------------------------


def test_files_upload_v2_shares_the_bytes_in_the_channel(fake: FakeSlack, client: WebClient) -> None:
    content = b"provider,filed\nit,3\n"
    answer = client.files_upload_v2(
        channel="C0IT", content=content, filename="report.csv", title="IT report", initial_comment="The figures"
    )

    file = fake.files[answer["file"]["id"]]
    assert (file.name, file.title, file.content, file.completed) == ("report.csv", "IT report", content, True)
    [message] = fake.messages("C0IT")
    assert file.shares == (Share("C0IT", message["ts"]),)
    assert message["text"] == "The figures"
    assert [(f["id"], f["name"], f["mimetype"], f["size"]) for f in message["files"]] == [
        (file.id, "report.csv", "text/csv", 20)
    ]
    (history,) = client.conversations_history(channel="C0IT")["messages"]
    assert history["files"][0]["id"] == file.id
    assert [call.method for call in fake.calls] == [
        "files.getUploadURLExternal",
        "upload_url",
        "files.completeUploadExternal",
        "conversations.history",
    ]


def test_without_a_channel_the_file_stays_private(fake: FakeSlack, client: WebClient) -> None:
    answer = client.files_upload_v2(content=PNG, filename="chart.png")

    file = fake.files[answer["file"]["id"]]
    assert (file.content, file.title, file.completed, file.shares) == (PNG, "chart.png", True, ())
    assert fake.messages("C0IT") == []


def test_a_file_shared_in_a_thread_is_a_reply(fake: FakeSlack, client: WebClient) -> None:
    parent = client.chat_postMessage(channel="C0IT", text="the report")["ts"]

    client.files_upload_v2(channel="C0IT", thread_ts=parent, content=b"a,b\n", filename="rows.csv")

    [reply] = fake.replies("C0IT", parent)
    assert reply["files"][0]["name"] == "rows.csv"
    assert [m["text"] for m in fake.messages("C0IT")] == ["the report"]


def test_a_file_goes_to_each_of_several_channels(fake: FakeSlack, client: WebClient) -> None:
    answer = client.files_upload_v2(channels=["C0IT", "U0SAM"], content=b"a,b\n", filename="rows.csv")

    shares = fake.files[answer["file"]["id"]].shares
    assert [share.channel for share in shares] == ["C0IT", "D0SAM"]
    assert [fake.messages(share.channel)[0]["ts"] for share in shares] == [share.ts for share in shares]


def test_completion_takes_files_as_a_json_body_too(fake: FakeSlack, client: WebClient) -> None:
    file_id, url = reserve(client, PNG)
    post_bytes(url, PNG)

    answer = client.api_call(
        "files.completeUploadExternal", json={"files": [{"id": file_id, "title": "Chart"}], "channel_id": "C0IT"}
    )

    assert answer["files"][0]["title"] == "Chart"
    assert fake.files[file_id].shares == (Share("C0IT", fake.messages("C0IT")[0]["ts"]),)


# --- what Slack refuses ---------------------------------------------------------------------------------------


def test_asking_for_an_upload_url_without_its_arguments_is_invalid_arguments(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.api_call("files.getUploadURLExternal", params={"filename": "chart.png"})
    assert error_of(raised) == "invalid_arguments"
    assert raised.value.response["response_metadata"]["messages"] == ["[ERROR] missing required field: length"]


def test_a_length_of_zero_is_missing_argument(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.files_getUploadURLExternal(filename="empty.csv", length=0)
    assert error_of(raised) == "missing_argument"


def test_bytes_to_an_upload_url_the_fake_never_gave_out_are_a_404(fake: FakeSlack, client: WebClient) -> None:
    _, url = reserve(client, PNG)

    with pytest.raises(HTTPError) as refused:
        post_bytes(url + "0", PNG)
    refused.value.close()

    assert refused.value.code == 404
    assert fake.calls_to("upload_url")[0].failed


def test_completing_a_file_whose_bytes_never_arrived_fails(client: WebClient) -> None:
    file_id, _ = reserve(client, PNG)

    with pytest.raises(SlackApiError) as raised:
        client.files_completeUploadExternal(files=[{"id": file_id}])

    assert error_of(raised) == "file_upload_not_found"


@pytest.mark.parametrize("second_time", [False, True], ids=["an unknown file", "a file completed before"])
def test_completing_an_unknown_or_completed_file_is_file_not_found(client: WebClient, second_time: bool) -> None:
    file_id = str(client.files_upload_v2(content=PNG, filename="chart.png")["file"]["id"]) if second_time else "F0NOPE"

    with pytest.raises(SlackApiError) as raised:
        client.files_completeUploadExternal(files=[{"id": file_id}], channel_id="C0IT")

    assert error_of(raised) == "file_not_found"


# --- images that show an uploaded file -------------------------------------------------------------------------


def test_an_image_block_shows_an_uploaded_image_by_id_or_url(fake: FakeSlack, client: WebClient) -> None:
    uploaded = client.files_upload_v2(content=PNG, filename="chart.png")["file"]

    client.chat_postMessage(channel="C0IT", text="chart", blocks=[image({"id": uploaded["id"]})])
    client.chat_postMessage(channel="C0IT", text="chart", blocks=[image({"url": uploaded["url_private"]})])

    assert [m["blocks"][0]["slack_file"] for m in fake.messages("C0IT")] == [
        {"id": uploaded["id"]},
        {"url": uploaded["url_private"]},
    ]


def test_an_image_of_a_file_slack_does_not_have_is_invalid_blocks(client: WebClient) -> None:
    csv = client.files_upload_v2(content=b"a,b\n", filename="rows.csv")["file"]["id"]
    unfinished, _ = reserve(client, PNG)
    blocks = [image({"id": "F0NOPE"}), image({"id": csv}), image({"id": unfinished})]

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C0IT", text="chart", blocks=blocks)

    assert error_of(raised) == "invalid_blocks"
    assert raised.value.response["errors"] == [
        f"invalid slack file [json-pointer:/blocks/{index}/slack_file]" for index in range(3)
    ]


def test_an_image_element_is_checked_in_updates_too(fake: FakeSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C0IT", text="chart")["ts"]
    context = {"type": "context", "elements": [{"type": "image", "slack_file": {"id": "F0NOPE"}, "alt_text": "x"}]}

    with pytest.raises(SlackApiError) as raised:
        client.chat_update(channel="C0IT", ts=ts, text="chart", blocks=[context])

    assert raised.value.response["errors"] == ["invalid slack file [json-pointer:/blocks/0/elements/0/slack_file]"]


def test_an_answer_through_a_response_url_is_checked_too(fake: FakeSlack) -> None:
    body = json.dumps({"text": "chart", "blocks": [image({"id": "F0NOPE"})]}).encode()
    request = urllib.request.Request(fake.response_url(), data=body, headers={"Content-Type": "application/json"})

    with pytest.raises(HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    refused.value.close()

    assert (refused.value.code, fake.calls_to("response_url")[0].error) == (400, "invalid_blocks")


# --- failures, injected -------------------------------------------------------------------------------------------


def test_a_429_on_an_upload_method_carries_retry_after(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("files.getUploadURLExternal", status=429, retry_after=7)

    with pytest.raises(SlackApiError) as raised:
        client.files_getUploadURLExternal(filename="chart.png", length=len(PNG))

    assert (raised.value.response.status_code, raised.value.response.headers["Retry-After"]) == (429, "7")


def test_a_500_on_completion_completes_nothing(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("files.completeUploadExternal", error="internal_error", status=500)

    with pytest.raises(SlackApiError) as raised:
        client.files_upload_v2(channel="C0IT", content=PNG, filename="chart.png")

    assert raised.value.response.status_code == 500
    [file] = fake.files.values()
    assert (file.content, file.completed, fake.messages("C0IT")) == (PNG, False, [])


def test_a_failed_byte_upload_fails_files_upload_v2(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("upload_url", error="internal_error", status=500)

    with pytest.raises(HTTPError) as refused:  # slack_sdk's urlopen raises on a status other than 2xx
        client.files_upload_v2(content=PNG, filename="chart.png")
    refused.value.close()

    assert refused.value.code == 500

    assert [file.content for file in fake.files.values()] == [None]


def test_a_dropped_upload_connection_is_a_network_error(fake: FakeSlack, client: WebClient) -> None:
    _, url = reserve(client, PNG)
    fake.drop_next("upload_url")

    with pytest.raises(ConnectionError):
        post_bytes(url, PNG)
