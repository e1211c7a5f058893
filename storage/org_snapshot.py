"""The org as the database holds it, read once per applied org file and kept in memory.

Departments, people, agreements and calendars change only when an org file is applied (at start, or by
``inhouse org apply`` from another process), yet filing a request looked them up row by row: six ORM
queries, a quarter of a submission's CPU. ``apply_org`` stores a new version in its transaction; a reader
checks that one row in its own transaction and reuses the snapshot while it is the same, so it never sees
an org that the database no longer holds. Without a version (no org file applied) nothing is kept.
"""

import copy
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from sqlmodel import Session, col, select

from bot.domain.services import Service
from storage.models import Agreement, Calendar, Department, Membership, Setting
from storage.service_models import Service as ServiceRow

VERSION_KEY = "org_version"
SESSION_KEY = "inhouse_org_snapshot"  # in Session.info: a session (one transaction, see storage.db) checks once
LOAD_ATTEMPTS = 3


@dataclass(frozen=True)
class OrgDepartment:
    id: str
    name: str
    channel: str
    calendar_id: str
    active: bool
    intake_emoji: str | None = None


@dataclass(frozen=True)
class OrgAgreement:
    id: int
    provider_id: str
    customer: str
    priority: str
    first_response: str
    resolution: str
    customer_response: str | None = None


@dataclass(frozen=True)
class OrgSnapshot:
    """Shared by every thread of the process, so nothing in it can be changed."""

    version: str | None
    departments: Mapping[str, OrgDepartment]  # active or not: old requests keep theirs
    staff_departments: Mapping[str, tuple[str, ...]]  # user id -> departments they work in, sorted
    agreements: Mapping[str, tuple[OrgAgreement, ...]]  # provider id -> its agreements
    calendars: Mapping[str, Mapping[str, Any]]  # calendar id -> its spec; read it through calendar_spec
    settings: Mapping[str, Any]
    services: Mapping[str, Service]  # active or not: old requests keep theirs
    catalog: Mapping[str, tuple[str, ...]]  # department id -> its active services, in order

    def active_department(self, department_id: str) -> OrgDepartment | None:
        department = self.departments.get(department_id)
        return department if department is not None and department.active else None

    def offered(self, department_id: str) -> list[Service]:
        """What the department offers now, in the org file's order."""
        return [self.services[service_id] for service_id in self.catalog.get(department_id, ())]

    def calendar_spec(self, calendar_id: str) -> dict[str, Any] | None:
        """A copy of the calendar's spec, the caller's to keep (a request's promise does)."""
        spec = self.calendars.get(calendar_id)
        return copy.deepcopy(dict(spec)) if spec is not None else None


def new_version(session: Session) -> None:
    """Mark the org as changed; called by the transaction that applies an org file."""
    session.merge(Setting(key=VERSION_KEY, value=uuid.uuid4().hex))
    session.info.pop(SESSION_KEY, None)


_kept: dict[
    tuple[str, str], OrgSnapshot
] = {}  # (database, version) -> its snapshot, like a memo: versions never change
_keeping = threading.Lock()


def current(session: Session) -> OrgSnapshot:
    snapshot: OrgSnapshot | None = session.info.get(SESSION_KEY)
    if snapshot is None:
        snapshot = session.info[SESSION_KEY] = _current(session)
    return snapshot


def _current(session: Session) -> OrgSnapshot:
    session.flush()  # an org applied earlier in this transaction counts
    connection = session.connection()
    for _attempt in range(LOAD_ATTEMPTS):
        version = connection.execute(select(Setting.value).where(Setting.key == VERSION_KEY)).scalar()
        if version is None:
            return _load(session, None)
        key = (str(connection.engine.url), str(version))
        kept = _kept.get(key)
        if kept is not None:
            return kept
        snapshot = _load(session, str(version))
        # On PostgreSQL (read committed) each SELECT sees the latest commit: an org applied while this one
        # loaded would mix two orgs. Its settings, read last, then name another version: load again.
        if snapshot.settings.get(VERSION_KEY) == version:
            with _keeping:
                for stale in [other for other in _kept if other[0] == key[0]]:
                    del _kept[stale]
                _kept[key] = snapshot
            return snapshot
    return _load(session, None)  # orgs applied back to back: use this one read, keep nothing


def _load(session: Session, version: str | None) -> OrgSnapshot:
    departments = {
        d.id: OrgDepartment(d.id, d.name, d.channel, d.calendar_id, d.active, d.intake_emoji)
        for d in session.exec(select(Department))
    }
    staff: dict[str, set[str]] = {}
    for user_id, department_id in session.exec(select(Membership.user_id, Membership.department_id)):
        staff.setdefault(user_id, set()).add(department_id)
    agreements: dict[str, list[OrgAgreement]] = {}
    for a in session.exec(select(Agreement).order_by(col(Agreement.id))):
        assert a.id is not None
        terms = OrgAgreement(
            a.id, a.provider_id, a.customer, a.priority, a.first_response, a.resolution, a.customer_response
        )
        agreements.setdefault(a.provider_id, []).append(terms)
    services: dict[str, Service] = {}
    catalog: dict[str, list[str]] = {}
    for row in session.exec(select(ServiceRow).order_by(col(ServiceRow.position))):
        services[row.id] = row.spec()
        if row.active:
            catalog.setdefault(row.department_id, []).append(row.id)
    return OrgSnapshot(
        version=version,
        departments=MappingProxyType(departments),
        staff_departments=MappingProxyType({user: tuple(sorted(ids)) for user, ids in staff.items()}),
        agreements=MappingProxyType({provider: tuple(terms) for provider, terms in agreements.items()}),
        calendars=MappingProxyType({c.id: c.spec for c in session.exec(select(Calendar))}),
        settings=MappingProxyType({setting.key: setting.value for setting in session.exec(select(Setting))}),
        services=MappingProxyType(services),
        catalog=MappingProxyType({department: tuple(ids) for department, ids in catalog.items()}),
    )
