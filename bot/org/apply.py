"""Apply a validated org file to the database, all or nothing (the caller's transaction)."""

from dataclasses import dataclass

from sqlmodel import Session, col, delete, select

from bot.domain.sla import BusinessCalendar
from bot.org.checkup_schedules import apply_checkups
from bot.org.model import CalendarSpec, OrgConfig
from bot.org.retro_schedules import apply_retros
from bot.org.service_catalog import apply_services
from storage import org_snapshot
from storage.directory import MANAGER, MEMBER
from storage.models import Agreement, Calendar, Department, Membership, Setting


@dataclass(frozen=True)
class Applied:
    departments: int
    deactivated: list[str]
    agreements: int
    calendars: int


def business_calendar(spec: CalendarSpec) -> BusinessCalendar:
    return BusinessCalendar(
        timezone=spec.timezone,
        weekdays=frozenset(spec.weekdays),
        shifts=tuple(spec.shifts),
        holiday_country=spec.holiday_country,
        closed=frozenset(spec.closed),
    )


def apply_org(session: Session, org: OrgConfig) -> Applied:
    """Make the database say what the org file says.

    Departments that left the file are deactivated, not deleted: their requests keep them.
    Requests keep the promise they were filed with; new ones get the new agreements.
    """
    for calendar_id, spec in org.calendars.items():
        session.merge(Calendar(id=calendar_id, spec=business_calendar(spec).to_dict()))
    session.flush()
    session.exec(delete(Membership))
    session.exec(delete(Agreement))
    for department_id, department in org.departments.items():
        session.merge(
            Department(
                id=department_id,
                name=department.name,
                channel=department.channel,
                calendar_id=department.calendar,
                feedback_private=department.feedback_private,
                escalate_to=list(department.escalate_to),
                intake_emoji=department.intake_emoji,
                active=True,
            )
        )
        roles = [(user, MANAGER) for user in department.managers] + [(user, MEMBER) for user in department.members]
        session.add_all(Membership(department_id=department_id, user_id=user, role=role) for user, role in set(roles))
    session.flush()
    session.add_all(
        Agreement(
            provider_id=agreement.provider,
            customer=agreement.customer,
            priority=agreement.priority,
            first_response=str(agreement.first_response),
            resolution=str(agreement.resolution),
            customer_response=str(agreement.customer_response) if agreement.customer_response else None,
        )
        for agreement in org.agreements
    )
    deactivated = _deactivate_missing(session, set(org.departments))
    apply_retros(session, org)
    apply_services(session, org)
    apply_checkups(session, org)
    for key, value in {
        "timezone": org.timezone,
        "anonymity_min": org.anonymity_min,
        "warn_at": org.warn_at,
        "admins": list(org.admins),
        "attainment_goal": org.attainment_goal,
        "reports": org.reports,
        "report_cadences": {d.id: d.reports for d in org.departments.values() if d.reports is not None},
    }.items():
        session.merge(Setting(key=key, value=value))
    org_snapshot.new_version(session)
    session.flush()
    return Applied(len(org.departments), deactivated, len(org.agreements), len(org.calendars))


def _deactivate_missing(session: Session, keep: set[str]) -> list[str]:
    gone = list(session.exec(select(Department).where(col(Department.id).not_in(keep), col(Department.active))))
    for department in gone:
        department.active = False
        session.add(department)
    return sorted(department.id for department in gone)
