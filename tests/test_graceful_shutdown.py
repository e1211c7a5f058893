"""SIGTERM while request submissions are in flight: every one answered 200 is written with its card owed, and the
server exits 0."""

import http.client
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.clock import system_clock
from bot.config import Settings
from bot.ids import Action, BlockId, Callback
from bot.outbox_kinds import all_kinds
from bot.slack.sender import Sender
from storage.db import session_factory
from storage.models import Request
from tests.fakes.app_server import BOT_TOKEN, SIGNING_SECRET
from tests.fakes.postgres import free_port
from tests.fakes.signing import SlackSigner, plain_value, static_select
from tests.fakes.slack_api import FakeSlack
from tests.orgs import TEST_ORG

Json = dict[str, Any]

BURST = 40
CLIENTS = 20
REQUESTER = "U0SAM"


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
            return int(response.status) == 200
    except (OSError, urllib.error.HTTPError):
        return False


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack(token=BOT_TOKEN) as fake:
        yield fake


@pytest.fixture
def server(engine: Engine, fake_slack: FakeSlack, tmp_path: Path) -> Iterator[Server]:
    """``inhouse run --mode http`` with 2 workers on the test database; killed if a test leaves it running."""
    org = tmp_path / "org.toml"
    org.write_text(TEST_ORG)
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.base_url,
        "DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "INHOUSE_ORG": str(org),
    }
    port = free_port()
    command = [sys.executable, "-m", "bot", "run", "--mode", "http", "--port", str(port)]
    command += ["--workers", "2", "--threads", "4", "--no-scheduler"]
    log = tmp_path / "inhouse.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT)
    running = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 30
        while not _healthy(running.url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"inhouse did not start serving:\n{running.output()}")
            time.sleep(0.1)  # nothing to wait on but the port
        yield running
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def _submit(signer: SlackSigner, view_id: str | None, number: int) -> int:
    """Submit a request modal with a description that names the submission; the HTTP status, 0 if none.

    ``view_id`` None: a modal of its own (the same modal submitted twice files one request).
    """
    values: dict[str, dict[str, Json]] = {
        BlockId.DEPARTMENT: {Action.DEPARTMENT: static_select("it")},
        BlockId.PRIORITY: {Action.PRIORITY: static_select("normal")},
        BlockId.DESCRIPTION: {Action.DESCRIPTION: plain_value(f"submission {number}")},
    }
    request = signer.view_submission(Callback.REQUEST, values, user_id=REQUESTER, view_id=view_id)
    try:
        return request.send().status
    except (OSError, http.client.HTTPException):  # refused or cut off once the server stopped accepting
        return 0


def test_sigterm_during_submissions_loses_no_request(server: Server, fake_slack: FakeSlack, engine: Engine) -> None:
    signer = SlackSigner(f"{server.url}/slack/events", SIGNING_SECRET, fake=fake_slack, timeout=30)
    assert signer.command("/request", user_id=REQUESTER).send().status == 200
    fake_slack.wait_for("views.open", timeout=10)

    first_answer = threading.Event()
    answered_before_signal = 0

    def submit(number: int) -> int:  # as many people, each submitting a modal of their own
        status = _submit(signer, None, number)
        first_answer.set()
        return status

    with ThreadPoolExecutor(max_workers=CLIENTS) as clients:
        futures = [clients.submit(submit, number) for number in range(BURST)]
        assert first_answer.wait(timeout=30), server.output()
        server.process.send_signal(signal.SIGTERM)
        answered_before_signal = sum(future.done() for future in futures)
        statuses = [future.result() for future in futures]
    assert server.process.wait(timeout=60) == 0, server.output()

    assert answered_before_signal < BURST, "every submission was answered before SIGTERM: nothing was in flight"
    assert set(statuses) <= {200, 0}, statuses
    accepted = {f"submission {number}" for number, status in enumerate(statuses) if status == 200}
    assert accepted, server.output()
    with Session(engine) as session:
        filed = session.exec(select(Request).order_by(col(Request.id))).all()
    assert {request.description for request in filed} == accepted
    # Every card was owed with its request: what the server had not sent yet, the scheduler's sender sends.
    client = WebClient(token=BOT_TOKEN, base_url=fake_slack.base_url, retry_handlers=[], timeout=5)
    Sender(session_factory(engine), client, system_clock, all_kinds(Settings(_env_file=None))).drain()
    with Session(engine) as session:
        cards = {request.id: request.card_ts for request in session.exec(select(Request))}
    assert all(cards.values()), [number for number, ts in cards.items() if not ts]
    posted = [message["ts"] for message in fake_slack.messages("C0IT")]
    assert sorted(posted) == sorted(str(ts) for ts in cards.values())  # each card once
