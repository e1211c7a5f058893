"""The ``inhouse`` command as an operator runs it: a real process, real files, real exit codes."""

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.requests import filing
from bot.requests.service import RequestDraft
from storage.db import make_engine, session_factory
from tests.orgs import TEST_ORG

SLACK_VARIABLES = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "INHOUSE_ORG", "DATABASE_URL")


def inhouse(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if key not in SLACK_VARIABLES}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


def test_run_without_tokens_names_each_missing_variable_and_where_to_get_it(tmp_path: Path) -> None:
    result = inhouse("run", cwd=tmp_path)
    assert result.returncode == 2
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        assert f"  {name}: " in result.stderr
    assert "OAuth & Permissions" in result.stderr
    assert "Traceback" not in result.stderr


def test_http_mode_does_not_ask_for_the_socket_mode_token(tmp_path: Path) -> None:
    result = inhouse("run", "--mode", "http", cwd=tmp_path, SLACK_BOT_TOKEN="xoxb-1")
    assert result.returncode == 2
    assert "SLACK_SIGNING_SECRET" in result.stderr
    assert "SLACK_APP_TOKEN" not in result.stderr


def test_tokens_in_a_dotenv_file_count(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-1\n")
    result = inhouse("run", cwd=tmp_path)
    assert "SLACK_BOT_TOKEN" not in result.stderr
    assert "SLACK_SIGNING_SECRET" in result.stderr


def test_org_check_accepts_the_example_org(tmp_path: Path) -> None:
    example = Path(__file__).parent.parent / "org.example.toml"
    result = inhouse("org", "check", str(example), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{example}: OK (5 departments")


def test_org_check_lists_every_problem_with_file_line_and_key(tmp_path: Path) -> None:
    org = tmp_path / "org.toml"
    broken = TEST_ORG.replace('first_response = "4h"', 'first_response = "4x"')
    org.write_text(broken.replace('calendar = "office"\n', 'calendar = "ofice"\n', 1))
    result = inhouse("org", "check", str(org), cwd=tmp_path)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"{org}:15: departments.it.calendar: unknown calendar 'ofice' (did you mean 'office'?)"
    assert lines[1].startswith(f"{org}:35: agreements[0].first_response: '4x' is not a duration")
    assert len(lines) == 2


def test_org_apply_writes_the_org_to_the_database_and_reports_it(tmp_path: Path) -> None:
    org = tmp_path / "org.toml"
    org.write_text(TEST_ORG)
    database = f"sqlite:///{tmp_path / 'inhouse.db'}"
    result = inhouse("org", "apply", str(org), cwd=tmp_path, DATABASE_URL=database)
    assert result.returncode == 0, result.stderr
    assert f"Applied {org}: 3 departments, 3 agreements, 1 calendars" in result.stderr


def test_org_apply_of_a_broken_file_changes_nothing(tmp_path: Path) -> None:
    org = tmp_path / "org.toml"
    org.write_text(TEST_ORG.replace('name = "Sales"', "name = 7"))
    database = f"sqlite:///{tmp_path / 'inhouse.db'}"
    result = inhouse("org", "apply", str(org), cwd=tmp_path, DATABASE_URL=database)
    assert result.returncode == 2
    assert "departments.sales.name" in result.stderr
    assert not (tmp_path / "inhouse.db").exists()


@pytest.mark.parametrize("argv", [["org"], ["nonsense"]])
def test_a_wrong_command_prints_usage(tmp_path: Path, argv: list[str]) -> None:
    result = inhouse(*argv, cwd=tmp_path)
    assert result.returncode == 2
    assert "usage: inhouse" in result.stderr


def test_sla_due_answers_in_the_calendars_time_zone(tmp_path: Path) -> None:
    org = tmp_path / "org.toml"
    org.write_text(TEST_ORG)
    result = inhouse("sla", "due", "office", "2026-11-20T16:00:00+01:00", "4h", cwd=tmp_path, INHOUSE_ORG=str(org))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "2026-11-23T12:00:00+01:00\n"  # Friday 16:00 + 4 business hours: Monday noon


def test_sla_due_counts_working_days_around_christmas(tmp_path: Path) -> None:
    org = tmp_path / "org.toml"
    org.write_text(TEST_ORG)
    result = inhouse("sla", "due", "office", "2026-12-23T10:00:00Z", "2d", cwd=tmp_path, INHOUSE_ORG=str(org))
    assert result.stdout == "2026-12-28T11:00:00+01:00\n"  # the 24th works, the 25th and 26th are holidays


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere", "2026-11-20T16:00:00+01:00", "4h"], "No calendar 'nowhere'"),
        (["office", "2026-11-20T16:00:00+01:00", "4x"], "'4x' is not a duration"),
        (["office", "2026-11-20T16:00:00", "4h"], "has no UTC offset"),
        (["office", "2026-01-05T09:00+01:00", "5000d"], "5000d from 2026-01-05T09:00:00+01:00 is too far ahead"),
        (["office", "2026-01-05T09:00+01:00", "99999999999m"], "looks at most 3653 days (about ten years) ahead"),
    ],
)
def test_sla_due_explains_bad_input(tmp_path: Path, args: list[str], message: str) -> None:
    org = tmp_path / "org.toml"
    org.write_text(TEST_ORG)
    result = inhouse("sla", "due", *args, cwd=tmp_path, INHOUSE_ORG=str(org))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_sla_check_dry_run_lists_what_would_be_sent_and_sends_nothing(tmp_path: Path) -> None:
    org = tmp_path / "org.toml"
    org.write_text(TEST_ORG)
    database = f"sqlite:///{tmp_path / 'inhouse.db'}"
    assert inhouse("org", "apply", str(org), cwd=tmp_path, DATABASE_URL=database).returncode == 0
    engine = make_engine(database)
    with session_factory(engine)() as session:
        filing.open_request(
            session, RequestDraft("it", "normal", "VPN"), "U0SAM", datetime(2026, 11, 23, 9, tzinfo=UTC)
        )
    engine.dispose()
    at = "2026-11-23T13:30:00Z"
    result = inhouse("sla", "check", "--at", at, "--dry-run", cwd=tmp_path, DATABASE_URL=database)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "would DM U0ITMGR now: #1 missed its first response target",
    ]
    again = inhouse("sla", "check", "--at", at, "--dry-run", cwd=tmp_path, DATABASE_URL=database)
    assert again.stdout == result.stdout  # nothing was recorded
    early = inhouse("sla", "check", "--at", "2026-11-23T09:30:00Z", "--dry-run", cwd=tmp_path, DATABASE_URL=database)
    assert early.stdout == "Nothing is due as of 2026-11-23T09:30:00+00:00: no SLA alert would be sent.\n"


def test_a_dry_run_creates_no_database(tmp_path: Path) -> None:
    result = inhouse("sla", "check", "--dry-run", cwd=tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'none.db'}")
    assert result.returncode == 2
    assert result.stderr.strip() == f"There is no database at {tmp_path / 'none.db'} yet: nothing to look at."
    assert not (tmp_path / "none.db").exists()
