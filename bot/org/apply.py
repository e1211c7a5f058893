"""Apply a validated org file to the database, all or nothing (the caller's transaction)."""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlmodel import Session, col, delete, select

from bot.domain.sla import BusinessCalendar
from bot.org import people
from bot.org.checkup_schedules import apply_checkups
from bot.org.model import CalendarSpec, OrgConfig
from bot.org.resolve import ROLES, Resolved, Sources, names_in
from bot.org.retro_schedules import apply_retros
from bot.org.service_catalog import apply_services
from storage import org_snapshot
from storage.directory import MANAGER, MEMBER
from storage.models import Agreement, Calendar, Department, Membership, Setting, UserGroup


@dataclass(frozen=True)
class Applied:
    departments: int
    deactivated: list[str]
    agreements: int
    calendars: int
    moved: int = 0  # open requests handed on from departments that left
    left: Mapping[str, set[str]] = field(default_factory=dict)  # department -> who is no longer in it


def apply_resolved(
    session: Session, resolved: Resolved, now: datetime, *, transfer_open_to: str | None = None
) -> Applied:
    """Apply an org file whose names were looked up: refused (OpenRequestsLeft, nothing applied) when a department
    leaves with open requests, unless they go to ``transfer_open_to``; the open requests of people who are no longer
    in a department are flagged to its managers."""
    leaving = people.open_in_leaving(session, set(resolved.org.departments))
    if leaving and transfer_open_to is None:
        raise people.OpenRequestsLeft(leaving)
    if transfer_open_to is not None and transfer_open_to not in resolved.org.departments:
        known = ", ".join(sorted(resolved.org.departments))
        raise ValueError(f"--transfer-open-to {transfer_open_to}: the org file has no such department ({known})")
    before = people.staff(session)
    applied = apply_org(session, resolved.org, resolved.sources)
    moved = people.hand_on(session, leaving, transfer_open_to, now) if transfer_open_to else 0
    left = people.flag_leavers(session, before, people.staff(session), now, "the org file changed")
    return replace(applied, moved=moved, left=left)


def business_calendar(spec: CalendarSpec) -> BusinessCalendar:
    return BusinessCalendar(
        timezone=spec.timezone,
        weekdays=frozenset(spec.weekdays),
        shifts=tuple(spec.shifts),
        holiday_country=spec.holiday_country,
        closed=frozenset(spec.closed),
    )


def apply_org(session: Session, org: OrgConfig, sources: Sources | None = None) -> Applied:
    """Make the database say what the org file says.

    ``org`` names people and channels by their ids only (``bot.org.resolve`` makes it so); ``sources`` is whom each
    role names, user groups included, for the hourly sync (default: the people ``org`` names, no groups).
    Departments that left the file are deactivated, not deleted: their requests keep them.
    Requests keep the promise they were filed with; new ones get the new agreements.
    """
    unresolved = names_in(org)
    if unresolved:
        raise ValueError(f"names in the org file must be looked up in Slack first: {', '.join(unresolved[:3])}")
    sources = sources or Sources.as_written(org)
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
                people={role: list(sources.people[department_id][role]) for role in ROLES},
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
    for group in sources.groups.values():
        session.merge(UserGroup(id=group.id, handle=group.handle, name=group.name, users=list(group.users)))
    for key, value in {
        "timezone": org.timezone,
        "anonymity_min": org.anonymity_min,
        "warn_at": org.warn_at,
        "admins": list(org.admins),
        "admin_sources": list(sources.admins),
        "homes": dict(org.homes),
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
