"""``inhouse retro start|close RETRO [--at ISO]``: the operator's way to run a retro now (and the tests' to travel)."""

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.fakes.app_server import BOT_TOKEN
from tests.handlers.harness import Harness
from tests.handlers.retro_kit import prompts, retro_rows, use_retro_org, utc

Inhouse = Callable[..., subprocess.CompletedProcess[str]]
ROOT = Path(__file__).parent.parent.parent


@pytest.fixture
def operator(inhouse: Harness) -> Harness:
    use_retro_org(inhouse)
    return inhouse


@pytest.fixture
def run(inhouse: Harness, engine: Engine, tmp_path: Path) -> Inhouse:
    """``inhouse ARGS`` in a process of its own, on the test database and the fake Slack."""
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("SLACK_", "INHOUSE_ORG"))},
        "DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": inhouse.slack.base_url,
        "PYTHONPATH": str(ROOT),
    }

    def inhouse_command(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "bot", *args]
        return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)

    return inhouse_command


def test_retro_start_posts_the_prompt_of_the_period_at_the_given_instant(operator: Harness, run: Inhouse) -> None:
    result = run("retro", "start", "it", "--at", "2026-11-25T10:00:00+00:00")
    assert (result.returncode, result.stdout) == (0, "Retro it started; 1 prompt posted.\n"), result.stderr
    (retro,) = retro_rows(operator)
    assert (retro.period_start, retro.opened_at) == (utc(2026, 11, 20, 14), utc(2026, 11, 25, 10))
    assert len(prompts(operator)) == 1


def test_retro_start_of_a_period_that_already_started_says_so_in_one_line(operator: Harness, run: Inhouse) -> None:
    run("retro", "start", "it", "--at", "2026-11-25T10:00:00+00:00")
    result = run("retro", "start", "it", "--at", "2026-11-26T10:00:00+00:00")
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "Retro it already started for the period from Fri 20 Nov 2026 15:00 (Europe/Berlin): nothing to do.\n",
        "",
    )
    assert len(prompts(operator)) == 1
    assert len(retro_rows(operator)) == 1


def test_retro_close_posts_the_summary_now(operator: Harness, run: Inhouse) -> None:
    run("retro", "start", "it", "--at", "2026-11-25T10:00:00+00:00")
    result = run("retro", "close", "it", "--at", "2026-11-25T12:00:00+00:00")
    assert (result.returncode, result.stdout) == (0, "Retro it closed; 1 summary posted.\n"), result.stderr
    (retro,) = retro_rows(operator)
    assert retro.closed_at == utc(2026, 11, 25, 12)
    (summary,) = operator.slack.replies("C0IT", prompts(operator)[0]["ts"])
    assert summary["text"] == "Retrospective closed: IT Support: 0 entries, 0 action items."


def test_an_unknown_retro_is_named_in_the_error(operator: Harness, run: Inhouse) -> None:
    result = run("retro", "start", "nope")
    assert (result.returncode, result.stderr.splitlines()[-1]) == (2, "There is no retro 'nope' in the org file.")


def test_closing_an_unknown_retro_says_it_does_not_exist(operator: Harness, run: Inhouse) -> None:
    result = run("retro", "close", "UNKNOWN")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "There is no retro 'UNKNOWN' in the org file.\n"
