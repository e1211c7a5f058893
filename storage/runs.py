"""Once-per-period jobs: the first scheduler to claim a period runs it, any other skips it."""

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage.models import ScheduledRun


def claim(session: Session, job: str, period_start: datetime, now: datetime) -> bool:
    """Whether this caller has the period to itself (the claim commits with the caller's transaction)."""
    if session.get(ScheduledRun, (job, period_start)) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(ScheduledRun(job=job, period_start=period_start, ran_at=now))
    except IntegrityError:  # another scheduler claimed it at the same moment
        return False
    return True
