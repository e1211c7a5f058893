"""The org file's ``[[retros]]`` as schedules in the database: part of applying the org file."""

from sqlmodel import Session, col, select

from bot.org.model import OrgConfig
from storage.retro_models import RetroSchedule


def apply_retros(session: Session, org: OrgConfig) -> int:
    """Upsert each schedule; one whose cron or zone changed starts afresh (no catch-up of older periods)."""
    for spec in org.retros:
        timezone = org.retro_timezone(spec)
        row = session.get(RetroSchedule, spec.id)
        if row is None:
            row = RetroSchedule(id=spec.id, departments=[], channel="", cron="", timezone="", window="", template="")
        if (row.cron, row.timezone) != (spec.cron, timezone):
            row.since = None
        row.departments = list(spec.departments)
        row.channel, row.cron, row.timezone = spec.channel, spec.cron, timezone
        row.window, row.template, row.active = str(spec.window), spec.template, True
        session.add(row)
    keep = {spec.id for spec in org.retros}
    for gone in session.exec(select(RetroSchedule).where(col(RetroSchedule.id).not_in(keep))):
        gone.active = False
        session.add(gone)
    session.flush()
    return len(org.retros)
