"""``inhouse feedback digest`` as an operator runs it: a real process, a real database, Slack faked over HTTP."""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.feedback import service as feedback
from bot.feedback.service import FeedbackDraft
from bot.org.apply import apply_org
from bot.org.model import load_org_text
from storage.db import session_factory
from tests.fakes.app_server import BOT_TOKEN
from tests.fakes.slack_api import FakeSlack
from tests.orgs import TEST_ORG
from tests.test_cli import inhouse

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack(token=BOT_TOKEN) as fake:
        yield fake


def _database_with_feedback(engine: Engine) -> str:
    with session_factory(engine)() as session:
        apply_org(session, load_org_text(TEST_ORG, "org.toml"))
        feedback.submit(session, FeedbackDraft("it", None, 4, "Quick fix", "", anonymous=False), "U0SAM", MONDAY)
    return engine.url.render_as_string(hide_password=False)


def test_feedback_digest_sends_the_week_before_to_each_departments_managers(
    tmp_path: Path, engine: Engine, fake_slack: FakeSlack
) -> None:
    database = _database_with_feedback(engine)
    result = inhouse(
        "feedback", "digest", "--at", "2026-11-30T09:00:00+01:00",
        cwd=tmp_path, DATABASE_URL=database, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=fake_slack.base_url,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Sent 2 feedback digests.\n"
    recipients = sorted(call.args["channel"] for call in fake_slack.calls_to("chat.postMessage"))
    assert recipients == ["U0ITMGR", "U0SALESMGR"]
    assert fake_slack.messages("D0ITMGR")[0]["text"] == (
        "Feedback digest for IT Support, Mon 23 Nov 2026 to Sun 29 Nov 2026"
    )


def test_feedback_digest_twice_sends_each_digest_once_and_says_so_and_force_sends_them_again(
    tmp_path: Path, engine: Engine, fake_slack: FakeSlack
) -> None:
    database = _database_with_feedback(engine)

    def digest(*extra: str) -> str:
        result = inhouse(
            "feedback", "digest", "--at", "2026-11-30T09:00:00+01:00", *extra,
            cwd=tmp_path, DATABASE_URL=database, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=fake_slack.base_url,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout

    def digests_to(manager: str) -> int:
        return len([m for m in fake_slack.messages(f"D{manager[1:]}") if m["text"].startswith("Feedback digest")])

    assert digest() == "Sent 2 feedback digests.\n"
    assert digest() == (
        "Sent 0 feedback digests.\n"
        "The digests of the week Mon 23 Nov 2026 to Sun 29 Nov 2026 already went: 0 new, 2 already owed "
        "(sent or on their way). Add --force to send them again.\n"
    )
    assert (digests_to("U0ITMGR"), digests_to("U0SALESMGR")) == (1, 1)
    assert digest("--force") == "Sent 2 feedback digests.\n"
    assert (digests_to("U0ITMGR"), digests_to("U0SALESMGR")) == (2, 2)


def test_feedback_digest_without_a_bot_token_says_where_to_get_one(tmp_path: Path) -> None:
    result = inhouse("feedback", "digest", cwd=tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'inhouse.db'}")
    assert result.returncode == 2
    assert "  SLACK_BOT_TOKEN: the Bot User OAuth Token" in result.stderr


def test_feedback_digest_refuses_a_time_without_an_offset(tmp_path: Path) -> None:
    result = inhouse("feedback", "digest", "--at", "2026-11-30T09:00", cwd=tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN)
    assert result.returncode == 2
    assert "has no UTC offset" in result.stderr
