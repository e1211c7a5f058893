"""``inhouse feedback digest`` and ``rotate-key`` as an operator runs them.

A real process, a real database, Slack faked over HTTP.
"""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine

from bot.feedback import service as feedback
from bot.feedback.keyring import Keyring
from bot.feedback.service import FeedbackDraft
from bot.org.apply import apply_org
from bot.org.model import load_org_text
from storage.db import session_factory
from storage.feedback_models import Feedback
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
        draft = FeedbackDraft("it", None, 4, "Quick fix", "", anonymous=False)
        feedback.submit(session, draft, "U0SAM", MONDAY, Keyring([]))
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


def _anonymous_feedback_sealed_with(engine: Engine, key: str) -> tuple[str, int]:
    """A database with anonymous feedback whose link was made with ``key``: its URL and the feedback's id."""
    with session_factory(engine)() as session:
        apply_org(session, load_org_text(TEST_ORG, "org.toml"))
        draft = FeedbackDraft("it", None, 2, "", "Slow", anonymous=True)
        submitted = feedback.submit(session, draft, "U0SAM", MONDAY, Keyring([key]))
        session.commit()
    return engine.url.render_as_string(hide_password=False), submitted.notice.feedback_id


def _link(engine: Engine, feedback_id: int) -> str:
    with session_factory(engine)() as session:
        row = session.get(Feedback, feedback_id)
        assert row is not None
        return str(row.reply_link)


def test_rotate_key_encrypts_every_link_again_with_the_first_key_and_the_old_key_then_opens_none(
    tmp_path: Path, engine: Engine
) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    database, feedback_id = _anonymous_feedback_sealed_with(engine, old)
    before = _link(engine, feedback_id)
    assert Keyring([new, old]).open(before) == "U0SAM"  # rotated settings: the old link still opens

    result = inhouse("feedback", "rotate-key", cwd=tmp_path, DATABASE_URL=database, INHOUSE_SECRET_KEY=f"{new},{old}")

    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Re-encrypted 1 reply link of anonymous feedback with the first key.\n"
        "Once every process runs with the new key first, the old keys can be dropped from INHOUSE_SECRET_KEY.\n"
    )
    after = _link(engine, feedback_id)
    assert after != before
    assert Keyring([new]).open(after) == "U0SAM"
    assert Keyring([old]).open(after) is None
    assert Fernet(new).extract_timestamp(after) == 0  # still dated nothing


def test_rotate_key_says_which_links_no_key_opens_and_leaves_them(tmp_path: Path, engine: Engine) -> None:
    lost, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    database, feedback_id = _anonymous_feedback_sealed_with(engine, lost)
    before = _link(engine, feedback_id)
    result = inhouse("feedback", "rotate-key", cwd=tmp_path, DATABASE_URL=database, INHOUSE_SECRET_KEY=new)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Re-encrypted 0 reply links of anonymous feedback with the first key.\n"
        "1 link could not be opened by any key of INHOUSE_SECRET_KEY and stayed as they were: their feedback "
        "cannot be replied to unless the key they were made with is added back.\n"
    )
    assert _link(engine, feedback_id) == before


def test_rotate_key_without_a_key_says_how_to_make_one(tmp_path: Path) -> None:
    result = inhouse("feedback", "rotate-key", cwd=tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'inhouse.db'}")
    assert result.returncode == 2
    assert result.stderr.startswith("INHOUSE_SECRET_KEY is not set: there is no key to re-encrypt with.")
    assert "Fernet.generate_key()" in result.stderr


def test_a_secret_key_that_is_no_key_is_one_line_at_start(tmp_path: Path) -> None:
    key = Fernet.generate_key().decode()
    result = inhouse("feedback", "rotate-key", cwd=tmp_path, INHOUSE_SECRET_KEY=f"{key},not-a-key")
    assert result.returncode == 2
    assert result.stderr.startswith("A setting is not valid: INHOUSE_SECRET_KEY: Value error, key 2 is not a key")
    assert "Traceback" not in result.stderr
    assert [secret for secret in (key, "not-a-key") if secret in result.stderr] == []
