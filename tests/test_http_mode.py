"""``inhouse run --mode http`` as deployed: gunicorn serving POST /slack/events and GET /healthz."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, update
from sqlmodel import col

from bot.serving.web import wsgi_app
from bot.slack.message import Message
from bot.slack.outbox import owe, post
from storage.db import make_engine, session_factory
from storage.models import Outbox
from tests.fakes.app_server import BOT_TOKEN, SIGNING_SECRET
from tests.fakes.clock import FixedClock
from tests.fakes.postgres import free_port
from tests.fakes.signing import SlackSigner
from tests.fakes.slack_api import FakeSlack
from tests.orgs import TEST_ORG


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def _wait_until_serving(process: subprocess.Popen[str], url: str, deadline: float = 30.0) -> None:
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        if process.poll() is not None:
            raise AssertionError(f"inhouse exited early:\n{process.stderr.read() if process.stderr else ''}")
        try:
            if _get(url) == 200:
                return
        except OSError:
            time.sleep(0.1)  # the server is still starting; nothing else to wait on
    raise AssertionError("inhouse did not start serving in time")


@pytest.fixture
def served(tmp_path: Path, fake_slack: FakeSlack) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    org = tmp_path / "org.toml"
    org.write_text(TEST_ORG)
    port = free_port()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.base_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'inhouse.db'}",
        "INHOUSE_ORG": str(org),
    }
    command = [sys.executable, "-m", "bot", "run", "--mode", "http", "--port", str(port), "--workers", "1"]
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(process, f"{base}/healthz")
        yield base, process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        if process.stderr:
            process.stderr.close()


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack(token=BOT_TOKEN) as fake:
        yield fake


def test_http_mode_answers_a_signed_slash_command_with_a_modal(
    served: tuple[str, subprocess.Popen[str]], fake_slack: FakeSlack
) -> None:
    base, _ = served
    signer = SlackSigner(f"{base}/slack/events", SIGNING_SECRET, fake=fake_slack)
    response = signer.command("/request", "it printer jam", user_id="U0SAM").send()
    assert response.status == 200
    (opened,) = fake_slack.wait_for("views.open", timeout=10)
    assert opened.args["view"]["callback_id"] == "request_modal"


def test_http_mode_refuses_an_unsigned_request(
    served: tuple[str, subprocess.Popen[str]], fake_slack: FakeSlack
) -> None:
    base, _ = served
    signer = SlackSigner(f"{base}/slack/events", SIGNING_SECRET, fake=fake_slack)
    assert signer.send_unsigned(signer.command("/request")).status == 401


def test_sigterm_stops_the_server_cleanly(served: tuple[str, subprocess.Popen[str]]) -> None:
    _, process = served
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0


def _healthz(engine: Engine, clock: FixedClock | None = None) -> tuple[str, Any]:
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> Callable[[bytes], None]:
        statuses.append(status)
        return lambda data: None

    application = wsgi_app(app=None, engine=engine, signing_secret=SIGNING_SECRET, clock=clock or FixedClock())  # type: ignore[arg-type]
    body = b"".join(application({"PATH_INFO": "/healthz", "REQUEST_METHOD": "GET"}, start_response))
    return statuses[0], json.loads(body)


def test_healthz_is_503_when_the_database_is_unreachable() -> None:
    unreachable = make_engine(f"postgresql://postgres@127.0.0.1:{free_port()}/nowhere")
    assert _healthz(unreachable) == ("503 Service Unavailable", {"status": "database unreachable"})


def test_healthz_is_200_when_the_database_answers_and_nothing_is_owed(engine: Engine) -> None:
    status, details = _healthz(engine)
    assert (status, details["status"], details["outbox"]) == (
        "200 OK",
        "ok",
        {"pending": 0, "due": 0, "dead": 0, "overdue": 0},
    )


def _owe(engine: Engine, key: str, due: datetime, status: str = "pending") -> None:
    with session_factory(engine)() as session:
        owe(session, [post(key, "C0IT", Message(text="hello"))], due)
        session.execute(update(Outbox).where(col(Outbox.key) == key).values(status=status))


def test_healthz_is_503_when_a_due_message_waits_for_minutes_untried(engine: Engine) -> None:
    """The scheduler and its sender are gone: nothing delivers, and the load balancer should say so."""
    clock = FixedClock()
    _owe(engine, "fresh", clock() - timedelta(seconds=30))
    assert _healthz(engine, clock)[0] == "200 OK"  # a message just owed is on its way
    _owe(engine, "forgotten", clock() - timedelta(minutes=4))
    status, details = _healthz(engine, clock)
    assert (status, details["status"], details["outbox"]["overdue"]) == ("503 Service Unavailable", "sender stale", 1)


def test_healthz_counts_dead_messages_without_failing(engine: Engine) -> None:
    clock = FixedClock()
    _owe(engine, "gone", clock() - timedelta(hours=1), status="dead")
    status, details = _healthz(engine, clock)
    assert (status, details["outbox"]["dead"]) == ("200 OK", 1)
