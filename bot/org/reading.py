"""Reading an org file's TOML tables into the fields of its model, collecting every problem with its key path.

``bot.org.model`` turns the problems into ``FILE:LINE: KEY: message`` and the fields into an ``OrgConfig``.
"""

import difflib
from collections.abc import Callable, Collection, Mapping
from typing import Any, Final, Literal, get_args

from bot.domain.agreements import WILDCARD
from bot.domain.durations import Duration, Unit
from bot.org import values
from bot.org.locator import KeyPath
from bot.reports.schedule import CADENCES

Priority = Literal["low", "normal", "high", "urgent"]
Template = Literal["went-well", "start-stop-continue", "4ls"]

PRIORITIES: Final[tuple[str, ...]] = get_args(Priority)
TEMPLATES: Final[tuple[str, ...]] = get_args(Template)
DEFAULT_CALENDAR: Final = "default"
ALWAYS_OPEN: Final = "always"


class Problems:
    """What is wrong with the file, by key path; empty when nothing is."""

    def __init__(self) -> None:
        self.found: list[tuple[KeyPath, str]] = []

    def add(self, path: KeyPath, message: str) -> None:
        self.found.append((path, message))

    def add_error(self, path: KeyPath, error: ValueError) -> None:
        for at, message in values.errors_of(error):
            self.add((*path, *at), message)

    def check_keys(self, table: Mapping[str, object], path: KeyPath, known: Collection[str]) -> None:
        for key in table:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"expected one of: {', '.join(known)}"
                self.add((*path, key), f"unknown key ({hint})")


_SECTIONS = ("organization", "calendars", "departments", "agreements", "retros", "services", "checkups", "homes")
_ORGANIZATION_KEYS = ("timezone", "anonymity_min", "warn_at", "admins", "attainment_goal", "reports")
_CALENDAR_KEYS = ("timezone", "days", "hours", "holidays", "closed")
_DEPARTMENT_KEYS = (
    "name",
    "channel",
    "managers",
    "members",
    "calendar",
    "feedback_private",
    "escalate_to",
    "reports",
    "intake_emoji",
)
_AGREEMENT_KEYS = ("provider", "customer", "priority", "first_response", "resolution", "customer_response")
_RETRO_KEYS = ("id", "department", "departments", "channel", "cron", "window", "template")
_CHECKUP_KEYS = ("id", "cron", "window", "calendar")
CHECKUP_ID: Final = "checkup"
_REQUIRED: Final = object()


class Table:
    """One TOML table being read into ``values`` (model field -> parsed value); problems go to ``problems``."""

    def __init__(self, data: Mapping[str, object], path: KeyPath, problems: Problems, keys: Collection[str]) -> None:
        self.data = data
        self.path = path
        self.problems = problems
        self.values: dict[str, object] = {}
        problems.check_keys(data, path, keys)

    def read(self, key: str, parse: Callable[[object], object], *, default: object = _REQUIRED, to: str = "") -> None:
        field = to or key
        if key not in self.data:
            if default is _REQUIRED:
                self.problems.add((*self.path, key), "missing: this key is required")
            else:
                self.values[field] = default
            return
        try:
            self.values[field] = parse(self.data[key])
        except ValueError as error:
            self.problems.add_error((*self.path, key), error)


def read_org(data: dict[str, Any], problems: Problems) -> dict[str, object]:
    problems.check_keys(data, (), _SECTIONS)
    organization = _read_organization(data, problems)
    calendar_tables = _named_tables(data, "calendars", problems)
    department_tables = _named_tables(data, "departments", problems)
    if not data.get("departments"):
        problems.add(("departments",), "the org file defines no departments: add a [departments.ID] table")
    default_calendar = DEFAULT_CALENDAR if DEFAULT_CALENDAR in calendar_tables else ALWAYS_OPEN
    calendars = {
        calendar_id: _read_calendar(calendar_id, table, organization.get("timezone"), problems)
        for calendar_id, table in calendar_tables.items()
    }
    known_calendars = {*calendar_tables, ALWAYS_OPEN}
    departments = {
        department_id: _read_department(department_id, table, known_calendars, default_calendar, problems)
        for department_id, table in department_tables.items()
    }
    known_departments = set(department_tables)
    agreements = [
        _read_agreement(index, table, known_departments, problems)
        for index, table in enumerate(array_of_tables(data, "agreements", problems))
    ]
    _check_unique_agreements(agreements, problems)
    retros = [
        _read_retro(index, table, known_departments, problems)
        for index, table in enumerate(array_of_tables(data, "retros", problems))
    ]
    _check_unique_retros(retros, problems)
    checkups = [
        _read_checkup(index, table, known_calendars, default_calendar, problems)
        for index, table in enumerate(array_of_tables(data, "checkups", problems))
    ]
    _check_unique_checkups(checkups, problems)
    if any(table.get("calendar") == ALWAYS_OPEN for table in [*departments.values(), *checkups]):
        calendars.setdefault(ALWAYS_OPEN, _always_open(organization.get("timezone")))
    return {
        **organization,
        "calendars": calendars,
        "departments": departments,
        "agreements": agreements,
        "retros": retros,
        "checkups": checkups,
        "homes": _read_homes(data, known_departments, problems),
    }


