"""The scheduler as deployed: `inhouse scheduler` alone, and exactly one beside the HTTP workers."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.org.apply import apply_org
from bot.org.model import load_org_text
from bot.requests import filing
from bot.requests.service import RequestDraft
from bot.slack.sender import LEASE
from storage import migrate
from storage.db import make_engine, session_factory
from tests.fakes.app_server import BOT_TOKEN, SIGNING_SECRET
from tests.fakes.postgres import free_port
from tests.fakes.slack_api import FakeSlack
from tests.orgs import TEST_ORG

ALWAYS_OPEN = TEST_ORG.replace('days = "mon-fri"', 'days = "mon-sun"').replace('"09:00-17:00"', '"00:00-24:00"')


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack(token=BOT_TOKEN) as fake:
        yield fake


@pytest.fixture
def overdue_database(tmp_path: Path) -> str:
    """A database with one request whose first response (4h, around the clock) was due an hour ago."""
    url = f"sqlite:///{tmp_path / 'inhouse.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with session_factory(engine)() as session:
        apply_org(session, load_org_text(ALWAYS_OPEN, "org.toml"))
        filing.open_request(
            session, RequestDraft("it", "normal", "VPN down"), "U0SAM", datetime.now(UTC) - timedelta(hours=5)
        )
    engine.dispose()
    (tmp_path / "org.toml").write_text(ALWAYS_OPEN)
    return url


def _env(fake: FakeSlack, database: str, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.base_url,
        "DATABASE_URL": database,
        "INHOUSE_ORG": str(tmp_path / "org.toml"),
    }


def _descendants(pid: int) -> list[str]:
    """Command lines of every process below ``pid`` (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], list(children.get(pid, []))
    while stack:
        child = stack.pop()
        try:
            found.append((Path("/proc") / str(child) / "cmdline").read_text().replace("\0", " ").strip())
        except OSError:
            continue
        stack += children.get(child, [])
    return found


def test_the_scheduler_alone_delivers_a_breach_and_stops_on_sigterm(
    fake_slack: FakeSlack, overdue_database: str, tmp_path: Path
) -> None:
    env = _env(fake_slack, overdue_database, tmp_path)
    command = [sys.executable, "-m", "bot", "scheduler"]
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    try:
        (dm,) = fake_slack.wait_for(
            "chat.postMessage", timeout=30, where=lambda call: call.args["channel"] == "U0ITMGR"
        )
        assert "missed its first response target" in dm.args["text"]
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        if process.stderr:
            process.stderr.close()


def test_http_mode_with_two_workers_runs_exactly_one_scheduler(
    fake_slack: FakeSlack, overdue_database: str, tmp_path: Path
) -> None:
    port = free_port()
    command = [sys.executable, "-m", "bot", "run", "--mode", "http", "--port", str(port), "--workers", "2"]
    env = _env(fake_slack, overdue_database, tmp_path)
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    try:
        fake_slack.wait_for("chat.postMessage", timeout=30, where=lambda call: call.args["channel"] == "U0ITMGR")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # wait for gunicorn to have forked both workers
            processes = _descendants(process.pid)
            if sum("gunicorn" in p or "bot run" in p for p in processes) >= 2:
                break
            time.sleep(0.2)
        processes = _descendants(process.pid)
        assert sum(p.endswith("-m bot scheduler") for p in processes) == 1, processes
        assert len(fake_slack.calls_to("chat.postMessage")) >= 1
        assert len([c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == "U0ITMGR"]) == 1
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        if process.stderr:
            process.stderr.close()


def _scheduler_pids(pid: int) -> list[int]:
    """The scheduler processes below ``pid`` (its supervisor, ``scheduler --keep-alive``, is not one)."""
    parents: dict[int, int] = {}
    commands: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                commands[int(entry.name)] = (entry / "cmdline").read_text().replace("\0", " ").strip()
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue

    def below(child: int) -> bool:
        while child in parents and child != pid:
            child = parents[child]
        return child == pid

    return [p for p, command in commands.items() if command.endswith("-m bot scheduler") and p != pid and below(p)]


def _wait_for(condition: Callable[[], list[int]], timeout: float = 20) -> list[int]:
    deadline = time.monotonic() + timeout
    while not (found := condition()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def test_a_scheduler_killed_beside_the_web_workers_is_started_again_and_alerts_go_on(
    fake_slack: FakeSlack, overdue_database: str, tmp_path: Path
) -> None:
    port = free_port()
    command = [sys.executable, "-m", "bot", "run", "--mode", "http", "--port", str(port), "--workers", "1"]
    env = _env(fake_slack, overdue_database, tmp_path)
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    try:
        fake_slack.wait_for("chat.postMessage", timeout=30, where=lambda call: call.args["channel"] == "U0ITMGR")
        (first,) = _wait_for(lambda: _scheduler_pids(process.pid))
        os.kill(first, signal.SIGKILL)
        (second,) = _wait_for(lambda: [p for p in _scheduler_pids(process.pid) if p != first])
        engine = make_engine(overdue_database)
        with session_factory(engine)() as session:  # a new breach, after the restart
            filing.open_request(
                session,
                RequestDraft("it", "normal", "Printer on fire"),
                "U0SAM",
                datetime.now(UTC) - timedelta(hours=5),
            )
        engine.dispose()
        dms = fake_slack.wait_for(
            "chat.postMessage",
            count=2,
            timeout=LEASE.total_seconds() + 30,
            where=lambda call: call.args["channel"] == "U0ITMGR",
        )
        assert len(dms) == 2
        assert second != first
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        stderr = process.stderr.read() if process.stderr else ""
        if process.stderr:
            process.stderr.close()
    assert "The scheduler process exited (-9)" in stderr
