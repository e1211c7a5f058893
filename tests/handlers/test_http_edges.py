"""What reaches Bolt: a body too large, unsigned or unreadable is refused before anything parses it."""

import http.client
import json
import logging
import time
from urllib.parse import urlencode, urlsplit

import pytest

from tests.fakes.app_server import SIGNING_SECRET
from tests.fakes.signing import sign
from tests.handlers.harness import Harness


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    try:
        connection.request("POST", parts.path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def _signed(body: bytes, content_type: str = "application/x-www-form-urlencoded") -> dict[str, str]:
    timestamp = str(int(time.time()))
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": sign(SIGNING_SECRET, timestamp, body),
    }


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (urlencode({"payload": "this is not json"}).encode(), "application/x-www-form-urlencoded"),
        (urlencode({"payload": "[1, 2, 3]"}).encode(), "application/x-www-form-urlencoded"),
        (b"payload=%FF%FE%00", "application/x-www-form-urlencoded"),
        (b"\xff\xfe not utf-8", "application/x-www-form-urlencoded"),
        (b"[1, 2]", "application/json"),
        (b"{not json", "application/json"),
    ],
)
def test_a_signed_body_that_cannot_be_read_is_a_400_without_a_traceback(
    inhouse: Harness, caplog: pytest.LogCaptureFixture, body: bytes, content_type: str
) -> None:
    with caplog.at_level(logging.INFO):
        status, answer = _post(inhouse.running.url, body, _signed(body, content_type))
    assert (status, answer) == (400, "unreadable request body\n")
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Slack-Request-Timestamp": "yesterday", "X-Slack-Signature": "v0=abc"},
        {"X-Slack-Request-Timestamp": str(int(time.time()) - 3600), "X-Slack-Signature": "v0=abc"},
        {"X-Slack-Request-Timestamp": "1" * 30, "X-Slack-Signature": "v0=" + "0" * 64},
    ],
)
def test_an_unsigned_or_stale_body_is_a_401_whatever_it_holds(
    inhouse: Harness, caplog: pytest.LogCaptureFixture, headers: dict[str, str]
) -> None:
    body = b"\xff\xfe{ not even json"
    with caplog.at_level(logging.INFO):
        status, answer = _post(inhouse.running.url, body, {"Content-Type": "application/json", **headers})
    assert (status, answer) == (401, "invalid signature\n")
    assert "not even json" not in caplog.text
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_a_huge_body_is_refused_from_its_length_before_it_is_read(inhouse: Harness) -> None:
    parts = urlsplit(inhouse.running.url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    try:  # announce 300 MB, send none of it: the answer must not wait for the body
        connection.putrequest("POST", parts.path)
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Content-Length", str(300 * 1024 * 1024))
        connection.endheaders()
        response = connection.getresponse()
        assert (response.status, response.read()) == (413, b"request body too large\n")
    finally:
        connection.close()


def test_a_well_formed_signed_event_still_reaches_the_app(inhouse: Harness) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc"}).encode()
    status, answer = _post(inhouse.running.url, body, _signed(body, "application/json"))
    assert status == 200
    assert "abc" in answer