def _read_homes(data: Mapping[str, object], departments: Collection[str], problems: Problems) -> dict[str, str]:
    """``[homes]``: a person's home department (where the requests they file come from), for one in several."""
    table = data.get("homes", {})
    if not isinstance(table, dict):
        problems.add(("homes",), 'must be a table: write [homes] with lines like "alice@acme.com" = "sales"')
        return {}
    homes: dict[str, str] = {}
    for person, department in table.items():
        try:
            who = values.parse_person(person)
            if who.startswith("@"):
                raise ValueError(f"{person!r} is a user group: a home department is one person's")
            homes[who] = values.parse_reference(departments, "department")(department)
        except ValueError as error:
            problems.add_error(("homes", person), error)
    return homes


def _read_organization(data: Mapping[str, object], problems: Problems) -> dict[str, object]:
    if "organization" not in data:
        problems.add(
            ("organization",), 'missing: add an [organization] table with timezone = "Europe/Berlin" or similar'
        )
        return {}
    if not isinstance(data["organization"], dict):
        problems.add(("organization",), "must be a table: write [organization] with its keys below it")
        return {}
    table = Table(data["organization"], ("organization",), problems, _ORGANIZATION_KEYS)
    table.read("timezone", values.parse_timezone)
    table.read("anonymity_min", values.parse_positive_int, default=5)
    table.read("warn_at", values.parse_share, default=0.75)
    table.read("admins", values.parse_people, default=())
    table.read("attainment_goal", values.parse_share, default=0.9)
    table.read("reports", values.parse_choice(CADENCES, "report schedule"), default="monthly")
    return table.values


def _named_tables(data: Mapping[str, object], section: str, problems: Problems) -> dict[str, Mapping[str, object]]:
    """The tables ``[section.ID]`` by id, each id checked; bad entries are reported and left out."""
    tables = data.get(section, {})
    if not isinstance(tables, dict):
        problems.add((section,), f"must be a table of tables: write [{section}.ID]")
        return {}
    found: dict[str, Mapping[str, object]] = {}
    for name, table in tables.items():
        if not values.ID.fullmatch(name):
            problems.add((section, name), f"{name!r} is not an id: {values.ID_RULE}")
        if isinstance(table, dict):
            found[name] = table
        else:
            problems.add((section, name), f"must be a table: write [{section}.{name}] with its keys below it")
    return found


def array_of_tables(data: Mapping[str, object], section: str, problems: Problems) -> list[Mapping[str, object]]:
    tables = data.get(section, [])
    if not isinstance(tables, list):
        problems.add((section,), f"must be an array of tables: write [[{section}]] before each entry")
        return []
    for index, table in enumerate(tables):
        if not isinstance(table, dict):
            problems.add((section, index), f"must be a table: write [[{section}]] before each entry")
    return [table for table in tables if isinstance(table, dict)]


def _read_calendar(
    calendar_id: str, data: Mapping[str, object], default_timezone: object, problems: Problems
) -> dict[str, object]:
    table = Table(data, ("calendars", calendar_id), problems, _CALENDAR_KEYS)
    table.read("timezone", values.parse_timezone, default=default_timezone)
    table.read("days", values.parse_weekdays, to="weekdays")
    table.read("hours", values.parse_shifts, to="shifts")
    table.read("holidays", values.parse_holiday_country, default=None, to="holiday_country")
    table.read("closed", values.parse_closed_days, default=frozenset())
    return {"id": calendar_id, **table.values}


def _always_open(timezone: object) -> dict[str, object]:
    return {"id": ALWAYS_OPEN, "timezone": timezone, "weekdays": frozenset(range(7)), "shifts": ((0, 1440),)}


def _read_department(
    department_id: str,
    data: Mapping[str, object],
    calendars: Collection[str],
    default_calendar: str,
    problems: Problems,
) -> dict[str, object]:
    table = Table(data, ("departments", department_id), problems, _DEPARTMENT_KEYS)
    table.read("name", values.parse_name)
    table.read("channel", values.parse_channel)
    table.read("managers", values.parse_people, default=())
    table.read("members", values.parse_people, default=())
    table.read("calendar", values.parse_reference(calendars, "calendar"), default=default_calendar)
    table.read("feedback_private", values.parse_bool, default=False)
    table.read("escalate_to", values.parse_people, default=())
    table.read("intake_emoji", values.parse_emoji, default=None)
    table.read("reports", values.parse_choice(CADENCES, "report schedule"), default=None)
    return {"id": department_id, **table.values}


