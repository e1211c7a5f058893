"""The hourly refresh of the user groups the org file names (and ``inhouse org sync``): each group's members and
handle are looked up again, and the departments' people (managers, members, escalate_to, the admins) follow in one
transaction. Someone who left a group can no longer work its department's requests; the open ones still assigned to
them are flagged to the department's managers. What changed goes to the log.

Only what the groups bring changes: the people the file names by id or email stay as the last ``org apply`` left
them. A group Slack no longer has keeps its last members (and a warning in the log) until the file changes.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlmodel import Session, col, delete, select

from bot.org import people
from bot.org.resolve import ROLES, Sources
from bot.slack.directory import Group
from storage import org_snapshot
from storage.db import SessionScope
from storage.directory import MANAGER, MEMBER
from storage.models import Department, Membership, Setting, UserGroup

log = logging.getLogger(__name__)


class GroupLookups(Protocol):
    def groups(self) -> dict[str, Group]: ...

    def members(self, group_id: str) -> tuple[str, ...] | None: ...


@dataclass(frozen=True)
class Synced:
    groups: int
    changes: list[str] = field(default_factory=list)  # one line per change, for people
    left: dict[str, set[str]] = field(default_factory=dict)  # department -> who is no longer in it


def sync_groups(session_scope: SessionScope, lookups: GroupLookups, now: datetime) -> Synced:
    """Look the groups up (no transaction open), then apply what changed in one transaction."""
    with session_scope() as session:
        named = {group.id: group for group in session.exec(select(UserGroup))}
    if not named:
        return Synced(0)
    handles = {group.id: group for group in lookups.groups().values()}
    fetched = {group_id: lookups.members(group_id) for group_id in named}
    with session_scope() as session:
        changes = _refresh_groups(session, handles, fetched)
        groups = {group.id: Group(group.id, group.handle, group.name, tuple(group.users)) for group in _rows(session)}
        before = people.staff(session)
        changes += _apply_people(session, groups)
        left = people.flag_leavers(session, before, people.staff(session), now, "they left a user group")
        if changes:
            org_snapshot.new_version(session)
    for line in changes:
        log.info("Directory sync: %s", line)
    return Synced(len(named), changes, left)


def _rows(session: Session) -> list[UserGroup]:
    return list(session.exec(select(UserGroup)))


def _refresh_groups(
    session: Session, handles: dict[str, Group], fetched: dict[str, tuple[str, ...] | None]
) -> list[str]:
    changes = []
    for row in _rows(session):
        users = fetched.get(row.id)
        if users is None:
            log.warning(
                "Directory sync: the user group @%s (%s) is gone from Slack; it keeps its members", row.handle, row.id
            )
            continue
        listed = handles.get(row.id)
        if listed is not None and (listed.handle, listed.name) != (row.handle, row.name):
            changes.append(f"@{row.handle} is now @{listed.handle} ({listed.name})")
            row.handle, row.name = listed.handle, listed.name
        joined, gone = [u for u in users if u not in row.users], [u for u in row.users if u not in users]
        if joined or gone:
            changes.append(f"@{row.handle}: {_diff(joined, gone)}")
            row.users = list(users)
        session.add(row)
    session.flush()
    return changes


def _apply_people(session: Session, groups: dict[str, Group]) -> list[str]:
    """Every department's people and the admins again, from what the file named and the groups' members now."""
    query = select(Department).where(col(Department.active), col(Department.people).is_not(None))
    departments = list(session.exec(query))
    written = {d.id: {role: tuple(d.people.get(role, ())) for role in ROLES} for d in departments if d.people}
    sources = Sources(written, groups=groups)
    changes = []
    for department in departments:
        roles = {role: sources.expand(sources.people[department.id][role]) for role in ROLES}
        changes += _set_roles(session, department, roles)
    admins = session.get(Setting, "admin_sources")
    if admins is not None:
        changes += _set_setting(session, "admins", list(sources.expand(tuple(admins.value))))
    return changes


def _set_roles(session: Session, department: Department, roles: dict[str, tuple[str, ...]]) -> list[str]:
    wanted = {(user, MANAGER) for user in roles["managers"]} | {(user, MEMBER) for user in roles["members"]}
    query = select(Membership.user_id, Membership.role).where(Membership.department_id == department.id)
    held = set(session.exec(query))
    changes = []
    if wanted != held:
        session.exec(delete(Membership).where(col(Membership.department_id) == department.id))
        session.add_all(Membership(department_id=department.id, user_id=u, role=r) for u, r in wanted)
        joined = sorted(f"{u} ({r})" for u, r in wanted - held)
        gone = sorted(f"{u} ({r})" for u, r in held - wanted)
        changes.append(f"{department.id}: {_diff(joined, gone)}")
    if list(roles["escalate_to"]) != department.escalate_to:
        changes.append(f"{department.id} escalates to {', '.join(roles['escalate_to']) or 'nobody'}")
        department.escalate_to = list(roles["escalate_to"])
        session.add(department)
    session.flush()
    return changes


def _set_setting(session: Session, key: str, value: list[str]) -> list[str]:
    setting = session.get(Setting, key)
    if setting is not None and setting.value == value:
        return []
    session.merge(Setting(key=key, value=value))
    return [f"{key}: {', '.join(value) or 'nobody'}"]


def _diff(joined: list[str], gone: list[str]) -> str:
    parts = [f"joined {', '.join(joined)}"] if joined else []
    return "; ".join(parts + ([f"left {', '.join(gone)}"] if gone else []))
