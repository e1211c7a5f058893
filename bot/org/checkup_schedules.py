"""The org file's ``[[checkups]]`` as schedules in the database: part of applying the org file."""

from sqlmodel import Session, col, select

from bot.org.model import OrgConfig
from storage.checkup_models import CheckupSchedule


def apply_checkups(session: Session, org: OrgConfig) -> int:
    """Upsert each schedule; one whose cron or zone changed starts afresh (no catch-up of older periods)."""
    for spec in org.checkups:
        timezone = org.checkup_timezone(spec)
        row = session.get(CheckupSchedule, spec.id)
        if row is None:
            row = CheckupSchedule(id=spec.id, cron="", timezone="", window="", calendar_id="")
        if (row.cron, row.timezone) != (spec.cron, timezone):
            row.since = None
        row.cron, row.timezone, row.window = spec.cron, timezone, str(spec.window)
        row.calendar_id, row.active = spec.calendar, True
        session.add(row)
    keep = {spec.id for spec in org.checkups}
    for gone in session.exec(select(CheckupSchedule).where(col(CheckupSchedule.id).not_in(keep))):
        gone.active = False
        session.add(gone)
    session.flush()
    return len(org.checkups)
