"""Names in the org file, resolved through Slack: people by email or user group, channels by name.

``resolve`` turns an org file whose people and channels may be written as names into one with ids only (a user
group stands for its members), and keeps what each role was written as in ids (a user, or a user group's id), so
that the hourly sync can refresh the groups' members without the file. Every name that does not resolve is a
problem at its line, as ``FILE:LINE: KEY: message``; nothing is applied unless all do.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from bot.org import values
from bot.org.locator import KeyLines, KeyPath
from bot.org.model import DepartmentSpec, OrgConfig, OrgFileError, Problem, dotted
from bot.slack.directory import Group, LookupFailed

T = TypeVar("T")
ROLES = ("managers", "members", "escalate_to")
SCOPES = {  # what a refused look-up needs, when Slack says missing_scope
    "users.lookupByEmail": "users:read.email",
    "usergroups.list": "usergroups:read",
    "conversations.list": "channels:read and groups:read",
}


class Lookups(Protocol):
    def user_by_email(self, email: str) -> str | None: ...

    def group(self, handle: str) -> Group | None: ...

    def channel(self, name: str) -> str | None: ...


class Unasked(LookupFailed):
    """There is no Slack to ask; the message says why."""


class Offline:
    """No Slack to ask: every name is a problem that says so (names in the file, and no token to look them up)."""

    def __init__(self, why: str) -> None:
        self.why = why

    def user_by_email(self, email: str) -> str | None:
        raise Unasked(self.why)

    def group(self, handle: str) -> Group | None:
        raise Unasked(self.why)

    def channel(self, name: str) -> str | None:
        raise Unasked(self.why)


@dataclass(frozen=True)
class Sources:
    """Each department's roles (and the admins) as the file names them, in ids: user ids and user groups' ids."""

    people: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)  # department -> role -> ids
    admins: tuple[str, ...] = ()
    groups: Mapping[str, Group] = field(default_factory=dict)  # by id, with their members

    @classmethod
    def as_written(cls, org: OrgConfig) -> "Sources":
        """The sources of an org file that names everyone by id: the people themselves, no groups."""
        people = {d: {role: getattr(spec, role) for role in ROLES} for d, spec in org.departments.items()}
        return cls(people, org.admins)

    def expand(self, ids: tuple[str, ...]) -> tuple[str, ...]:
        """The people ``ids`` stand for: a user for themselves, a user group for its members (in order, once)."""
        people = (person for one in ids for person in (self.groups[one].users if one in self.groups else (one,)))
        return tuple(dict.fromkeys(people))


@dataclass(frozen=True)
class Resolved:
    org: OrgConfig  # ids only: every person a user id (groups expanded), every channel an id
    sources: Sources


def names_in(org: OrgConfig) -> list[str]:
    """The names the file uses that only Slack can resolve (emails, @groups, #channels), each once."""
    written = [*org.admins, *org.homes]
    for department in org.departments.values():
        written += [department.channel, *department.managers, *department.members, *department.escalate_to]
    written += [retro.channel for retro in org.retros]
    return list(dict.fromkeys(name for name in written if not values.is_id(name)))


def resolve(org: OrgConfig, lookups: Lookups, filename: str, lines: KeyLines) -> Resolved:
    """``org`` with ids only, and its sources; OrgFileError with a problem for each name that does not resolve."""
    resolver = _Resolver(lookups)
    admins = resolver.people(("organization", "admins"), org.admins)
    people: dict[str, dict[str, tuple[str, ...]]] = {}
    departments: dict[str, DepartmentSpec] = {}
    for department_id, department in org.departments.items():
        at: KeyPath = ("departments", department_id)
        people[department_id] = {role: resolver.people((*at, role), getattr(department, role)) for role in ROLES}
        departments[department_id] = department
        channel = resolver.channel((*at, "channel"), department.channel)
        if channel is not None:
            departments[department_id] = department.model_copy(update={"channel": channel})
    retros = []
    for index, retro in enumerate(org.retros):
        channel = resolver.channel(("retros", index, "channel"), retro.channel)
        retros.append(retro.model_copy(update={"channel": channel}) if channel is not None else retro)
    sources = Sources(people, admins, resolver.groups)
    for department_id, spec in list(departments.items()):
        expanded = {role: sources.expand(people[department_id][role]) for role in ROLES}
        departments[department_id] = spec.model_copy(update=expanded)
    homes = resolver.homes(org.homes, departments)
    if resolver.problems:
        found = [Problem(filename, lines.line_of(path), dotted(path), message) for path, message in resolver.problems]
        raise OrgFileError(sorted(found, key=lambda problem: problem.line))
    update = {"admins": sources.expand(admins), "departments": departments, "retros": tuple(retros), "homes": homes}
    return Resolved(org.model_copy(update=update), sources)


class _Resolver:
    def __init__(self, lookups: Lookups) -> None:
        self.lookups = lookups
        self.problems: list[tuple[KeyPath, str]] = []
        self.groups: dict[str, Group] = {}
        self._refused: dict[str, str] = {}  # method -> why Slack refused it: asked once, reported for each name

    def people(self, path: KeyPath, written: tuple[str, ...]) -> tuple[str, ...]:
        """The user ids and user group ids ``written`` stands for (what does not resolve is a problem)."""
        return tuple(one for one in (self.person(path, name) for name in written) if one is not None)

    def person(self, path: KeyPath, name: str) -> str | None:
        if values.is_id(name):
            return name
        if name.startswith("@"):
            group = self._ask(path, name, "usergroups.list", lambda: self.lookups.group(name[1:]))
            if group is not None:
                self.groups[group.id] = group
                return group.id
            return self._missing(path, name, "usergroups.list", "there is no enabled user group with this handle")
        user = self._ask(path, name, "users.lookupByEmail", lambda: self.lookups.user_by_email(name))
        return user or self._missing(path, name, "users.lookupByEmail", "nobody in this Slack workspace has this email")

    def channel(self, path: KeyPath, name: str) -> str | None:
        if values.is_id(name):
            return name
        found = self._ask(path, name, "conversations.list", lambda: self.lookups.channel(name[1:]))
        why = "no channel the app can see has this name (a private one: invite the app to it; not archived)"
        return found or self._missing(path, name, "conversations.list", why)

    def homes(self, written: Mapping[str, str], departments: Mapping[str, DepartmentSpec]) -> dict[str, str]:
        homes = {}
        for name, department_id in written.items():
            user = self.person(("homes", name), name)
            if user is None:
                continue
            spec = departments[department_id]
            if user not in (*spec.managers, *spec.members):
                self.problems.append((("homes", name), f"{name} is not among {department_id}'s managers or members"))
            homes[user] = department_id
        return homes

    def _ask(self, path: KeyPath, name: str, method: str, call: Callable[[], T | None]) -> T | None:
        if method not in self._refused:
            try:
                return call()
            except LookupFailed as refused:
                self._refused[method] = _why(method, refused)
        self.problems.append((path, f"{name}: could not be looked up: {self._refused[method]}"))
        return None

    def _missing(self, path: KeyPath, name: str, method: str, why: str) -> str | None:
        """None for ``name``, with the problem ``why`` (unless Slack refused to look it up: that one is reported)."""
        if method not in self._refused:
            self.problems.append((path, f"{name}: {why}"))
        return None


def _why(method: str, refused: LookupFailed) -> str:
    reason = str(refused)
    if isinstance(refused, Unasked):
        return reason
    if reason == "missing_scope":
        return f"Slack refused {method} (missing_scope): the app needs {SCOPES[method]}; reinstall it from manifest.yml"
    if reason in ("not_authed", "invalid_auth", "token_revoked", "account_inactive"):
        return f"Slack refused {method} ({reason}): check SLACK_BOT_TOKEN"
    return f"Slack refused {method} ({reason})"
