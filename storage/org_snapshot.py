"""The org as the database holds it, read once per applied org file and kept in memory.

Departments, people, agreements and calendars change only when an org file is applied (at start, or by
``inhouse org apply`` from another process), yet filing a request looked them up row by row: six ORM
queries, a quarter of a submission's CPU. ``apply_org`` stores a new version in its transaction; a reader
checks that one row in its own transaction and reuses the snapshot while it is the same, so it never sees
an org that the database no longer holds. Without a version (no org file applied) nothing is kept.
"""

import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from storage.models import Agreement, Calendar, Department, Membership, Setting

VERSION_KEY = "org_version"
SESSION_KEY = "inhouse_org_snapshot"  # in Session.info: a transaction checks the version once


@dataclass(frozen=True)
class OrgSnapshot:
    """Read-only: the Department and Agreement objects are detached copies, never to be added to a session."""

    version: str | None
    departments: Mapping[str, Department]  # active or not: old requests keep theirs
    staff_departments: Mapping[str, tuple[str, ...]]  # user id -> departments they work in, sorted
    agreements: Mapping[str, tuple[Agreement, ...]]  # provider id -> its agreements
    calendars: Mapping[str, dict[str, Any]]
    settings: Mapping[str, Any]

    def active_department(self, department_id: str) -> Department | None:
        department = self.departments.get(department_id)
        return department if department is not None and department.active else None


def new_version(session: Session) -> None:
    """Mark the org as changed; called by the transaction that applies an org file."""
    session.merge(Setting(key=VERSION_KEY, value=uuid.uuid4().hex))
    session.info.pop(SESSION_KEY, None)


_kept: dict[tuple[str, str], OrgSnapshot] = {}  # (database, version) -> snapshot; a version never changes
_keeping = threading.Lock()


def current(session: Session) -> OrgSnapshot:
    snapshot: OrgSnapshot | None = session.info.get(SESSION_KEY)
    if snapshot is None:
        snapshot = session.info[SESSION_KEY] = _current(session)
    return snapshot


def _current(session: Session) -> OrgSnapshot:
    session.flush()  # an org applied earlier in this transaction counts
    connection = session.connection()
    version = connection.execute(select(Setting.value).where(Setting.key == VERSION_KEY)).scalar()
    if version is None:
        return _load(session, None)
    key = (str(connection.engine.url), str(version))
    snapshot = _kept.get(key)
    if snapshot is None:
        snapshot = _load(session, str(version))
        with _keeping:
            for stale in [kept for kept in _kept if kept[0] == key[0]]:
                del _kept[stale]
            _kept[key] = snapshot
    return snapshot


def _load(session: Session, version: str | None) -> OrgSnapshot:
    departments = {d.id: Department(**d.model_dump()) for d in session.exec(select(Department))}
    staff: dict[str, set[str]] = {}
    for user_id, department_id in session.exec(select(Membership.user_id, Membership.department_id)):
        staff.setdefault(user_id, set()).add(department_id)
    agreements: dict[str, list[Agreement]] = {}
    for agreement in session.exec(select(Agreement).order_by(col(Agreement.id))):
        agreements.setdefault(agreement.provider_id, []).append(Agreement(**agreement.model_dump()))
    return OrgSnapshot(
        version=version,
        departments=departments,
        staff_departments={user: tuple(sorted(ids)) for user, ids in staff.items()},
        agreements={provider: tuple(terms) for provider, terms in agreements.items()},
        calendars={calendar.id: dict(calendar.spec) for calendar in session.exec(select(Calendar))},
        settings={setting.key: setting.value for setting in session.exec(select(Setting))},
    )
