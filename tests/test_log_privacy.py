"""The log filter cuts request bodies out of Bolt's messages, whatever the level."""

import logging

import pytest

from bot.serving.log_privacy import WithholdRequestBodies


def _filtered(message: str, *args: object) -> str:
    record = logging.LogRecord("slack_bolt.App", logging.WARNING, __file__, 1, message, args or None, None)
    assert WithholdRequestBodies().filter(record)
    return record.getMessage()


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "Invalid request signature detected (signature: v0=ab, timestamp: 1, body: payload=%7B%22user%22)",
            "Invalid request signature detected (signature: v0=ab, timestamp: 1, body: [request body withheld]",
        ),
        (
            "A global middleware (m) skipped calling either `next()` or `next_()` without providing a response "
            "for the request ({'user': {'id': 'U0SAM'}})",
            "A global middleware (m) skipped calling either `next()` or `next_()` without providing a response "
            "for the request ([request body withheld]",
        ),
        ("Unhandled request ({'type': 'view_submission'})", "Unhandled request ({'type': 'view_submission'})"),
    ],
    ids=["bad-signature", "dropped-by-middleware", "no-body"],
)
def test_request_bodies_are_withheld(message: str, expected: str) -> None:
    assert _filtered(message) == expected


def test_a_body_passed_as_an_argument_is_withheld_too() -> None:
    assert _filtered("Request body: %s", "secret text") == "Request body: [request body withheld]"
