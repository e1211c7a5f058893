"""What SLA alerts owe Slack, rendered when they are sent: the DMs (one digest per person when several are
due together), the note in the card's thread, the card showing it is overdue; and the customer's side (the
requester's reminder, their managers' breach DM, digested apart from the provider's alerts).

They are rendered at send time because a DM that waited for the start of a shift says how late the request
is then, not when the breach was detected.
"""

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from bot.agreements import clocks
from bot.domain.alerts import Level, Metric
from bot.domain.sla import business_minutes_between
from bot.requests import service as requests
from bot.requests.card import request_card
from bot.sla.blocks import Alert, alert_dm, digest, thread_note
from bot.sla.customer_blocks import customer_digest, customer_dm
from bot.sla.sweep import CARD, CUSTOMER_DM, DM, THREAD
from bot.slack.outbox import POST, UPDATE
from bot.slack.sender import Call, Kinds, Undeliverable
from storage.models import Outbox, Request


def _alert(session: Session, row: Outbox, now: datetime) -> Alert | None:
    request = session.get(Request, row.request_id) if row.request_id is not None else None
    promise = clocks.promise_of(request) if request is not None else None
    if request is None or promise is None:
        return None
    metric, level = Metric(row.payload["metric"]), Level(row.payload["level"])
    due = datetime.fromisoformat(row.payload["due"])
    customer = metric is Metric.CUSTOMER_RESPONSE
    calendar = (promise.customer_business_calendar() if customer else None) or promise.business_calendar()
    return Alert(
        request=requests.snapshot(session, request),
        metric=metric,
        level=level,
        due=due,
        promised=promise.promised(metric),
        late_minutes=business_minutes_between(calendar, due, now),
        left_minutes=business_minutes_between(calendar, now, due),
        question=requests.question(session, request.id) if customer and request.id is not None else None,
    )


def _alerts(session: Session, rows: Sequence[Outbox], now: datetime) -> list[Alert]:
    alerts = [alert for row in rows if (alert := _alert(session, row, now)) is not None]
    if not alerts:
        raise Undeliverable("the request is gone")
    return alerts


def render_dm(session: Session, rows: Sequence[Outbox], now: datetime) -> Call:
    alerts = _alerts(session, rows, now)
    message = alert_dm(alerts[0]) if len(alerts) == 1 else digest(alerts)
    return Call(POST, {"channel": rows[0].recipient, **message.as_kwargs()})


def render_customer_dm(session: Session, rows: Sequence[Outbox], now: datetime) -> Call:
    alerts = _alerts(session, rows, now)
    message = customer_dm(alerts[0]) if len(alerts) == 1 else customer_digest(alerts)
    return Call(POST, {"channel": rows[0].recipient, **message.as_kwargs()})


def render_thread_note(session: Session, rows: Sequence[Outbox], now: datetime) -> Call:
    (row,) = rows
    (alert,) = _alerts(session, rows, now)
    args = {"channel": row.payload["channel"], "thread_ts": row.payload["thread_ts"], **thread_note(alert).as_kwargs()}
    if row.payload.get("broadcast"):
        args["reply_broadcast"] = True
    return Call(POST, args)


def render_card(session: Session, rows: Sequence[Outbox], now: datetime) -> Call:
    (row,) = rows
    (alert,) = _alerts(session, rows, now)
    card = request_card(alert.request)
    return Call(UPDATE, {"channel": row.payload["channel"], "ts": row.payload["thread_ts"], **card.as_kwargs()})


KINDS = Kinds(
    renderers={DM: render_dm, CUSTOMER_DM: render_customer_dm, THREAD: render_thread_note, CARD: render_card},
    batchable=frozenset({DM, CUSTOMER_DM}),
)
