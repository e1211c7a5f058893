"""What an org file allows but is probably a mistake: printed as ``FILE:LINE: KEY: warning: message``, exit 0.

- a person in two departments (which one is their home, and how to choose another);
- a department without managers (breach alerts and the managers' reports reach nobody);
- a department without a calendar when there is no default one (its clocks run 24/7);
- a target longer than 60 working days.
"""

import tomllib
from collections.abc import Iterator, Mapping

from bot.domain.durations import Duration, Unit
from bot.org.locator import KeyPath, locate
from bot.org.model import ALWAYS_OPEN, OrgConfig, Problem, dotted

LONGEST_TARGET_DAYS = 60


def org_warnings(org: OrgConfig, text: str, filename: str) -> list[Problem]:
    """``org`` as read from ``text`` (or resolved from it: then people are user ids)."""
    data = tomllib.loads(text)
    lines = locate(text)
    found = [*_in_two_departments(org), *_without_managers(org), *_without_calendar(org, data), *_long_targets(org)]
    warned = [Problem(filename, lines.line_of(path), dotted(path), f"warning: {message}") for path, message in found]
    return sorted(warned, key=lambda problem: problem.line)


def _in_two_departments(org: OrgConfig) -> Iterator[tuple[KeyPath, str]]:
    where: dict[str, list[str]] = {}
    for department_id in sorted(org.departments):
        department = org.departments[department_id]
        for person in dict.fromkeys((*department.managers, *department.members)):
            where.setdefault(person, []).append(department_id)
    for person, departments in where.items():
        if len(departments) < 2 or org.homes.get(person) in departments or person.startswith("@"):
            continue
        home, other = departments[0], departments[1]
        role = "managers" if person in org.departments[home].managers else "members"
        listed = " and ".join([", ".join(departments[:-1]), departments[-1]])
        yield (
            ("departments", home, role),
            f"{person} is in {listed}: the requests they file count as {home}'s (the first by id). To choose another, "
            f'add "{person}" = "{other}" under [homes]',
        )


def _without_managers(org: OrgConfig) -> Iterator[tuple[KeyPath, str]]:
    for department_id, department in org.departments.items():
        if not department.managers:
            yield (
                ("departments", department_id),
                f"{department_id} has no managers: its breach alerts and its managers' reports reach nobody",
            )


def _without_calendar(org: OrgConfig, data: Mapping[str, object]) -> Iterator[tuple[KeyPath, str]]:
    tables = data.get("departments")
    for department_id, department in org.departments.items():
        table = tables.get(department_id) if isinstance(tables, dict) else None
        if department.calendar == ALWAYS_OPEN and isinstance(table, dict) and "calendar" not in table:
            yield (
                ("departments", department_id),
                f"{department_id} has no calendar (and there is no [calendars.default]): its clocks run 24/7. "
                f'Write calendar = "{ALWAYS_OPEN}" if that is meant',
            )


def _long_targets(org: OrgConfig) -> Iterator[tuple[KeyPath, str]]:
    for index, agreement in enumerate(org.agreements):
        for metric in ("first_response", "resolution"):
            yield from _too_long(org, ("agreements", index, metric), agreement.provider, getattr(agreement, metric))
    for index, service in enumerate(org.services):
        for metric in ("first_response", "resolution"):
            yield from _too_long(org, ("services", index, metric), service.department, getattr(service, metric))


def _too_long(
    org: OrgConfig, path: KeyPath, department_id: str, target: Duration | None
) -> Iterator[tuple[KeyPath, str]]:
    if target is None:
        return
    calendar = org.calendars[org.departments[department_id].calendar]
    day = sum(end - start for start, end in calendar.shifts)  # working minutes in one of its days
    days = target.amount if target.unit is Unit.WORKING_DAYS else target.business_minutes / day
    if days > LONGEST_TARGET_DAYS:
        yield (
            path,
            f"{target} is more than {LONGEST_TARGET_DAYS} working days on {calendar.id}'s calendar: is that meant?",
        )
