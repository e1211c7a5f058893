"""A report owed to Slack: the message with its key figures and chart, then the CSV of its pairs in its thread.

Both are rendered when the sender sends them (figures, chart and CSV are slow work: never before an ack), from
what was asked: the period is fixed when it is asked, so a retry shows the same figures. The chart is uploaded
privately and shown through an image block; the CSV is shared in the message's thread. A retried render
uploads its file again (Slack keeps the unshared copy); the message and the share each happen once.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.reports import charts, export, service
from bot.reports.access import Viewer, without_hidden_ratings
from bot.reports.blocks import report_message
from bot.reports.figures import Period, Report
from bot.reports.text import subject
from bot.slack import files
from bot.slack.outbox import POST, Owed
from bot.slack.sender import Call, Kinds, slack
from storage import directory
from storage.models import Outbox

REPORT = "report"
REPORT_CSV = "report_csv"


@dataclass(frozen=True)
class Asked:
    """A report as asked: whose, for whom, over which period; ``viewer`` None for a department's own channel."""

    period: Period
    provider: str | None = None
    customer: str | None = None
    customer_side: str | None = None  # also this department's figures as a customer (for its managers)
    viewer: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "label": self.period.label,
            "provider": self.provider,
            "customer": self.customer,
            "customer_side": self.customer_side,
            "viewer": self.viewer,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Asked":
        period = Period(datetime.fromisoformat(data["start"]), datetime.fromisoformat(data["end"]), data["label"])
        return cls(period, data["provider"], data["customer"], data["customer_side"], data["viewer"])


def report(key: str, recipient: str, asked: Asked) -> list[Owed]:
    """The report's message and its CSV, to ``recipient`` (a channel, or a person: their DM), in order."""
    lane = f"report:{key}"
    message = Owed(f"report:{key}", recipient, kind=REPORT, payload={"asked": asked.as_json()}, lane=lane)
    csv = Owed(
        f"report:{key}:csv",
        recipient,
        kind=REPORT_CSV,
        payload={"asked": asked.as_json(), "parent_field": "thread_ts"},
        lane=lane,
        parent_key=message.key,
    )
    return [message, csv]


def _build(session: Session, row: Outbox, now: datetime) -> tuple[Report, Report | None]:
    asked = Asked.from_json(row.payload["asked"])
    as_of = min(now, asked.period.end)
    built = service.build(session, asked.period, as_of, provider=asked.provider, customer=asked.customer)
    customer_side = None
    if asked.customer_side is not None:
        customer_side = service.build(session, asked.period, as_of, customer=asked.customer_side)
    # A channel is read by anyone in it: there, ratings of a feedback_private department stay hidden.
    viewer = service.viewer(session, asked.viewer) if asked.viewer is not None else Viewer(user="")
    private = directory.private_departments(session)
    built = without_hidden_ratings(built, viewer, private)
    customer_side = without_hidden_ratings(customer_side, viewer, private) if customer_side else None
    return built, customer_side


def render_report(session: Session, rows: Sequence[Outbox], now: datetime) -> Call:
    (row,) = rows
    built, customer_side = _build(session, row, now)
    chart = None
    if built.pairs:
        png = charts.report_chart(built)
        chart = files.upload(slack(), filename="report.png", content=png, title=f"{subject(built)} chart")
    message = report_message(built, chart_file=chart, customer_side=customer_side)
    return Call(POST, {"channel": row.recipient, **message.as_kwargs()})


def render_csv(session: Session, rows: Sequence[Outbox], now: datetime) -> Call:
    (row,) = rows
    built, customer_side = _build(session, row, now)
    content = export.as_csv(built)
    if customer_side is not None:
        content += export.as_csv(customer_side).split("\n", 1)[1]  # the same columns: its rows under the first's
    channel = row.recipient
    if channel.startswith(("U", "W")):  # a person: the file goes in their DM with the app
        channel = str(slack().conversations_open(users=channel)["channel"]["id"])
    title = f"{subject(built)}, {built.period.label}"
    return files.share(slack(), filename="report.csv", content=content.encode(), title=title, channel=channel)


KINDS = Kinds(renderers={REPORT: render_report, REPORT_CSV: render_csv})
