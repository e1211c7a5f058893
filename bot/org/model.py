"""The org file: departments, calendars, agreements and retros as configuration as code (TOML).

:func:`load_org` validates the whole file and reports every problem at once, each with its line and
dotted key; only a file without problems becomes an :class:`OrgConfig`.

A department without ``calendar`` uses the calendar named ``default`` if the file defines one, else
the built-in ``always`` calendar: every day 00:00-24:00 in the organization's time zone, no holidays.
``always`` may also be named explicitly; a calendar the file defines under that id replaces it.
"""

import os
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from bot.domain.agreements import WILDCARD, best_match
from bot.domain.durations import Duration, Unit
from bot.domain.services import Field
from bot.org import values
from bot.org.catalog import read_services
from bot.org.locator import KeyPath, locate
from bot.org.reading import ALWAYS_OPEN as ALWAYS_OPEN
from bot.org.reading import Priority, Problems, Template, read_org

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
    intake_emoji: str | None = None
    """Reacting with it to a message in the department's channel files the message as a request to it."""
    reports: str | None = None
    """How often its report is posted in its channel (monthly, weekly, off); None: the organization's."""


class AgreementSpec(_Spec):
    provider: str
    customer: str = WILDCARD
    """A department id or ``*``."""
    priority: Priority | Literal["*"] = "*"
    first_response: Duration
    resolution: Duration
    customer_response: Duration | None = None
    """How soon the requester owes an answer once the request waits on them (the customer's calendar)."""


class RetroSpec(_Spec):
    id: str
    departments: tuple[str] | tuple[str, str]
    channel: str
    cron: str
    """Standard 5-field crontab with weekdays by name, in the first department's calendar time zone."""
    window: Duration = Duration(2, Unit.WORKING_DAYS)
    template: Template = "went-well"


class CheckupSpec(_Spec):
    id: str
    cron: str
    """Standard 5-field crontab with weekdays by name, in its calendar's time zone."""
    window: Duration = Duration(5, Unit.WORKING_DAYS)
    calendar: str
    """Whose working days ``window`` counts."""


class ServiceSpec(_Spec):
    """One entry of a department's catalog (``[[services]]``); ``bot.domain.services.Service`` once applied."""

    id: str
    department: str
    name: str
    description: str = ""
    priority: Priority | None = None
    first_response: Duration | None = None
    resolution: Duration | None = None
    fields: tuple[Field, ...] = ()
    requester_provides: tuple[str, ...] = ()


class OrgConfig(_Spec):
    timezone: str
    anonymity_min: int = 5
    warn_at: float = 0.75
    admins: tuple[str, ...] = ()
    """Who may see every report, and whom /inhouse help names to ask."""
    attainment_goal: float = 0.9
    """The share of targets to meet, drawn on the reports' charts."""
    reports: str = "monthly"
    """How often each department's report is posted in its channel, unless the department says otherwise."""
    calendars: dict[str, CalendarSpec]
    departments: dict[str, DepartmentSpec]
    agreements: tuple[AgreementSpec, ...] = ()
    retros: tuple[RetroSpec, ...] = ()
    services: tuple[ServiceSpec, ...] = ()
    checkups: tuple[CheckupSpec, ...] = ()
    homes: dict[str, str] = {}
    """A person -> their home department (the one the requests they file come from), for people in several."""

    def agreement_for(self, provider: str, customer: str | None, priority: str) -> AgreementSpec | None:
        """The provider's most specific agreement for this customer department (None: no department) and priority."""
        return best_match((terms for terms in self.agreements if terms.provider == provider), customer, priority)

    def departments_of(self, user_id: str) -> list[str]:
        return [department_id for department_id in self.departments if self.is_staff(department_id, user_id)]

    def is_staff(self, department_id: str, user_id: str) -> bool:
        department = self.departments.get(department_id)
        return department is not None and (user_id in department.managers or user_id in department.members)

    def checkup_timezone(self, checkup: CheckupSpec) -> str:
        """The zone a check-up's cron runs in: that of its calendar."""
        return self.calendars[checkup.calendar].timezone

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


def dotted(path: KeyPath) -> str:
    """``("agreements", 2, "resolution")`` -> ``agreements[2].resolution``; odd keys are quoted."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = part if values.ID.fullmatch(part) else '"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"'
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
    problems = Problems()
    raw = read_org(data, problems)
    raw["services"] = read_services(data, raw, problems)
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
