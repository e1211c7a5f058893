"""The one sender: delivers the outbox to Slack, each message exactly once, outside any transaction.

A step claims one lane's first row (and the rows of the same kind behind it, for a digest) under a lease of
its own, renders it, sends it with no transaction open, and settles it: sent (with its ts, running the hook
its feature asked for), back to pending with a delay (429 ``Retry-After``, which also pauses that
conversation; 5xx and network errors, with backoff from seconds up to a minute), or dead on an error that
retrying cannot fix (``channel_not_found``, ``invalid_blocks``…), with a log line. A post that is tried again
(after a lapsed lease, a network error or a 5xx, when Slack may have got it) first looks in the conversation
for the keys it carries in its metadata, and each key found there counts as sent: recovery decides per key.
Each call has a timeout well inside the lease, and a lease is renewed before a late send, so no row is sent
by two senders.
"""

import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.clock import Clock
from bot.slack.outbox import CALL, POST
from storage import outbox
from storage.db import SessionScope
from storage.models import Outbox

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
CALL_TIMEOUT_S = 10  # three calls at most per step (open a DM, look for the message, post it) fit in the lease
GIVE_UP_AFTER = timedelta(hours=24)
MAX_BACKOFF = timedelta(seconds=60)
PACE = timedelta(seconds=1.2)  # Slack's pace for posting to one conversation (1 s), with room for latency
PACED_FOR = timedelta(minutes=1)  # how long a conversation keeps that pace after a 429
METADATA_TYPE = "inhouse_outbox"
HISTORY_LIMIT = 200
HISTORY_PAGES = 5  # a retried post looks through the last 1,000 messages of its conversation for its keys
MIN_ATTEMPTS = 20  # a message is given up only after this many tries (about a quarter of an hour) and a day
TRANSIENT_ERRORS = frozenset({"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"})


@dataclass(frozen=True)
class Call:
    """A Web API call as the sender makes it."""

    method: str
    args: dict[str, Any]


class Undeliverable(Exception):
    """A renderer's way to say the message can never be sent (the request it was about is gone)."""


_rendering_client: ContextVar[WebClient] = ContextVar("outbox_rendering_client")


def slack() -> WebClient:
    """The sender's client, for a renderer that must look something up in Slack first (only while it renders).

    A Slack error or network error the look-up raises counts as the send's would: retried later, or the row dies.
    """
    return _rendering_client.get()


Renderer = Callable[[Session, Sequence[Outbox], datetime], Call]
HookFunction = Callable[[Session, Outbox, Mapping[str, Any], datetime], None]


@dataclass(frozen=True)
class Kinds:
    """What the features registered: a renderer per kind rendered at send time, the hooks, the digest kinds."""

    renderers: Mapping[str, Renderer] = field(default_factory=dict)
    hooks: Mapping[str, HookFunction] = field(default_factory=dict)
    batchable: frozenset[str] = frozenset()


@dataclass
class Delivery:
    sent: int = 0
    retrying: int = 0
    dead: int = 0

    def add(self, other: "Delivery") -> None:
        self.sent, self.retrying, self.dead = (
            self.sent + other.sent,
            self.retrying + other.retrying,
            self.dead + other.dead,
        )


@dataclass(frozen=True)
class _Outcome:
    status: str
    ts: str | None = None
    error: str | None = None
    retry_at: datetime | None = None


def render_call(_session: Session, rows: Sequence[Outbox], _now: datetime) -> Call:
    """Rows of kind CALL carry their call."""
    (row,) = rows
    return Call(str(row.payload["method"]), dict(row.payload["args"]))


