from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from bot.org.apply import apply_org
from bot.org.model import load_org_text
from storage.db import session_factory
from tests.fakes.app_server import BOT_TOKEN, SIGNING_SECRET, running_app
from tests.fakes.clock import FixedClock
from tests.fakes.signing import SlackSigner
from tests.fakes.slack_api import FakeSlack
from tests.handlers.harness import Harness
from tests.orgs import TEST_ORG


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack(token=BOT_TOKEN) as fake:
        yield fake


@pytest.fixture
def inhouse(engine: Engine, fake_slack: FakeSlack, clock: FixedClock) -> Iterator[Harness]:
    """The real app in HTTP mode on the test org, its Web API calls going to the fake Slack."""
    with session_factory(engine)() as session:
        apply_org(session, load_org_text(TEST_ORG, "test-org.toml"))
    with running_app(engine, fake_slack.base_url, clock) as running:
        signer = SlackSigner(running.url, SIGNING_SECRET, fake=fake_slack)
        yield Harness(running, fake_slack, signer, clock)
