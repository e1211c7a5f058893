"""Who is who: departments, their people, and the department of a requester."""

from typing import Any

from sqlmodel import Session, col, select

from storage import org_snapshot
from storage.models import Department, Membership, UserHome

MANAGER = "manager"
MEMBER = "member"


def active_departments(session: Session) -> list[Department]:
    return list(session.exec(select(Department).where(col(Department.active)).order_by(col(Department.name))))


def get_department(session: Session, department_id: str) -> Department | None:
    department = session.get(Department, department_id)
    return department if department is not None and department.active else None


def calendar_spec(session: Session, calendar_id: str) -> dict[str, Any]:
    """A copy of the calendar's spec, the caller's to keep (a request's promise does)."""
    spec = org_snapshot.current(session).calendar_spec(calendar_id)
    if spec is None:
        raise LookupError(f"calendar {calendar_id!r} is not in the database; apply the org file")
    return spec


def staff_departments(session: Session, user_id: str) -> list[str]:
    """Departments the user works in (member or manager), from the org file."""
    return list(org_snapshot.current(session).staff_departments.get(user_id, ()))


def is_staff(session: Session, department_id: str, user_id: str) -> bool:
    query = select(Membership).where(Membership.department_id == department_id, Membership.user_id == user_id)
    return session.exec(query).first() is not None


def managers_of(session: Session, department_id: str) -> list[str]:
    query = select(Membership.user_id).where(Membership.department_id == department_id, Membership.role == MANAGER)
    return sorted(session.exec(query))


def managed_by(session: Session, user_id: str) -> list[str]:
    """The departments the user manages."""
    query = select(Membership.department_id).where(Membership.user_id == user_id, Membership.role == MANAGER)
    return sorted(session.exec(query))


def private_departments(session: Session) -> frozenset[str]:
    """The departments whose feedback only their managers see (``feedback_private``)."""
    return frozenset(session.exec(select(Department.id).where(col(Department.feedback_private))))


def admins(session: Session) -> list[str]:
    """The org file's ``[organization] admins``, in its order."""
    return list(org_snapshot.current(session).settings.get("admins") or ())


def home_department(session: Session, user_id: str) -> str | None:
    """The org file's department for this user (its ``[homes]`` choice for someone in several, else the first by
    id), else the one they told us, else None."""
    org = org_snapshot.current(session)
    chosen = (org.settings.get("homes") or {}).get(user_id)
    staff = org.staff_departments.get(user_id, ())
    if chosen in staff:
        return str(chosen)
    if staff:
        return staff[0]
    home = session.get(UserHome, user_id)
    return home.department_id if home is not None else None


def remember_home(session: Session, user_id: str, department_id: str) -> None:
    home = session.get(UserHome, user_id)
    if home is None:
        session.add(UserHome(user_id=user_id, department_id=department_id))
    else:
        home.department_id = department_id
        session.add(home)
    session.flush()
