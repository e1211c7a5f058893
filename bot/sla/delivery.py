"""The outbox sender: delivers what the sweep decided, once, outside any transaction.

Rows are claimed in one short transaction, sent with no transaction open, and settled in another:
sent; back to pending with a delay (429 ``Retry-After``, 5xx, network errors, with backoff); or dead
on errors that retrying cannot fix (``channel_not_found``, ``invalid_blocks``…), which are logged.
A sender that dies mid-send leaves rows ``sending``; after the lease another sender takes them and
first looks in Slack for the message (each carries its outbox keys in its metadata), so a message
that did reach Slack is not sent again.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.deps import Deps
from bot.domain.alerts import Level, Metric
from bot.domain.sla import business_minutes_between
from bot.requests import service as requests
from bot.requests.card import request_card
from bot.sla import clocks as sla_clocks
from bot.sla.blocks import Alert, alert_dm, digest, thread_note
from bot.sla.sweep import CARD, DM, THREAD
from bot.slack.message import Message
from storage import outbox
from storage.models import Outbox, Request

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8
TRANSIENT_ERRORS = frozenset({"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"})
METADATA_TYPE = "inhouse_outbox"


@dataclass
class Delivery:
    sent: int = 0
    retrying: int = 0
    dead: int = 0


@dataclass(frozen=True)
class _Job:
    rows: tuple[int, ...]
    describe: str
    call: Callable[[WebClient], object]
    attempts: int = 1
    already_sent: Callable[[WebClient], bool] | None = None  # set when recovering from a vanished sender


@dataclass
class _Outcome:
    status: str
    error: str | None = None
    retry_at: datetime | None = None


@dataclass
class _Plan:
    jobs: list[_Job] = field(default_factory=list)
    unrenderable: list[int] = field(default_factory=list)


def sender_client(deps: Deps) -> WebClient:
    """A client that does not sleep on 429s: the outbox reschedules instead, on the injected clock."""
    return WebClient(token=deps.slack.token, base_url=deps.slack.base_url, retry_handlers=[])


def deliver(deps: Deps, now: datetime, client: WebClient | None = None) -> Delivery:
    client = client or sender_client(deps)
    with deps.session_scope() as session:
        plan = _plan(session, outbox.claim(session, now, lease=LEASE), now)
        for row_id in plan.unrenderable:
            outbox.settle(session, row_id, outbox.DEAD, now, error="request_gone")
    outcomes = [(job, _send(client, job, now)) for job in plan.jobs]
    delivery = Delivery()
    with deps.session_scope() as session:
        for job, outcome in outcomes:
            if outcome.status == outbox.PENDING and job.attempts >= MAX_ATTEMPTS:
                outcome = _Outcome(outbox.DEAD, f"gave up after {job.attempts} attempts: {outcome.error}")
            if outcome.status == outbox.DEAD:
                log.error("Dropping %s for good: %s", job.describe, outcome.error)
            for row_id in job.rows:
                outbox.settle(session, row_id, outcome.status, now, error=outcome.error, retry_at=outcome.retry_at)
            _count(delivery, outcome.status, len(job.rows))
    return delivery


def _count(delivery: Delivery, status: str, rows: int) -> None:
    if status == outbox.SENT:
        delivery.sent += rows
    elif status == outbox.DEAD:
        delivery.dead += rows
    else:
        delivery.retrying += rows


def _send(client: WebClient, job: _Job, now: datetime) -> _Outcome:
    try:
        if job.already_sent is not None and job.already_sent(client):
            return _Outcome(outbox.SENT)
        job.call(client)
    except SlackApiError as failure:
        error = str(failure.response.get("error") or f"HTTP {failure.response.status_code}")
        if failure.response.status_code == 429:
            retry_after = int(_header(failure.response.headers, "retry-after") or 30)
            return _Outcome(outbox.PENDING, error, now + timedelta(seconds=retry_after))
        if failure.response.status_code >= 500 or error in TRANSIENT_ERRORS:
            return _Outcome(outbox.PENDING, error, now + _backoff(job))
        return _Outcome(outbox.DEAD, error)
    except OSError as failure:  # connection refused, reset, timed out
        return _Outcome(outbox.PENDING, f"network: {failure}", now + _backoff(job))
    return _Outcome(outbox.SENT)


def _backoff(job: _Job) -> timedelta:
    """30 s, 1 min, 2 min … up to an hour, by how often these rows were tried."""
    return min(timedelta(seconds=30 * 2 ** max(0, job.attempts - 1)), timedelta(hours=1))


def _header(headers: dict[str, object], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return str(value[0] if isinstance(value, list) else value)
    return None


def _plan(session: Session, claimed: list[outbox.Claimed], now: datetime) -> _Plan:
    plan = _Plan()
    recovering = {c.row.id for c in claimed if c.recovering}
    dms: dict[str, list[tuple[Outbox, Alert]]] = defaultdict(list)
    for row in (c.row for c in claimed):
        assert row.id is not None
        alert = _alert(session, row, now)
        if alert is None:
            plan.unrenderable.append(row.id)
        elif row.kind == DM:
            dms[row.recipient].append((row, alert))
        else:
            plan.jobs.append(_recoverable(replace(_channel_job(row, alert), attempts=row.attempts), recovering, row))
    for recipient, pending in dms.items():
        ids = tuple(row.id for row, _ in pending if row.id is not None)
        message = alert_dm(pending[0][1]) if len(pending) == 1 else digest([alert for _, alert in pending])
        job = replace(
            _post_job(ids, recipient, message, [row.key for row, _ in pending]),
            attempts=max(row.attempts for row, _ in pending),
        )
        plan.jobs.append(_recoverable(job, recovering, pending[0][0], keys=[row.key for row, _ in pending]))
    return plan


def _recoverable(job: _Job, recovering: set[int | None], row: Outbox, keys: list[str] | None = None) -> _Job:
    """A job some of whose rows a vanished sender had taken checks Slack before posting again."""
    if recovering.isdisjoint(job.rows) or row.kind == CARD:  # a card update is idempotent: just redo it
        return job
    channel = str(row.payload.get("channel") or row.recipient)
    thread_ts = row.payload.get("thread_ts") if row.kind == THREAD else None
    wanted = set(keys or [row.key])
    return replace(job, already_sent=lambda client: _posted(client, channel, wanted, thread_ts))


def _posted(client: WebClient, channel: str, keys: set[str], thread_ts: str | None) -> bool:
    """Whether a message carrying any of ``keys`` in its metadata is already in the conversation."""
    if channel.startswith(("U", "W")):
        channel = str(client.conversations_open(users=channel)["channel"]["id"])
    if thread_ts:
        page = client.conversations_replies(channel=channel, ts=thread_ts, include_all_metadata=True, limit=200)
    else:
        page = client.conversations_history(channel=channel, include_all_metadata=True, limit=200)
    for message in page.get("messages") or []:
        metadata = message.get("metadata") or {}
        if metadata.get("event_type") == METADATA_TYPE and keys & set(
            metadata.get("event_payload", {}).get("keys", [])
        ):
            return True
    return False


def _channel_job(row: Outbox, alert: Alert) -> _Job:
    assert row.id is not None
    channel, thread_ts = str(row.payload["channel"]), str(row.payload["thread_ts"])
    if row.kind == CARD:
        card = request_card(alert.request)
        return _Job(
            (row.id,),
            f"card update of #{alert.request.number}",
            lambda client: client.chat_update(channel=channel, ts=thread_ts, **card.as_kwargs()),
        )
    assert row.kind == THREAD
    note = thread_note(alert)
    broadcast = bool(row.payload.get("broadcast"))
    return _post_job((row.id,), channel, note, [row.key], thread_ts=thread_ts, broadcast=broadcast)


def _post_job(
    rows: tuple[int, ...],
    channel: str,
    message: Message,
    keys: list[str],
    *,
    thread_ts: str | None = None,
    broadcast: bool = False,
) -> _Job:
    metadata = {"event_type": METADATA_TYPE, "event_payload": {"keys": keys}}

    def post(client: WebClient) -> object:
        return client.chat_postMessage(
            channel=channel,
            thread_ts=thread_ts,
            reply_broadcast=broadcast or None,
            metadata=metadata,
            **message.as_kwargs(),
        )

    return _Job(rows, f"message to {channel} ({', '.join(keys)})", post)


def _alert(session: Session, row: Outbox, now: datetime) -> Alert | None:
    request = session.get(Request, row.request_id) if row.request_id is not None else None
    promise = sla_clocks.promise_of(request) if request is not None else None
    if request is None or promise is None:
        return None
    metric, level = Metric(row.payload["metric"]), Level(row.payload["level"])
    due = datetime.fromisoformat(row.payload["due"])
    calendar = promise.business_calendar()
    return Alert(
        request=requests.snapshot(session, request),
        metric=metric,
        level=level,
        due=due,
        promised=promise.first_response if metric is Metric.FIRST_RESPONSE else promise.resolution,
        late_minutes=business_minutes_between(calendar, due, now),
        left_minutes=business_minutes_between(calendar, now, due),
    )