class Sender:
    """Delivers the outbox. ``dispatch`` runs a drain in the background when ``wake`` is called after a commit."""

    def __init__(
        self,
        session_scope: SessionScope,
        client: WebClient,
        clock: Clock,
        kinds: Kinds,
        *,
        read_scope: SessionScope | None = None,
        dispatch: Callable[[Callable[[], None]], None] | None = None,
        drains: int = 4,
    ) -> None:
        self.session_scope = session_scope
        self.read_scope = read_scope or session_scope
        self.client = client
        self.clock = clock
        self.kinds = replace(kinds, renderers={CALL: render_call, **kinds.renderers})
        self.name = f"sender-{uuid.uuid4().hex[:12]}"
        self._dispatch = dispatch
        self._drains = drains
        self._running = 0
        self._again = False
        self._lock = threading.Lock()
        self._paused: dict[str, datetime] = {}  # recipient -> until when Slack asked us to wait
        self._paced: dict[str, datetime] = {}  # recipient -> until when it gets one post per PACE (after a 429)

    # --- running ----------------------------------------------------------------------------------------------

    def wake(self) -> None:
        """Something was owed and committed: start a drain in the background (or have a running one go on)."""
        if self._dispatch is None:
            return
        with self._lock:
            if self._running >= self._drains:
                self._again = True
                return
            self._running += 1
        try:
            self._dispatch(self._drain_in_background)
        except RuntimeError:  # the pool is shutting down: the rows stay pending for the scheduler's sender
            with self._lock:
                self._running -= 1

    def _drain_in_background(self) -> None:
        try:
            while True:
                self.drain()
                with self._lock:
                    if not self._again:
                        return
                    self._again = False
        except Exception:  # the database went away mid-drain: the rows stay owed, the next sender delivers them
            log.exception("The outbox sender stopped early")
        finally:
            with self._lock:
                self._running -= 1

    def drain(self) -> Delivery:
        """Send until nothing is due now; what happened."""
        total = Delivery()
        while (delivery := self.step()) is not None:
            total.add(delivery)
        return total

    def run(self, stop: threading.Event, *, threads: int = 8, poll_s: float = 1.0) -> None:
        """The scheduler's loop: look for due messages every ``poll_s`` and drain them on ``threads`` threads."""
        with ThreadPoolExecutor(threads, thread_name_prefix="outbox") as pool:
            while not stop.is_set():
                try:
                    with self.read_scope() as session:
                        due = outbox.has_due(session, self.clock())
                    if due:
                        wait([pool.submit(self.drain) for _ in range(threads)])
                except Exception:
                    log.exception("The outbox sender failed; trying again")
                stop.wait(poll_s)

    # --- one step -----------------------------------------------------------------------------------------------

    def step(self) -> Delivery | None:
        """Claim, render, send and settle one message; None when nothing is due."""
        now = self.clock()
        with self.session_scope() as session:
            claimed = outbox.claim(
                session, now, sender=self.name, lease=LEASE, paused=self._paused_at(now), batchable=self.kinds.batchable
            )
        if not claimed:
            return None
        started = time.monotonic()
        rows = [c.row for c in claimed]
        delivery = Delivery()
        try:
            call = self._render(rows, now)
        except Undeliverable as gone:
            return self._settle(rows, _Outcome(outbox.DEAD, error=str(gone)), now)
        except (SlackApiError, OSError) as failure:  # a renderer's own look-up in Slack
            return self._settle(rows, self._failed(failure, rows, now), now)
        except Exception as bug:  # a renderer that fails would fail again on every retry: the row dies, logged
            log.exception("Outbox rows %s (%s) could not be rendered", [r.id for r in rows], rows[0].kind)
            return self._settle(rows, _Outcome(outbox.DEAD, error=f"could not be rendered: {type(bug).__name__}"), now)
        lapsed = any(c.recovering for c in claimed)
        if call.method == POST and (lapsed or any(_may_have_arrived(row.last_error) for row in rows)):
            try:
                found = self._already_posted(call, rows)
            except (SlackApiError, OSError) as failure:
                outcome = self._failed(failure, rows, now)
                if outcome.status != outbox.DEAD:  # Slack could not say now: ask again later, never post blind
                    return self._settle(rows, outcome, now)
                log.warning(
                    "Could not look for outbox rows %s in Slack (%s); posting", [r.id for r in rows], outcome.error
                )
                found = {}
            if found:
                for key, ts in found.items():
                    delivery.add(self._settle([r for r in rows if r.key == key], _Outcome(outbox.SENT, ts=ts), now))
                rows = [row for row in rows if row.key not in found]
                if not rows:
                    return delivery
                call = self._render(rows, now)  # a digest of what is left
        if time.monotonic() - started > LEASE.total_seconds() / 3 and not self._renew(rows, now):
            log.warning("Outbox rows %s were taken over by another sender; not sending them", [r.id for r in rows])
            return delivery
        delivery.add(self._settle(rows, self._send(call, rows, now), now))
        return delivery

    def _paused_at(self, now: datetime) -> list[str]:
        with self._lock:
            self._paused = {recipient: until for recipient, until in self._paused.items() if until > now}
            self._paced = {recipient: until for recipient, until in self._paced.items() if until > now}
            return list(self._paused)

    def _render(self, rows: list[Outbox], now: datetime) -> Call:
        with self.read_scope() as session:
            client = _rendering_client.set(self.client)
            try:
                call = self.kinds.renderers[rows[0].kind](session, rows, now)
            finally:
                _rendering_client.reset(client)
            parent_key = rows[0].parent_key
            if parent_key is None:
                return _with_keys(call, rows)
            parent = outbox.by_key(session, parent_key)
        if parent is None or parent.status != outbox.SENT or parent.ts is None:
            raise Undeliverable("the message it belongs to was not delivered")
        field_name = str(rows[0].payload.get("parent_field", "thread_ts"))
        return _with_keys(Call(call.method, {**call.args, field_name: parent.ts}), rows)

    def _renew(self, rows: list[Outbox], now: datetime) -> bool:
        with self.session_scope() as session:
            return outbox.renew(
                session, [r.id for r in rows if r.id is not None], sender=self.name, now=now, lease=LEASE
            )

    def _send(self, call: Call, rows: list[Outbox], now: datetime) -> _Outcome:
        try:
            response = self.client.api_call(call.method, json=call.args)
        except (SlackApiError, OSError) as failure:
            return self._failed(failure, rows, now)
        ts = response.get("ts") or response.get("message_ts")
        if call.method == POST:
            self._keep_pace(rows[0].recipient, now)
        return _Outcome(outbox.SENT, ts=str(ts) if ts else None)

    def _keep_pace(self, recipient: str, now: datetime) -> None:
        """A conversation Slack has rate-limited gets one post per PACE for a while, not a 429 after every other post.

        Slack paces posting per conversation (about one message a second, after a short burst) and says so with
        429s; a conversation that never got one is not slowed down (a burst of cards goes out at once). While a
        conversation is paced, nothing to it is claimed for PACE after each post (its updates wait that second too).
        """
        with self._lock:
            if self._paced.get(recipient, now) > now:
                self._paused[recipient] = max(self._paused.get(recipient, now), now + PACE)

    def _failed(self, failure: SlackApiError | OSError, rows: list[Outbox], now: datetime) -> _Outcome:
        if isinstance(failure, OSError):  # refused, reset, timed out: Slack may or may not have it (see step)
            return self._transient(rows, f"network: {type(failure).__name__}", now)
        status, error = failure.response.status_code, str(failure.response.get("error") or "")
        error = error or f"HTTP {status}"
        if status == 429:
            retry_at = now + timedelta(seconds=_retry_after(failure.response.headers))
            with self._lock:
                self._paused[rows[0].recipient] = retry_at
                self._paced[rows[0].recipient] = retry_at + PACED_FOR
            return _Outcome(outbox.PENDING, error=error, retry_at=retry_at)
        if status >= 500 or error in TRANSIENT_ERRORS:
            return self._transient(rows, error, now)
        return _Outcome(outbox.DEAD, error=error)

    def _transient(self, rows: list[Outbox], error: str, now: datetime) -> _Outcome:
        oldest = min(row.created_at for row in rows)
        if now - oldest > GIVE_UP_AFTER and max(row.attempts for row in rows) >= MIN_ATTEMPTS:
            return _Outcome(outbox.DEAD, error=f"gave up after {GIVE_UP_AFTER}: {error}")
        attempts = max(row.attempts for row in rows)
        backoff = min(timedelta(seconds=2**attempts), MAX_BACKOFF)
        return _Outcome(outbox.PENDING, error=error, retry_at=now + backoff)

    def _settle(self, rows: list[Outbox], outcome: _Outcome, now: datetime) -> Delivery:
        delivery = Delivery()
        with self.session_scope() as session:
            for row in rows:
                assert row.id is not None
                settled = outbox.settle(
                    session, row.id, outcome.status, now, sender=self.name,
                    ts=outcome.ts, error=outcome.error, retry_at=outcome.retry_at,
                )  # fmt: skip
                if settled is None:
                    continue
                if outcome.status == outbox.DEAD:
                    log.error("Outbox message %s (%s) could not be delivered: %s", row.id, row.kind, outcome.error)
                self._run_hook(session, settled, outcome.status, now)
                delivery.add(_counted(outcome.status))
        return delivery

    def _run_hook(self, session: Session, row: Outbox, status: str, now: datetime) -> None:
        hook = row.payload.get("on_sent" if status == outbox.SENT else "on_dead" if status == outbox.DEAD else "")
        if not hook:
            return
        try:
            with session.begin_nested():  # the message's fate is recorded even if what follows it fails
                self.kinds.hooks[str(hook["name"])](session, row, hook.get("args") or {}, now)
        except Exception:
            log.exception("The %s hook of outbox row %s failed", hook["name"], row.id)

    # --- recovery -------------------------------------------------------------------------------------------------

    def _already_posted(self, call: Call, rows: list[Outbox]) -> dict[str, str]:
        """The keys of ``rows`` whose message is already in the conversation, with its ts.

        A look-up that fails raises (SlackApiError, OSError): the row is tried again later, never posted blind.
        """
        wanted = {row.key for row in rows}
        channel = str(call.args["channel"])
        oldest = f"{(min(row.created_at for row in rows) - timedelta(minutes=1)).timestamp():.6f}"
        if channel.startswith(("U", "W")):
            channel = str(self.client.conversations_open(users=channel)["channel"]["id"])
        thread_ts = call.args.get("thread_ts")
        found: dict[str, str] = {}
        cursor = None
        for _ in range(HISTORY_PAGES):
            if thread_ts:
                page = self.client.conversations_replies(
                    channel=channel, ts=str(thread_ts), oldest=oldest, cursor=cursor,
                    include_all_metadata=True, limit=HISTORY_LIMIT,
                )  # fmt: skip
            else:
                page = self.client.conversations_history(
                    channel=channel, oldest=oldest, cursor=cursor, include_all_metadata=True, limit=HISTORY_LIMIT
                )
            for message in page.get("messages") or []:
                payload = (message.get("metadata") or {}).get("event_payload") or {}
                for key in wanted.intersection(payload.get("outbox_keys") or []):
                    found[key] = str(message["ts"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor or found.keys() == wanted:
                break
        return found


def _may_have_arrived(error: str | None) -> bool:
    """Whether the last try failed in a way that leaves open whether Slack got the message (no answer, or a 5xx)."""
    if not error:
        return False
    return error.startswith(("network:", "HTTP 5")) or error in TRANSIENT_ERRORS - {"ratelimited"}


def _with_keys(call: Call, rows: Sequence[Outbox]) -> Call:
    """A post carries its rows' keys in its metadata, so that a retry can find it."""
    if call.method != POST:
        return call
    keys = [row.key for row in rows]
    metadata = dict(call.args.get("metadata") or {"event_type": METADATA_TYPE})
    metadata["event_payload"] = {**(metadata.get("event_payload") or {}), "outbox_keys": keys}
    return Call(call.method, {**call.args, "metadata": metadata})


def _retry_after(headers: Mapping[str, Any]) -> int:
    for key, value in headers.items():
        if key.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            return max(1, int(str(raw)))
    return 30


def _counted(status: str) -> Delivery:
    if status == outbox.SENT:
        return Delivery(sent=1)
    if status == outbox.DEAD:
        return Delivery(dead=1)
    return Delivery(retrying=1)
