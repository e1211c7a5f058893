"""How fast Inhouse acks Slack under a burst, next to a bare Bolt app on the same server configuration.

Starts the fake Slack Web API in this process, Inhouse (``python -m bot run --mode http``) on a temporary
SQLite database with the test org, and ``benchmarks/bare_app.py`` behind the same gunicorn options. Then it
sends both the same signed requests (slash commands, a button click, a request modal's submission) from
concurrent clients on keep-alive connections, in rounds that alternate between the two so that the
machine's noise hits both, and prints p50 and p99 per kind.

    .venv/bin/python -m benchmarks.ack_latency [--rounds 10] [--per-round 40] [--concurrency 20]

Exits 1 if a target is missed. benchmarks/README.md says how to read it.
"""

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from benchmarks.load import Load, Outcome, Prepared
from benchmarks.report import Figures, Kind, report
from benchmarks.slack_process import SlackProcess
from bot.ids import Action, BlockId, Callback
from storage import migrate
from storage.db import make_engine
from storage.models import Request
from tests.fakes.app_server import BOT_TOKEN, SIGNING_SECRET
from tests.fakes.postgres import PostgresCluster, free_port
from tests.fakes.signing import USER_AGENT, SlackRequest, SlackSigner, plain_value, sign, static_select
from tests.orgs import TEST_ORG

Json = dict[str, Any]
ROOT = Path(__file__).resolve().parent.parent
SLACK_PATH = "/slack/events"
REQUESTER = "U0SAM"  # in Sales, so the request modal asks no "your department" question
IT_MEMBER = "U0ALICE"
IT_CHANNEL = "C0IT"
SUBMISSION = "request submission"
CLICK = "Acknowledge click"


@dataclass
class Target:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    signer: SlackSigner


# --- the two servers -------------------------------------------------------------------------------------------


def _start(name: str, command: list[str], env: dict[str, str], workdir: Path, port: int, fake: Any) -> Target:
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT)
    signer = SlackSigner(f"http://127.0.0.1:{port}{SLACK_PATH}", SIGNING_SECRET, fake=fake)
    return Target(name, port, process, log, signer)


def _wait_healthy(target: Target, deadline: float = 60.0) -> None:
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        if target.process.poll() is not None:
            raise SystemExit(f"{target.name} exited early; its log:\n{target.log.read_text()}")
        with contextlib.suppress(OSError), urllib.request.urlopen(f"http://127.0.0.1:{target.port}/healthz") as answer:
            if answer.status == 200:
                return
        time.sleep(0.1)
    raise SystemExit(f"{target.name} did not serve /healthz within {deadline}s; its log:\n{target.log.read_text()}")


def _stop(target: Target) -> int:
    if target.process.poll() is None:
        target.process.send_signal(signal.SIGTERM)
    try:
        return target.process.wait(timeout=45)
    except subprocess.TimeoutExpired:
        target.process.kill()
        return target.process.wait()


@contextlib.contextmanager
def servers(args: argparse.Namespace, fake: Any, workdir: Path, database_url: str) -> Iterator[list[Target]]:
    org = workdir / "org.toml"
    org.write_text(TEST_ORG)
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.base_url(),
        "DATABASE_URL": database_url,
        "INHOUSE_ORG": str(org),
    }
    sizing = ["--workers", str(args.workers), "--threads", str(args.threads)]
    ports = {"bare": free_port(), "inhouse": free_port()}
    commands = {
        "bare": [sys.executable, str(ROOT / "benchmarks" / "bare_app.py"), "--port", str(ports["bare"]), *sizing],
        "inhouse": [sys.executable, "-m", "bot", "run", "--mode", "http", "--port", str(ports["inhouse"]), *sizing],
    }
    targets = [_start(name, commands[name], env, workdir, ports[name], fake) for name in ("bare", "inhouse")]
    try:
        for target in targets:
            _wait_healthy(target)
        yield targets
    finally:
        for target in targets:
            code = _stop(target)
            if code != 0:
                print(f"{target.name} exited with {code} on SIGTERM; its log:\n{target.log.read_text()}")


# --- the requests ----------------------------------------------------------------------------------------------


