"""Building the app logs nothing an operator need not act on."""

import logging

import pytest
from sqlalchemy import Engine

from tests.fakes.app_server import BOT_TOKEN, running_app
from tests.fakes.clock import FixedClock
from tests.fakes.slack_api import FakeSlack


def test_bolt_does_not_warn_that_the_token_will_be_unused(
    engine: Engine, clock: FixedClock, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)  # as in production, where Bolt reads it too
    with FakeSlack(token=BOT_TOKEN) as fake, caplog.at_level(logging.INFO), running_app(engine, fake.base_url, clock):
        pass
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
