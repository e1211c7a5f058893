"""The org file: departments, calendars, agreements and retros as configuration as code (TOML).

:func:`load_org` validates the whole file and reports every problem at once, each with its line and
dotted key; only a file without problems becomes an :class:`OrgConfig`.

A department without ``calendar`` uses the calendar named ``default`` if the file defines one, else
the built-in ``always`` calendar: every day 00:00-24:00 in the organization's time zone, no holidays.
``always`` may also be named explicitly; a calendar the file defines under that id replaces it.
"""

import difflib
import os
import re
import tomllib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any, Final, Literal, TypeVar, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from apscheduler.triggers.cron import CronTrigger
from pydantic import BaseModel, ConfigDict

from bot.domain.agreements import WILDCARD, best_match
from bot.domain.durations import Duration, Unit, parse_duration
from bot.org_locator import KeyPath, locate

Priority = Literal["low", "normal", "high", "urgent"]
Template = Literal["went-well", "start-stop-continue", "4ls"]

PRIORITIES: Final[tuple[str, ...]] = get_args(Priority)
TEMPLATES: Final[tuple[str, ...]] = get_args(Template)
DEFAULT_CALENDAR: Final = "default"
ALWAYS_OPEN: Final = "always"
WEEKDAY_NAMES: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

T = TypeVar("T")


# --- The validated configuration --------------------------------------------------------------


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True)


class CalendarSpec(_Spec):
    id: str
    timezone: str
    weekdays: frozenset[int]
    """0 is Monday."""
    shifts: tuple[tuple[int, int], ...]
    """Minutes since local midnight, in order, not overlapping; an end may be 1440 (24:00)."""
    holiday_country: str | None = None
    """A country code of the holidays package, optionally with a subdivision: ``DE`` or ``DE-BY``."""
    closed: frozenset[date] = frozenset()


class DepartmentSpec(_Spec):
    id: str
    name: str
    channel: str
    managers: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    calendar: str
    feedback_private: bool = False
    escalate_to: tuple[str, ...] = ()


class AgreementSpec(_Spec):
    provider: str
    customer: str = WILDCARD
    """A department id or ``*``."""
    priority: Priority | Literal["*"] = "*"
    first_response: Duration
    resolution: Duration


class RetroSpec(_Spec):
    id: str
    departments: tuple[str] | tuple[str, str]
    channel: str
    cron: str
    """Standard 5-field crontab with weekdays by name, in the first department's calendar time zone."""
    window: Duration = Duration(2, Unit.WORKING_DAYS)
    template: Template = "went-well"


class OrgConfig(_Spec):
    timezone: str
    anonymity_min: int = 5
    warn_at: float = 0.75
    calendars: dict[str, CalendarSpec]
    departments: dict[str, DepartmentSpec]
    agreements: tuple[AgreementSpec, ...] = ()
    retros: tuple[RetroSpec, ...] = ()

    def agreement_for(self, provider: str, customer: str | None, priority: str) -> AgreementSpec | None:
        """The provider's most specific agreement for this customer department (None: no department) and priority."""
        return best_match((terms for terms in self.agreements if terms.provider == provider), customer, priority)

    def departments_of(self, user_id: str) -> list[str]:
        return [department_id for department_id in self.departments if self.is_staff(department_id, user_id)]

    def is_staff(self, department_id: str, user_id: str) -> bool:
        department = self.departments.get(department_id)
        return department is not None and (user_id in department.managers or user_id in department.members)

    def retro_timezone(self, retro: RetroSpec) -> str:
        """The zone a retro's cron runs in: that of its first department's calendar."""
        return self.calendars[self.departments[retro.departments[0]].calendar].timezone


# --- Problems ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    """1-based; 0 when the problem concerns the whole file (e.g. it cannot be read)."""
    key: str
    """Dotted, e.g. ``agreements[2].first_response``; empty for a TOML syntax error."""
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class OrgFileError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


class _Invalid(ValueError):
    """Problems inside a value, each at a path relative to it (e.g. a list index)."""

    def __init__(self, errors: list[tuple[KeyPath, str]]) -> None:
        super().__init__(errors[0][1])
        self.errors = errors


def _errors_of(error: ValueError) -> list[tuple[KeyPath, str]]:
    return error.errors if isinstance(error, _Invalid) else [((), str(error))]


