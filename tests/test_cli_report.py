"""``inhouse report`` as an operator runs it: the figures of each provider x customer pair as text, CSV or JSON,
with the columns of the issue in their order, and a chart; bad input is one line."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.lifecycle import EventKind
from bot.reports.figures import COLUMNS
from bot.requests import filing
from bot.requests import service as requests
from bot.requests.service import RequestDraft
from storage.db import make_engine, session_factory
from tests.orgs import TEST_ORG
from tests.test_cli import inhouse

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def workplace(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A database with the test org and, two days ago, two requests from Sales to IT (one acknowledged)."""
    (tmp_path / "org.toml").write_text(TEST_ORG)
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'inhouse.db'}", "INHOUSE_ORG": str(tmp_path / "org.toml")}
    assert inhouse("org", "apply", cwd=tmp_path, **env).returncode == 0
    filed = datetime.now(UTC) - timedelta(days=2)
    with session_factory(make_engine(env["DATABASE_URL"]))() as session:
        for text in ("Laptop", "Badge"):
            filing.open_request(session, RequestDraft("it", "normal", text), "U0SAM", filed)
        requests.act(session, 1, EventKind.ACKNOWLEDGED, "U0ALICE", filed + timedelta(minutes=5))
    return tmp_path, env


def test_csv_has_one_row_per_pair_with_the_columns_in_order(workplace: tuple[Path, dict[str, str]]) -> None:
    cwd, env = workplace
    result = inhouse("report", "--format", "csv", cwd=cwd, **env)

    assert result.returncode == 0, result.stderr
    reader = csv.DictReader(io.StringIO(result.stdout))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    [row] = list(reader)
    assert (row["provider"], row["customer"], row["filed"], row["open"]) == ("it", "sales", "2", "2")
    assert row["first_response_met"] == "1"
    assert row["rating_average"] == ""  # nobody rated: empty, not zero


def test_json_has_the_same_rows_with_nulls(workplace: tuple[Path, dict[str, str]]) -> None:
    cwd, env = workplace
    result = inhouse("report", "--format", "json", "--department", "it", "--customer", "sales", cwd=cwd, **env)

    assert result.returncode == 0, result.stderr
    [row] = json.loads(result.stdout)
    assert list(row) == list(COLUMNS)
    assert (row["filed"], row["first_response_attainment"], row["rating_average"]) == (2, 1.0, None)


def test_text_is_a_readable_table_and_the_chart_a_png(workplace: tuple[Path, dict[str, str]]) -> None:
    cwd, env = workplace
    result = inhouse("report", "--chart", str(cwd / "chart.png"), cwd=cwd, **env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Service report: All departments · ")
    assert "IT Support" in result.stdout
    assert (cwd / "chart.png").read_bytes().startswith(PNG)


def test_a_period_with_nothing_in_it_says_so(workplace: tuple[Path, dict[str, str]]) -> None:
    cwd, env = workplace
    result = inhouse("report", "--from", "2020-01-01", "--to", "2020-01-31", cwd=cwd, **env)

    assert result.returncode == 0, result.stderr
    assert "No requests in this period." in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--department", "nope"], "--department nope: there is no such department (departments: hr, it, sales)."),
        (["--from", "2026-12-05", "--to", "2026-12-01"], "--from 2026-12-05 is after --to 2026-12-01"),
        (["--from", "last week"], "'last week' is not a date like 2026-11-30"),
    ],
)
def test_bad_input_is_one_line(workplace: tuple[Path, dict[str, str]], args: list[str], message: str) -> None:
    cwd, env = workplace
    result = inhouse("report", *args, cwd=cwd, **env)

    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
