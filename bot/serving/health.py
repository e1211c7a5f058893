"""What ``GET /healthz`` says: the database answers, and something is delivering what is owed to Slack.

A message due for minutes that no sender has tried, or an SLA check that late, means the scheduler (and
its sender) is not running: the host reports unhealthy so the operator hears of it before the managers do.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from storage import outbox


@dataclass(frozen=True)
class Health:
    healthy: bool
    details: dict[str, Any]

    def body(self) -> bytes:
        return (json.dumps(self.details, sort_keys=True) + "\n").encode()


def check(engine: Engine, now: datetime) -> Health:
    try:
        with Session(engine) as session:
            backlog = outbox.backlog(session, now)
    except (SQLAlchemyError, OSError):  # any failure to reach the database means "not healthy"
        return Health(False, {"status": "database unreachable"})
    details: dict[str, Any] = {
        "status": "sender stale" if backlog.stale else "ok",
        "outbox": {"pending": backlog.pending, "due": backlog.due, "dead": backlog.dead, "overdue": backlog.overdue},
        "sla_checks_overdue": backlog.sweep_overdue,
    }
    return Health(not backlog.stale, details)
