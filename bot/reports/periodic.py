"""The monthly (or weekly) report each department gets in its channel, once per period whatever the schedulers."""

from datetime import datetime, time

from sqlmodel import Session

from bot.domain.calendars import BusinessCalendar
from bot.reports import outbound, schedule, service
from bot.slack import outbox as owed
from storage import org_snapshot, runs


def cadence_of(settings: dict[str, object], department: str) -> str:
    """``[departments.X] reports``, else ``[organization] reports``, else monthly."""
    cadences = settings.get("report_cadences")
    chosen = cadences.get(department) if isinstance(cadences, dict) else None
    return str(chosen or settings.get("reports") or schedule.DEFAULT_CADENCE)


def post_due(session: Session, now: datetime) -> int:
    """Owe each department whose report is due its report in its channel; how many were owed."""
    org = org_snapshot.current(session)
    zone = service.org_zone(session)
    posted = 0
    for department in sorted(org.departments.values(), key=lambda d: d.id):
        spec = org.calendar_spec(department.calendar_id)
        if not department.active or spec is None:
            continue
        cadence = cadence_of(dict(org.settings), department.id)
        calendar = BusinessCalendar.from_dict(spec)
        due = schedule.due(calendar, cadence, now)
        if due is None:
            continue
        period_start = datetime.combine(due.first, time(), calendar.zone)
        if not runs.claim(session, f"report:{department.id}", period_start, now):
            continue
        asked = outbound.Asked(service.dates(zone, due.first, due.last), department.id)
        key = f"{cadence}:{department.id}:{due.first.isoformat()}"
        if owed.owe(session, outbound.report(key, department.channel, asked), now):
            posted += 1
    return posted