class _Problems:
    def __init__(self) -> None:
        self.found: list[tuple[KeyPath, str]] = []

    def add(self, path: KeyPath, message: str) -> None:
        self.found.append((path, message))

    def add_error(self, path: KeyPath, error: ValueError) -> None:
        for at, message in _errors_of(error):
            self.add((*path, *at), message)

    def check_keys(self, table: Mapping[str, object], path: KeyPath, known: Collection[str]) -> None:
        for key in table:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"expected one of: {', '.join(known)}"
                self.add((*path, key), f"unknown key ({hint})")


def dotted(path: KeyPath) -> str:
    """``("agreements", 2, "resolution")`` -> ``agreements[2].resolution``; odd keys are quoted."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = part if _ID.fullmatch(part) else '"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"'
            text += f".{name}" if text else name
    return text


# --- Loading ----------------------------------------------------------------------------------


def load_org(path: str | os.PathLike[str]) -> OrgConfig:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise OrgFileError([Problem(os.fspath(path), 0, "", f"cannot read the org file: {error}")]) from error
    return load_org_text(text, os.fspath(path))


def load_org_text(text: str, filename: str = "<org file>") -> OrgConfig:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise OrgFileError([_syntax_problem(filename, text, error)]) from None
    problems = _Problems()
    raw = _read_org(data, problems)
    if problems.found:
        lines = locate(text)
        found = [Problem(filename, lines.line_of(path), dotted(path), message) for path, message in problems.found]
        raise OrgFileError(sorted(found, key=lambda problem: problem.line))
    return OrgConfig.model_validate(raw)


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$|\s*\(at end of document\)$")


def _syntax_problem(filename: str, text: str, error: tomllib.TOMLDecodeError) -> Problem:
    message = str(error)
    match = _TOML_POSITION.search(message)
    if match is None:
        return Problem(filename, 1, "", f"TOML syntax error: {message}")
    line = int(match.group(1)) if match.group(1) else text.count("\n") + 1
    column = f" (column {match.group(2)})" if match.group(2) else ""
    return Problem(filename, line, "", f"TOML syntax error: {message[: match.start()]}{column}")


# --- Reading the file -------------------------------------------------------------------------

_SECTIONS = ("organization", "calendars", "departments", "agreements", "retros")
_ORGANIZATION_KEYS = ("timezone", "anonymity_min", "warn_at")
_CALENDAR_KEYS = ("timezone", "days", "hours", "holidays", "closed")
_DEPARTMENT_KEYS = ("name", "channel", "managers", "members", "calendar", "feedback_private", "escalate_to")
_AGREEMENT_KEYS = ("provider", "customer", "priority", "first_response", "resolution")
_RETRO_KEYS = ("id", "department", "departments", "channel", "cron", "window", "template")
_REQUIRED: Final = object()


class _Table:
    """One TOML table being read into ``values`` (model field -> parsed value); problems go to ``problems``."""

    def __init__(self, data: Mapping[str, object], path: KeyPath, problems: _Problems, keys: Collection[str]) -> None:
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


def _read_org(data: dict[str, Any], problems: _Problems) -> dict[str, object]:
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
        for index, table in enumerate(_array_of_tables(data, "agreements", problems))
    ]
    _check_unique_agreements(agreements, problems)
    retros = [
        _read_retro(index, table, known_departments, problems)
        for index, table in enumerate(_array_of_tables(data, "retros", problems))
    ]
    _check_unique_retros(retros, problems)
    if any(department.get("calendar") == ALWAYS_OPEN for department in departments.values()):
        calendars.setdefault(ALWAYS_OPEN, _always_open(organization.get("timezone")))
    return {
        **organization,
        "calendars": calendars,
        "departments": departments,
        "agreements": agreements,
        "retros": retros,
    }


def _read_organization(data: Mapping[str, object], problems: _Problems) -> dict[str, object]:
    if "organization" not in data:
        problems.add(
            ("organization",), 'missing: add an [organization] table with timezone = "Europe/Berlin" or similar'
        )
        return {}
    if not isinstance(data["organization"], dict):
        problems.add(("organization",), "must be a table: write [organization] with its keys below it")
        return {}
    table = _Table(data["organization"], ("organization",), problems, _ORGANIZATION_KEYS)
    table.read("timezone", _timezone)
    table.read("anonymity_min", _positive_int, default=5)
    table.read("warn_at", _share, default=0.75)
    return table.values


def _named_tables(data: Mapping[str, object], section: str, problems: _Problems) -> dict[str, Mapping[str, object]]:
    """The tables ``[section.ID]`` by id, each id checked; bad entries are reported and left out."""
    tables = data.get(section, {})
    if not isinstance(tables, dict):
        problems.add((section,), f"must be a table of tables: write [{section}.ID]")
        return {}
    found: dict[str, Mapping[str, object]] = {}
    for name, table in tables.items():
        if not _ID.fullmatch(name):
            problems.add((section, name), f"{name!r} is not an id: {_ID_RULE}")
        if isinstance(table, dict):
            found[name] = table
        else:
            problems.add((section, name), f"must be a table: write [{section}.{name}] with its keys below it")
    return found


def _array_of_tables(data: Mapping[str, object], section: str, problems: _Problems) -> list[Mapping[str, object]]:
    tables = data.get(section, [])
    if not isinstance(tables, list):
        problems.add((section,), f"must be an array of tables: write [[{section}]] before each entry")
        return []
    for index, table in enumerate(tables):
        if not isinstance(table, dict):
            problems.add((section, index), f"must be a table: write [[{section}]] before each entry")
    return [table for table in tables if isinstance(table, dict)]


def _read_calendar(
    calendar_id: str, data: Mapping[str, object], default_timezone: object, problems: _Problems
) -> dict[str, object]:
    table = _Table(data, ("calendars", calendar_id), problems, _CALENDAR_KEYS)
    table.read("timezone", _timezone, default=default_timezone)
    table.read("days", _weekdays, to="weekdays")
    table.read("hours", _shifts, to="shifts")
    table.read("holidays", _holiday_country, default=None, to="holiday_country")
    table.read("closed", _closed_days, default=frozenset())
    return {"id": calendar_id, **table.values}


def _always_open(timezone: object) -> dict[str, object]:
    return {"id": ALWAYS_OPEN, "timezone": timezone, "weekdays": frozenset(range(7)), "shifts": ((0, 1440),)}


def _read_department(
    department_id: str,
    data: Mapping[str, object],
    calendars: Collection[str],
    default_calendar: str,
    problems: _Problems,
) -> dict[str, object]:
    table = _Table(data, ("departments", department_id), problems, _DEPARTMENT_KEYS)
    table.read("name", _name)
    table.read("channel", _channel_id)
    table.read("managers", _user_ids, default=())
    table.read("members", _user_ids, default=())
    table.read("calendar", _reference(calendars, "calendar"), default=default_calendar)
    table.read("feedback_private", _bool, default=False)
    table.read("escalate_to", _user_ids, default=())
    return {"id": department_id, **table.values}


def _read_agreement(
    index: int, data: Mapping[str, object], departments: Collection[str], problems: _Problems
) -> dict[str, object]:
    table = _Table(data, ("agreements", index), problems, _AGREEMENT_KEYS)
    table.read("provider", _reference(departments, "department"))
    table.read("customer", _reference(departments, "department", wildcard=True), default=WILDCARD)
    table.read("priority", _choice((WILDCARD, *PRIORITIES), "priority"), default=WILDCARD)
    table.read("first_response", _duration)
    table.read("resolution", _duration)
    first, last = table.values.get("first_response"), table.values.get("resolution")
    if isinstance(first, Duration) and isinstance(last, Duration) and _surely_longer(first, last):
        problems.add(("agreements", index, "first_response"), f"{first} is longer than the resolution time {last}")
    return table.values


def _surely_longer(one: Duration, other: Duration) -> bool:
    """Working days have no fixed length, so they compare only with working days."""
    if (one.unit is Unit.WORKING_DAYS) != (other.unit is Unit.WORKING_DAYS):
        return False
    if one.unit is Unit.WORKING_DAYS:
        return one.amount > other.amount
    return one.business_minutes > other.business_minutes


def _check_unique_agreements(agreements: list[dict[str, object]], problems: _Problems) -> None:
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
    index: int, data: Mapping[str, object], departments: Collection[str], problems: _Problems
) -> dict[str, object]:
    path: KeyPath = ("retros", index)
    table = _Table(data, path, problems, _RETRO_KEYS)
    if "department" in data and "departments" in data:
        problems.add((*path, "departments"), "write either department (one) or departments (a pair), not both")
    elif "departments" in data:
        table.read("departments", _department_pair(departments))
    elif "department" in data:
        table.read("department", lambda value: (_reference(departments, "department")(value),), to="departments")
    else:
        problems.add(
            (*path, "department"), 'missing: write department = "ID", or departments = ["ID", "ID"] for a pair'
        )
    table.read("id", _id, default=_retro_id(table.values.get("departments")))
    table.read("channel", _channel_id)
    table.read("cron", _cron)
    table.read("window", _duration, default=Duration(2, Unit.WORKING_DAYS))
    table.read("template", _choice(TEMPLATES, "template"), default="went-well")
    return table.values


def _retro_id(departments: object) -> str | None:
    return "-".join(departments) if isinstance(departments, tuple) else None


def _check_unique_retros(retros: list[dict[str, object]], problems: _Problems) -> None:
    seen: dict[str, int] = {}
    for index, retro in enumerate(retros):
        retro_id = retro.get("id")
        if not isinstance(retro_id, str):
            continue
        if retro_id in seen:
            problems.add(("retros", index, "id"), f"retros[{seen[retro_id]}] already has the id {retro_id!r}: set id")
        seen.setdefault(retro_id, index)


# --- Values -----------------------------------------------------------------------------------

_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_ID_RULE = "use letters, digits, - and _ (at most 64)"
_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{1,31}")
_USER_ID = re.compile(r"[UW][A-Z0-9]{1,31}")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
_MINUTES_PER_DAY = 1440


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be a string (in quotes), not {_type_name(value)}")
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _type_name(value: object) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "a table"}
    return names.get(type(value), "a date" if isinstance(value, date) else type(value).__name__)


def _id(value: object) -> str:
    text = _string(value)
    if not _ID.fullmatch(text):
        raise ValueError(f"{text!r} is not an id: {_ID_RULE}")
    return text


def _name(value: object) -> str:
    text = _string(value).strip()
    if len(text) > 200:
        raise ValueError("must be at most 200 characters")
    return text


def _channel_id(value: object) -> str:
    text = _string(value)
    if not _CHANNEL_ID.fullmatch(text):
        raise ValueError(f"{text!r} is not a Slack channel id (like C0123ABCD; see the channel's details)")
    return text


def _user_id(value: object) -> str:
    text = _string(value)
    if not _USER_ID.fullmatch(text):
        raise ValueError(f"{text!r} is not a Slack user id (like U0123ABCD; see the person's profile)")
    return text


def _list_of(parse: Callable[[object], T]) -> Callable[[object], tuple[T, ...]]:
    """A list parser reporting each bad item at its index."""

    def parse_list(value: object) -> tuple[T, ...]:
        if not isinstance(value, list):
            raise ValueError(f"must be a list [...], not {_type_name(value)}")
        items: list[T] = []
        errors: list[tuple[KeyPath, str]] = []
        for index, item in enumerate(value):
            try:
                items.append(parse(item))
            except ValueError as error:
                errors.extend(((index, *at), message) for at, message in _errors_of(error))
        if errors:
            raise _Invalid(errors)
        return tuple(items)

    return parse_list


def _user_ids(value: object) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_list_of(_user_id)(value)))


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {_type_name(value)}")
    return value


def _positive_int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"must be a whole number, not {_type_name(value)}")
    if value < 1:
        raise ValueError("must be at least 1")
    return value


def _share(value: object) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ValueError(f"must be a number between 0 and 1, not {_type_name(value)}")
    if not 0 < value < 1:
        raise ValueError(f"must be between 0 and 1 (exclusive), e.g. 0.75; {value} is not")
    return float(value)


def _duration(value: object) -> Duration:
    if not isinstance(value, str):
        raise ValueError(f'must be a string like "4h", not {_type_name(value)}')
    return parse_duration(value)


def _choice(options: tuple[str, ...], what: str) -> Callable[[object], str]:
    def parse(value: object) -> str:
        text = _string(value)
        if text not in options:
            raise ValueError(f"{text!r} is not a {what}: use one of {', '.join(options)}")
        return text

    return parse


def _reference(known: Collection[str], what: str, *, wildcard: bool = False) -> Callable[[object], str]:
    """A parser for the id of something defined elsewhere in the file."""

    def parse(value: object) -> str:
        text = _string(value)
        if text == WILDCARD and wildcard:
            return text
        if text not in known:
            close = difflib.get_close_matches(text, known, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(known)) or 'none'}"
            raise ValueError(f"unknown {what} {text!r} ({hint})")
        return text

    return parse


def _department_pair(known: Collection[str]) -> Callable[[object], tuple[str, ...]]:
    def parse(value: object) -> tuple[str, ...]:
        departments = _list_of(_reference(known, "department"))(value)
        if not 1 <= len(departments) <= 2:
            raise ValueError(f"must name one or two departments, not {len(departments)}")
        if len(departments) == 2 and departments[0] == departments[1]:
            raise ValueError(f"a retro pair needs two different departments, not {departments[0]!r} twice")
        return departments

    return parse


def _timezone(value: object) -> str:
    text = _string(value)
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{text!r} is not a time zone (use an IANA name such as Europe/Berlin)") from None
    return text


def _holiday_country(value: object) -> str:
    code = _string(value).upper()
    country, _, subdivision = code.partition("-")
    try:
        holidays.country_holidays(country, subdiv=subdivision or None)
    except NotImplementedError as error:
        raise ValueError(f"{code!r} is not a holiday country (e.g. DE or DE-BY): {error}") from None
    return code


def _weekdays(value: object) -> frozenset[int]:
    if isinstance(value, str):
        return _day_range(value)
    if not isinstance(value, list):
        raise ValueError(f'must be a string like "mon-fri" or a list like ["mon", "thu"], not {_type_name(value)}')
    ranges = _list_of(_day_range)(value)
    if not ranges:
        raise ValueError('needs at least one day, e.g. "mon-fri" or ["mon", "thu"]')
    return frozenset().union(*ranges)


def _day_range(value: object) -> frozenset[int]:
    text = _string(value)
    first, dash, last = text.partition("-")
    start = _weekday(first)
    end = _weekday(last) if dash else start
    if end < start:
        raise ValueError(f"{text!r} runs backwards: ranges go from mon to sun, list days across the weekend")
    return frozenset(range(start, end + 1))


def _weekday(name: str) -> int:
    try:
        return WEEKDAY_NAMES.index(name.strip().lower())
    except ValueError:
        raise ValueError(f"{name.strip()!r} is not a day: use {', '.join(WEEKDAY_NAMES)}") from None


def _shifts(value: object) -> tuple[tuple[int, int], ...]:
    if not isinstance(value, str | list):
        raise ValueError(f'must be a string like "09:00-17:00" or a list of them, not {_type_name(value)}')
    shifts = sorted((_shift(value),) if isinstance(value, str) else _list_of(_shift)(value))
    if not shifts:
        raise ValueError('needs at least one shift, e.g. "09:00-17:00"')
    for (start, end), (next_start, next_end) in pairwise(shifts):
        if next_start < end:
            raise ValueError(f"shifts {_hhmm(start)}-{_hhmm(end)} and {_hhmm(next_start)}-{_hhmm(next_end)} overlap")
    return tuple(shifts)


def _shift(value: object) -> tuple[int, int]:
    text = _string(value)
    first, dash, last = text.partition("-")
    if not dash:
        raise ValueError(f"{text!r} is not a shift: write it like 09:00-17:00")
    start, end = _minutes(first), _minutes(last)
    if start == _MINUTES_PER_DAY:
        raise ValueError(f"{text!r} starts at 24:00: 24:00 can only end a shift")
    if end <= start:
        raise ValueError(f"{text!r} does not end after it starts (a shift cannot cross midnight: end it at 24:00)")
    return start, end


def _minutes(clock: str) -> int:
    match = _CLOCK.fullmatch(clock.strip())
    if match is None:
        raise ValueError(f"{clock.strip()!r} is not a time: write HH:MM")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes > 59 or hours * 60 + minutes > _MINUTES_PER_DAY:
        raise ValueError(f"{clock.strip()!r} is not a time of day (00:00 to 24:00)")
    return hours * 60 + minutes


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _closed_days(value: object) -> frozenset[date]:
    return frozenset(_list_of(_closed_day)(value))


def _closed_day(value: object) -> date:
    if isinstance(value, datetime):
        raise ValueError(f"{value} has a time of day: write just the date, e.g. 2026-12-24")
    if isinstance(value, date):
        return value
    text = _string(value)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date: write YYYY-MM-DD") from None


def _cron(value: object) -> str:
    text = _string(value)
    try:
        # Only the expression is checked here; the time zone does not change whether it is valid.
        CronTrigger.from_crontab(text, timezone="UTC")
    except ValueError as error:
        raise ValueError(f"{text!r} is not a crontab schedule (minute hour day month weekday): {error}") from None
    if re.search(r"\d", re.sub(r"/\d+", "", text.split()[4])):
        # APScheduler 3 counts weekdays from Monday = 0, crontab from Sunday = 0: names are unambiguous.
        raise ValueError(f"{text!r}: write weekdays by name (mon-fri, not 1-5)")
    return text
