"""``inhouse outbox``: the operator sees what is owed to Slack, what died and why, and sends it again."""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import col

from bot.slack.message import Message
from bot.slack.outbox import owe, post
from storage import migrate
from storage.db import make_engine, session_factory
from storage.models import Outbox
from tests.fakes.app_server import BOT_TOKEN
from tests.fakes.slack_api import FakeSlack
from tests.test_cli import inhouse


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack(token=BOT_TOKEN) as fake:
        yield fake


@pytest.fixture
def database(tmp_path: Path) -> str:
    """One message waiting for its time, one that died because its channel is gone."""
    url = f"sqlite:///{tmp_path / 'inhouse.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with session_factory(engine)() as session:
        owe(session, [post("later", "C0IT", Message(text="later"))], datetime(2999, 1, 1, tzinfo=UTC))
        owe(session, [post("gone", "C0GONE", Message(text="hello"))], datetime.now(UTC))
        dead = {"status": "dead", "last_error": "channel_not_found", "attempts": 1}
        session.execute(update(Outbox).where(col(Outbox.key) == "gone").values(**dead))
    engine.dispose()
    return url


def test_it_lists_what_is_pending_and_counts_the_dead(database: str, tmp_path: Path) -> None:
    result = inhouse("outbox", cwd=tmp_path, DATABASE_URL=database)
    assert result.returncode == 0, result.stderr
    (pending, summary) = result.stdout.splitlines()
    assert pending.split()[1:3] == ["pending", "call"]
    assert "to C0IT" in pending
    assert "due 2999-01-01" in pending
    assert summary.startswith("1 pending (0 due now, 0 overdue), 1 dead.")
    assert "inhouse outbox --retry all" in summary


def test_dead_says_why(database: str, tmp_path: Path) -> None:
    result = inhouse("outbox", "--dead", cwd=tmp_path, DATABASE_URL=database)
    (dead, _summary) = result.stdout.splitlines()
    assert dead.split()[1] == "dead"
    assert "to C0GONE" in dead
    assert dead.endswith("channel_not_found")


def test_retry_sends_a_dead_message_again_once(database: str, tmp_path: Path, fake_slack: FakeSlack) -> None:
    env = {"DATABASE_URL": database, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": fake_slack.base_url}
    result = inhouse("outbox", "--retry", "all", cwd=tmp_path, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Sending 1 again: 1 sent, 0 to retry, 0 dead."
    assert [m["text"] for m in fake_slack.messages("C0GONE")] == ["hello"]
    again = inhouse("outbox", "--retry", "all", cwd=tmp_path, **env)
    assert (again.returncode, again.stderr.strip()) == (2, "No dead message to send again.")


def test_retry_of_something_that_is_not_an_id_says_what_it_takes(database: str, tmp_path: Path) -> None:
    result = inhouse("outbox", "--retry", "yesterday", cwd=tmp_path, DATABASE_URL=database)
    assert result.returncode == 2
    assert "--retry takes a message id" in result.stderr
