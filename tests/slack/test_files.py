"""Files for outbox renderers, against the fake Slack over HTTP: uploads, images of them, shares in a thread."""

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.error import HTTPError

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.slack import files
from bot.slack import outbox as owed
from bot.slack.sender import Call, Kinds, Sender, slack
from storage import outbox
from storage.db import SessionScope
from storage.models import Outbox
from tests.fakes.clock import FixedClock
from tests.fakes.slack_api import FakeSlack, Share

TOKEN = "xoxb-test"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(24))
CSV = b"provider,customer,filed\nit,sales,3\n"
CHART, ROWS = "test_chart", "test_rows"


def image(file_id: str) -> dict[str, Any]:
    return {"type": "image", "slack_file": {"id": file_id}, "alt_text": "Requests per week"}


def render_chart(_session: Session, rows: Sequence[Outbox], _now: datetime) -> Call:
    file_id = files.upload(slack(), filename="chart.png", content=PNG, title="Requests per week")
    return Call(owed.POST, {"channel": rows[0].recipient, "text": "IT's report", "blocks": [image(file_id)]})


def render_rows(_session: Session, rows: Sequence[Outbox], _now: datetime) -> Call:
    return files.share(slack(), filename="report.csv", content=CSV, title="IT's rows", channel=rows[0].recipient)


KINDS = Kinds(renderers={CHART: render_chart, ROWS: render_rows})


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack(token=TOKEN) as fake:
        yield fake


@pytest.fixture
def client(fake_slack: FakeSlack) -> WebClient:
    return WebClient(token=TOKEN, base_url=fake_slack.base_url, retry_handlers=[], timeout=5)


def send(session_scope: SessionScope, client: WebClient, clock: FixedClock, *messages: owed.Owed) -> Sender:
    with session_scope() as session:
        owed.owe(session, messages, clock())
    the_sender = Sender(session_scope, client, clock, KINDS)
    the_sender.drain()
    return the_sender


def row(session_scope: SessionScope, key: str) -> Outbox:
    with session_scope() as session:
        found = outbox.by_key(session, key)
        assert found is not None
        return found


# --- upload, directly -------------------------------------------------------------------------------------------


def test_an_upload_is_private_and_its_bytes_are_slacks(fake_slack: FakeSlack, client: WebClient) -> None:
    file_id = files.upload(client, filename="chart.png", content=PNG, title="Requests per week")

    file = fake_slack.files[file_id]
    assert (file.name, file.title, file.content, file.completed, file.shares) == (
        "chart.png",
        "Requests per week",
        PNG,
        True,
        (),
    )
    reserve, upload, complete = fake_slack.calls
    assert (reserve.method, reserve.args) == ("files.getUploadURLExternal", {"filename": "chart.png", "length": "32"})
    assert (upload.method, upload.args) == ("upload_url", {"file_id": file_id, "length": 32})
    assert complete.method == "files.completeUploadExternal"
    assert complete.args == {"files": [{"id": file_id, "title": "Requests per week"}]}  # private: no channel


def test_a_500_on_completion_raises(fake_slack: FakeSlack, client: WebClient) -> None:
    fake_slack.fail_next("files.completeUploadExternal", error="internal_error", status=500)

    with pytest.raises(SlackApiError) as raised:
        files.upload(client, filename="chart.png", content=PNG, title="Chart")

    assert (raised.value.response.status_code, raised.value.response["error"]) == (500, "internal_error")


def test_a_429_carries_retry_after(fake_slack: FakeSlack, client: WebClient) -> None:
    fake_slack.fail_next("files.getUploadURLExternal", status=429, retry_after=12)

    with pytest.raises(SlackApiError) as raised:
        files.upload(client, filename="chart.png", content=PNG, title="Chart")

    assert (raised.value.response.status_code, raised.value.response.headers["Retry-After"]) == (429, "12")


def test_bytes_slack_refuses_raise_an_os_error(fake_slack: FakeSlack, client: WebClient) -> None:
    fake_slack.fail_next("upload_url", error="internal_error", status=503)

    with pytest.raises(HTTPError) as raised:
        files.upload(client, filename="chart.png", content=PNG, title="Chart")

    assert isinstance(raised.value, OSError)
    assert raised.value.code == 503
    assert [call.method for call in fake_slack.calls] == ["files.getUploadURLExternal", "upload_url"]


# --- rendered by the sender ------------------------------------------------------------------------------------------


def test_a_chart_and_its_rows_arrive_as_an_image_and_a_file_in_its_thread(
    session_scope: SessionScope, fake_slack: FakeSlack, client: WebClient, clock: FixedClock
) -> None:
    report = owed.Owed("report", "C0IT", kind=CHART)
    send(session_scope, client, clock, report, owed.Owed("report-rows", "C0IT", kind=ROWS, parent_key="report"))

    [message] = fake_slack.messages("C0IT")
    chart, rows = (fake_slack.files[file_id] for file_id in sorted(fake_slack.files))
    assert message["blocks"][0]["slack_file"] == {"id": chart.id}
    assert (chart.content, chart.shares) == (PNG, ())
    [reply] = fake_slack.replies("C0IT", message["ts"])
    assert (rows.content, rows.title, rows.shares) == (CSV, "IT's rows", (Share("C0IT", reply["ts"]),))
    assert (row(session_scope, "report").status, row(session_scope, "report-rows").status) == ("sent", "sent")
    [complete] = fake_slack.calls_to("files.completeUploadExternal")[1:]
    assert complete.headers["content-type"].startswith("application/json")  # the sender's api_call(json=...)
    assert complete.args == {
        "files": [{"id": rows.id, "title": "IT's rows"}],
        "channel_id": "C0IT",
        "thread_ts": message["ts"],
    }


def test_an_image_of_a_file_slack_does_not_have_kills_the_message(
    session_scope: SessionScope, fake_slack: FakeSlack, client: WebClient, clock: FixedClock
) -> None:
    call = {"method": owed.POST, "args": {"channel": "C0IT", "text": "IT's report", "blocks": [image("F0NOPE")]}}

    send(session_scope, client, clock, owed.Owed("report", "C0IT", payload=call))

    assert (row(session_scope, "report").status, row(session_scope, "report").last_error) == ("dead", "invalid_blocks")
    assert fake_slack.messages("C0IT") == []


def test_a_500_while_uploading_is_tried_again_with_a_new_upload(
    session_scope: SessionScope, fake_slack: FakeSlack, client: WebClient, clock: FixedClock
) -> None:
    fake_slack.fail_next("files.completeUploadExternal", error="internal_error", status=500)

    the_sender = send(session_scope, client, clock, owed.Owed("report", "C0IT", kind=CHART))

    assert (row(session_scope, "report").status, row(session_scope, "report").last_error) == (
        "pending",
        "internal_error",
    )
    clock.advance(seconds=2)
    assert the_sender.drain().sent == 1
    [message] = fake_slack.messages("C0IT")
    assert [f.completed for f in fake_slack.files.values()] == [False, True]
    assert message["blocks"][0]["slack_file"]["id"] == sorted(fake_slack.files)[1]


def test_a_429_while_uploading_waits_for_retry_after(
    session_scope: SessionScope, fake_slack: FakeSlack, client: WebClient, clock: FixedClock
) -> None:
    fake_slack.fail_next("files.getUploadURLExternal", status=429, retry_after=30)

    send(session_scope, client, clock, owed.Owed("report", "C0IT", kind=CHART))

    assert row(session_scope, "report").deliver_after == clock() + timedelta(seconds=30)
    assert fake_slack.messages("C0IT") == []
