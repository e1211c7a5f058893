"""Small typed factories for test data."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.domain.lifecycle import State
from bot.requests.service import RequestSnapshot

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def make_snapshot(**overrides: Any) -> RequestSnapshot:
    snapshot = RequestSnapshot(
        number=42,
        provider_id="it",
        provider_name="IT Support",
        provider_channel="C0IT",
        requester_id="U0SAM",
        requester_department_name="Sales",
        priority="normal",
        description="My laptop won't boot",
        needed_by=None,
        state=State.OPEN,
        assignee_id=None,
        created_at=T0,
        first_response_due=T0 + timedelta(hours=4),
        resolution_due=T0 + timedelta(days=2),
        first_response_at=None,
        resolved_at=None,
        resolution_note=None,
        card_channel="C0IT",
        card_ts="1700000000.000100",
    )
    return replace(snapshot, **overrides)