def _card_number(card: Json) -> int | None:
    """The request number behind a card's Acknowledge button; None once it was acknowledged."""
    for block in card.get("blocks", []):
        for element in block.get("elements", []):
            if isinstance(element, dict) and element.get("action_id") == Action.ACKNOWLEDGE:
                return int(element["value"])
    return None


class Payloads:
    """Each kind's request for a target. Every Inhouse click goes to a fresh card, so each does the real work."""

    def __init__(self, fake: Any) -> None:
        self.fake = fake  # a benchmarks.slack_process.SlackService proxy
        self.card_template: Json | None = None  # what the bare app's clicks click
        self._fresh: list[Json] = []
        self._clicked: set[str] = set()
        self._lock = threading.Lock()

    def command(self, name: str) -> Callable[[Target], SlackRequest]:
        return lambda target: target.signer.command(name, "", user_id=REQUESTER)

    def submission(self, target: Target) -> SlackRequest:
        values: dict[str, dict[str, Json]] = {
            BlockId.DEPARTMENT: {Action.DEPARTMENT: static_select("it")},
            BlockId.PRIORITY: {Action.PRIORITY: static_select("normal")},
            BlockId.DESCRIPTION: {Action.DESCRIPTION: plain_value("The printer on the third floor jams on every page")},
        }
        # A fresh view id each time: Inhouse files one request per view, as a double submit must not file two.
        return target.signer.view_submission(Callback.REQUEST, values, user_id=REQUESTER)

    def click(self, target: Target) -> SlackRequest:
        with self._lock:
            card = self._fresh.pop() if target.name == "inhouse" else self.card_template
            assert card is not None
            self._clicked.add(card["ts"])
        number = _card_number(card)
        return target.signer.block_action(
            Action.ACKNOWLEDGE, str(number), user_id=IT_MEMBER, channel_id=IT_CHANNEL, message=card
        )

    def fresh_cards(self) -> int:
        """Collect the cards that still show Acknowledge and were not clicked; how many there are."""
        cards = [card for card in self.fake.messages(IT_CHANNEL) if _card_number(card) is not None]
        with self._lock:
            self._fresh = [card for card in cards if card["ts"] not in self._clicked]
            if self.card_template is None and self._fresh:
                self.card_template = self._fresh[0]
            return len(self._fresh)


def signed(request: SlackRequest) -> Prepared:
    """The body and headers exactly as Slack sends them, signed now."""
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": request.content_type,
        "User-Agent": USER_AGENT,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": sign(SIGNING_SECRET, timestamp, request.body),
        **request.headers,
    }
    return request.body.encode(), headers


# --- the run ---------------------------------------------------------------------------------------------------