def _read_agreement(
    index: int, data: Mapping[str, object], departments: Collection[str], problems: Problems
) -> dict[str, object]:
    table = Table(data, ("agreements", index), problems, _AGREEMENT_KEYS)
    table.read("provider", values.parse_reference(departments, "department"))
    table.read("customer", values.parse_reference(departments, "department", wildcard=True), default=WILDCARD)
    table.read("priority", values.parse_choice((WILDCARD, *PRIORITIES), "priority"), default=WILDCARD)
    table.read("first_response", values.parse_duration_value)
    table.read("resolution", values.parse_duration_value)
    table.read("customer_response", values.parse_duration_value, default=None)
    first, last = table.values.get("first_response"), table.values.get("resolution")
    if isinstance(first, Duration) and isinstance(last, Duration) and surely_longer(first, last):
        problems.add(("agreements", index, "first_response"), f"{first} is longer than the resolution time {last}")
    return table.values


def surely_longer(one: Duration, other: Duration) -> bool:
    """Working days have no fixed length, so they compare only with working days."""
    if (one.unit is Unit.WORKING_DAYS) != (other.unit is Unit.WORKING_DAYS):
        return False
    if one.unit is Unit.WORKING_DAYS:
        return one.amount > other.amount
    return one.business_minutes > other.business_minutes


def _check_unique_agreements(agreements: list[dict[str, object]], problems: Problems) -> None:
    seen: dict[tuple[object, ...], int] = {}
    for index, agreement in enumerate(agreements):
        terms = tuple(agreement.get(key) for key in ("provider", "customer", "priority"))
        if None in terms:
            continue
        if terms in seen:
            provider, customer, priority = terms
            problems.add(
                ("agreements", index),
                f"agreements[{seen[terms]}] already covers provider {provider!r}, "
                f"customer {customer!r}, priority {priority!r}",
            )
        seen.setdefault(terms, index)


def _read_retro(
    index: int, data: Mapping[str, object], departments: Collection[str], problems: Problems
) -> dict[str, object]:
    path: KeyPath = ("retros", index)
    table = Table(data, path, problems, _RETRO_KEYS)
    if "department" in data and "departments" in data:
        problems.add((*path, "departments"), "write either department (one) or departments (a pair), not both")
    elif "departments" in data:
        table.read("departments", values.parse_department_pair(departments))
    elif "department" in data:
        table.read(
            "department", lambda value: (values.parse_reference(departments, "department")(value),), to="departments"
        )
    else:
        problems.add(
            (*path, "department"), 'missing: write department = "ID", or departments = ["ID", "ID"] for a pair'
        )
    table.read("id", values.parse_id, default=_retro_id(table.values.get("departments")))
    table.read("channel", values.parse_channel)
    table.read("cron", values.parse_cron)
    table.read("window", values.parse_duration_value, default=Duration(2, Unit.WORKING_DAYS))
    table.read("template", values.parse_choice(TEMPLATES, "template"), default="went-well")
    return table.values


def _retro_id(departments: object) -> str | None:
    return "-".join(departments) if isinstance(departments, tuple) else None


def _check_unique_retros(retros: list[dict[str, object]], problems: Problems) -> None:
    seen: dict[str, int] = {}
    for index, retro in enumerate(retros):
        retro_id = retro.get("id")
        if not isinstance(retro_id, str):
            continue
        if retro_id in seen:
            problems.add(("retros", index, "id"), f"retros[{seen[retro_id]}] already has the id {retro_id!r}: set id")
        seen.setdefault(retro_id, index)


def _read_checkup(
    index: int, data: Mapping[str, object], calendars: Collection[str], default_calendar: str, problems: Problems
) -> dict[str, object]:
    table = Table(data, ("checkups", index), problems, _CHECKUP_KEYS)
    table.read("id", values.parse_id, default=CHECKUP_ID)
    table.read("cron", values.parse_cron)
    table.read("window", values.parse_duration_value, default=Duration(5, Unit.WORKING_DAYS))
    table.read("calendar", values.parse_reference(calendars, "calendar"), default=default_calendar)
    return table.values


def _check_unique_checkups(checkups: list[dict[str, object]], problems: Problems) -> None:
    seen: dict[object, int] = {}
    for index, checkup in enumerate(checkups):
        if checkup.get("id") in seen:
            problems.add(
                ("checkups", index, "id"),
                f"checkups[{seen[checkup.get('id')]}] already has the id {checkup.get('id')!r}: set id",
            )
        seen.setdefault(checkup.get("id"), index)
