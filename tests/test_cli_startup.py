"""Start-up mistakes as an operator makes them: each ends in one line that says what to do, exit 2, no traceback."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.app_server import BOT_TOKEN
from tests.fakes.postgres import free_port
from tests.fakes.slack_api import FakeSlack
from tests.test_cli import inhouse

TOKENS = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "secret", "SLACK_APP_TOKEN": "xapp-1"}


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack(token=BOT_TOKEN) as fake:
        yield fake


def _one_line(stderr: str) -> str:
    """The last line, after checking there is no traceback above it."""
    assert "Traceback" not in stderr
    return stderr.strip().splitlines()[-1]


def test_a_copied_env_example_with_empty_values_counts_as_missing(tmp_path: Path) -> None:
    example = (Path(__file__).parent.parent / ".env.example").read_text()
    (tmp_path / ".env").write_text(example.replace("INHOUSE_ORG=org.example.toml", "INHOUSE_ORG="))
    result = inhouse("run", cwd=tmp_path)
    assert result.returncode == 2
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        assert f"  {name}: " in result.stderr
    assert f"Looked in the environment and in {tmp_path / '.env'}." in result.stderr


def test_without_a_dotenv_it_says_where_it_looked(tmp_path: Path) -> None:
    result = inhouse("run", cwd=tmp_path)
    assert f"{tmp_path / '.env'} (there is no such file)" in result.stderr


def test_a_token_slack_refuses_is_named(tmp_path: Path, fake_slack: FakeSlack) -> None:
    result = inhouse("run", "--mode", "http", cwd=tmp_path, **TOKENS, SLACK_API_URL=fake_slack.base_url)
    assert result.returncode == 2
    assert _one_line(result.stderr).startswith("Slack refused SLACK_BOT_TOKEN (invalid_auth): copy the Bot User")


def test_an_unreachable_slack_api_url_is_named(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/api/"
    result = inhouse("run", cwd=tmp_path, **TOKENS, SLACK_API_URL=url)
    assert result.returncode == 2
    assert _one_line(result.stderr).startswith(f"Cannot reach Slack's Web API at {url}")


@pytest.mark.parametrize(
    ("database", "expected"),
    [
        ("sqlite:////no/such/folder/inhouse.db", "The SQLite database's folder does not exist: /no/such/folder."),
        ("mysql://me:hunter2@db/inhouse", "DATABASE_URL mysql://me:***@db/inhouse uses 'mysql', which Inhouse does"),
        ("not a url", "DATABASE_URL is not a database URL"),
    ],
)
def test_a_database_url_that_cannot_work_is_named(tmp_path: Path, database: str, expected: str) -> None:
    result = inhouse("db", "upgrade", cwd=tmp_path, DATABASE_URL=database)
    assert result.returncode == 2
    assert _one_line(result.stderr).startswith(expected)
    assert "hunter2" not in result.stderr


def test_an_unreachable_database_is_named_without_its_password(tmp_path: Path) -> None:
    database = f"postgresql://me:hunter2@127.0.0.1:{free_port()}/inhouse"
    result = inhouse("run", "--mode", "http", cwd=tmp_path, **TOKENS, DATABASE_URL=database)
    assert result.returncode == 2
    line = _one_line(result.stderr)
    assert line.startswith(f"Cannot reach the database at postgresql://me:***@127.0.0.1:{database.split(':')[-1]}")
    assert line.endswith("Check DATABASE_URL and that the server is running.")
    assert "hunter2" not in result.stderr


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = inhouse("--debug", "db", "upgrade", cwd=tmp_path, DATABASE_URL="mysql://db/inhouse")
    assert result.returncode == 2
    assert "Traceback" in result.stderr


def test_version(tmp_path: Path) -> None:
    result = inhouse("--version", cwd=tmp_path)
    assert (result.returncode, result.stdout.strip()) == (0, "inhouse 0.1.0")


def test_org_takes_the_org_file_and_a_missing_one_says_where_it_looked(tmp_path: Path) -> None:
    result = inhouse("--org", "nowhere.toml", "org", "check", cwd=tmp_path)
    assert result.returncode == 2
    assert _one_line(result.stderr).startswith(f"nowhere.toml: there is no such org file (looked for {tmp_path}")
    example = Path(__file__).parent.parent / "org.example.toml"
    checked = inhouse("--org", str(example), "org", "check", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith(f"{example}: OK")


def test_a_command_logs_no_migration_noise(tmp_path: Path, fake_slack: FakeSlack) -> None:
    env = {**TOKENS, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": fake_slack.base_url}
    result = inhouse("sla", "check", cwd=tmp_path, **env)
    assert result.returncode == 0, result.stderr
    assert "alembic" not in result.stderr