class Bench:
    def __init__(self, fake: Any, targets: list[Target], load: Load, args: argparse.Namespace) -> None:
        self.fake = fake
        self.targets = {target.name: target for target in targets}
        self.load = load
        self.args = args
        self.payloads = Payloads(fake)
        self.filed = 0  # submissions Inhouse answered 200: each must be a request in the database
        self.modal_waits: dict[tuple[str, str], Figures] = {}  # per kind and server: command to views.open

    def kinds(self) -> tuple[list[Kind], list[str]]:
        """The kinds to measure (submissions before clicks: they file the cards), and those Inhouse lacks."""
        kinds = [
            Kind("/request command", self.payloads.command("/request"), ratio_target=1.2),
            Kind("/feedback command", self.payloads.command("/feedback"), ratio_target=1.2),
            Kind(SUBMISSION, self.payloads.submission, p99_target_ms=200.0),
            Kind(CLICK, self.payloads.click, ratio_target=1.2),
        ]
        available = [kind for kind in kinds if self._available(kind)]
        return available, [kind.name for kind in kinds if kind not in available]

    def prime(self) -> None:
        """File a request so that a card exists."""
        self.file_requests(1)
        if not self.payloads.fresh_cards():
            raise SystemExit("Inhouse posted no request card: see its log")

    def run(self, kinds: list[Kind]) -> dict[tuple[str, str], Figures]:
        figures = {(kind.name, name): Figures() for kind in kinds for name in self.targets}
        for kind in kinds:  # warm-up: not counted
            for target in self.targets.values():
                self.batch(kind, target, self.args.concurrency * 2)
        self.modal_waits.clear()
        for round_number in range(self.args.rounds):
            order = list(self.targets.values())
            if round_number % 2:
                order.reverse()
            for kind in kinds:
                for target in order:
                    figures[kind.name, target.name].add(self.batch(kind, target, self.args.per_round))
            print(f"round {round_number + 1}/{self.args.rounds} done", file=sys.stderr)
        return figures

    def batch(self, kind: Kind, target: Target, count: int) -> list[Outcome]:
        if kind.name == CLICK and target.name == "inhouse":
            self.ensure_cards(count)
        outcomes = self.load.run(target.port, SLACK_PATH, count, lambda: signed(kind.build(target)))
        if kind.name == SUBMISSION and target.name == "inhouse":
            self.filed += sum(outcome.status == 200 for outcome in outcomes)
        waits = self.quiesce()  # the work done after the acks must not weigh on the other server's batch
        if waits:
            figures = self.modal_waits.setdefault((kind.name, target.name), Figures())
            figures.add([Outcome(200, seconds) for seconds in waits])
        return outcomes

    def ensure_cards(self, count: int) -> None:
        missing = count - self.payloads.fresh_cards()
        if missing > 0:
            self.file_requests(missing)
            self.payloads.fresh_cards()

    def file_requests(self, count: int) -> None:
        inhouse = self.targets["inhouse"]
        outcomes = self.load.run(inhouse.port, SLACK_PATH, count, lambda: signed(self.payloads.submission(inhouse)))
        self.filed += sum(outcome.status == 200 for outcome in outcomes)
        self.quiesce()

    def quiesce(self, settle: float = 0.3, deadline: float = 60.0) -> list[float]:
        """Wait until the apps stopped calling Slack, then forget the calls (messages and views stay).

        Returns, in seconds, how long after its command each modal opened since the last quiesce.
        """
        start, seen = time.monotonic(), -1
        while time.monotonic() - start < deadline:
            calls = self.fake.call_count()
            if calls == seen:
                break
            seen = calls
            time.sleep(settle)
        waits: list[float] = self.fake.modal_waits()
        self.fake.reset()
        return waits

    def _available(self, kind: Kind) -> bool:
        if kind.name.startswith("/"):
            answer = kind.build(self.targets["inhouse"]).send()
            self.quiesce()
            return answer.status != 404  # Bolt answers 404 to a command no listener handles
        return True


def count_requests(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            return int(session.exec(select(func.count()).select_from(Request)).one())
    finally:
        engine.dispose()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=10, help="alternating rounds (default 10)")
    parser.add_argument("--per-round", type=int, default=40, help="requests per kind and server per round")
    parser.add_argument("--concurrency", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of both servers (default 2)")
    parser.add_argument("--threads", type=int, default=8, help="threads per worker of both servers (default 8)")
    parser.add_argument("--postgres", action="store_true", help="run Inhouse on a throwaway PostgreSQL cluster")
    parser.add_argument(
        "--slack-latency-ms", type=float, default=0.0, help="how long the fake Slack takes to answer (real: 100+)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="inhouse-bench-"))
    with contextlib.ExitStack() as stack:
        database_url = f"sqlite:///{workdir / 'inhouse.db'}"
        if args.postgres:
            cluster = PostgresCluster()
            database_url = cluster.start()
            stack.callback(cluster.stop)
            migrate.upgrade(make_engine(database_url))
        fake = stack.enter_context(SlackProcess(BOT_TOKEN, latency=args.slack_latency_ms / 1000))
        load = Load(args.concurrency)
        stack.callback(load.close)
        with servers(args, fake, workdir, database_url) as targets:
            bench = Bench(fake, targets, load, args)
            bench.prime()
            kinds, missing = bench.kinds()
            figures = bench.run(kinds)
        rows = count_requests(database_url)
        database = "PostgreSQL" if args.postgres else "SQLite"
        met = report(
            args, database, kinds, missing, figures, filed=bench.filed, rows=rows, modal_waits=bench.modal_waits
        )
    shutil.rmtree(workdir, ignore_errors=True)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
