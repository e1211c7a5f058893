"""The values of the org file, one parser each: a raw TOML value in, a checked value or ValueError.

A parser that checks several parts (a list) raises ``Invalid`` with each problem at its own path.
"""

import difflib
import re
from collections.abc import Callable, Collection
from datetime import date, datetime
from itertools import pairwise
from typing import Final, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from apscheduler.triggers.cron import CronTrigger

from bot.domain.agreements import WILDCARD
from bot.domain.durations import Duration, parse_duration
from bot.org.locator import KeyPath

T = TypeVar("T")

WEEKDAY_NAMES: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
ID_RULE = "use letters, digits, - and _ (at most 64)"
CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{1,31}")
USER_ID = re.compile(r"[UW][A-Z0-9]{1,31}")
CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
MINUTES_PER_DAY = 1440


class Invalid(ValueError):
    """Problems inside a value, each at a path relative to it (e.g. a list index)."""

    def __init__(self, errors: list[tuple[KeyPath, str]]) -> None:
        super().__init__(errors[0][1])
        self.errors = errors


def errors_of(error: ValueError) -> list[tuple[KeyPath, str]]:
    return error.errors if isinstance(error, Invalid) else [((), str(error))]


def parse_string(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be a string (in quotes), not {type_name(value)}")
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def type_name(value: object) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "a table"}
    return names.get(type(value), "a date" if isinstance(value, date) else type(value).__name__)


def parse_id(value: object) -> str:
    text = parse_string(value)
    if not ID.fullmatch(text):
        raise ValueError(f"{text!r} is not an id: {ID_RULE}")
    return text


def parse_name(value: object) -> str:
    text = parse_string(value).strip()
    if len(text) > 200:
        raise ValueError("must be at most 200 characters")
    return text


def parse_text(max_length: int) -> Callable[[object], str]:
    """A parser for a short text shown to people: not empty, at most ``max_length`` characters."""

    def parse(value: object) -> str:
        text = parse_string(value).strip()
        if len(text) > max_length:
            raise ValueError(f"must be at most {max_length} characters, not {len(text)}")
        return text

    return parse


EMOJI = re.compile(r"[a-z0-9_+'-]{1,100}")


def parse_emoji(value: object) -> str:
    """An emoji's name as Slack spells it in reactions: ``ticket`` (``:ticket:`` is taken too)."""
    text = parse_string(value).strip().strip(":")
    if not EMOJI.fullmatch(text):
        raise ValueError(f'{text!r} is not an emoji name: write it as Slack does, e.g. "ticket" for :ticket:')
    return text


def parse_list_of(parse: Callable[[object], T]) -> Callable[[object], tuple[T, ...]]:
    """A list parser reporting each bad item at its index."""

    def parse_list(value: object) -> tuple[T, ...]:
        if not isinstance(value, list):
            raise ValueError(f"must be a list [...], not {type_name(value)}")
        items: list[T] = []
        errors: list[tuple[KeyPath, str]] = []
        for index, item in enumerate(value):
            try:
                items.append(parse(item))
            except ValueError as error:
                errors.extend(((index, *at), message) for at, message in errors_of(error))
        if errors:
            raise Invalid(errors)
        return tuple(items)

    return parse_list


EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
GROUP_HANDLE = re.compile(r"@[a-z0-9][a-z0-9._-]{0,79}")
CHANNEL_NAME = re.compile(r"#[^\s#<>|@,]{1,80}")


def is_id(name: str) -> bool:
    """Whether a person or channel is written as its Slack id (else as a name only Slack can resolve)."""
    return USER_ID.fullmatch(name) is not None or CHANNEL_ID.fullmatch(name) is not None


def parse_person(value: object) -> str:
    """A Slack user id, an email address, or a user group (``@it-team``: its members)."""
    text = parse_string(value).strip()
    if USER_ID.fullmatch(text):
        return text
    if EMAIL.fullmatch(text):
        return text.lower()
    if GROUP_HANDLE.fullmatch(text.lower()):
        return text.lower()
    raise ValueError(
        f"{text!r} is not a person: write a Slack user id (U0123ABCD), an email (alice@acme.com) "
        "or a user group (@it-team)"
    )


def parse_people(value: object) -> tuple[str, ...]:
    return tuple(dict.fromkeys(parse_list_of(parse_person)(value)))


def parse_channel(value: object) -> str:
    """A channel's id, or its name (``#it-help``)."""
    text = parse_string(value).strip()
    if CHANNEL_ID.fullmatch(text):
        return text
    if CHANNEL_NAME.fullmatch(text):
        return text.lower()
    raise ValueError(f"{text!r} is not a channel: write its id (C0123ABCD, in the channel's details) or #its-name")


def parse_bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {type_name(value)}")
    return value


def parse_positive_int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"must be a whole number, not {type_name(value)}")
    if value < 1:
        raise ValueError("must be at least 1")
    return value


def parse_share(value: object) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ValueError(f"must be a number between 0 and 1, not {type_name(value)}")
    if not 0 < value < 1:
        raise ValueError(f"must be between 0 and 1 (exclusive), e.g. 0.75; {value} is not")
    return float(value)


def parse_duration_value(value: object) -> Duration:
    if not isinstance(value, str):
        raise ValueError(f'must be a string like "4h", not {type_name(value)}')
    return parse_duration(value)


def parse_choice(options: tuple[str, ...], what: str) -> Callable[[object], str]:
    def parse(value: object) -> str:
        text = parse_string(value)
        if text not in options:
            raise ValueError(f"{text!r} is not a {what}: use one of {', '.join(options)}")
        return text

    return parse


def parse_reference(known: Collection[str], what: str, *, wildcard: bool = False) -> Callable[[object], str]:
    """A parser for the id of something defined elsewhere in the file."""

    def parse(value: object) -> str:
        text = parse_string(value)
        if text == WILDCARD and wildcard:
            return text
        if text not in known:
            close = difflib.get_close_matches(text, known, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(known)) or 'none'}"
            raise ValueError(f"unknown {what} {text!r} ({hint})")
        return text

    return parse


def parse_department_pair(known: Collection[str]) -> Callable[[object], tuple[str, ...]]:
    def parse(value: object) -> tuple[str, ...]:
        departments = parse_list_of(parse_reference(known, "department"))(value)
        if not 1 <= len(departments) <= 2:
            raise ValueError(f"must name one or two departments, not {len(departments)}")
        if len(departments) == 2 and departments[0] == departments[1]:
            raise ValueError(f"a retro pair needs two different departments, not {departments[0]!r} twice")
        return departments

    return parse


def parse_timezone(value: object) -> str:
    text = parse_string(value)
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{text!r} is not a time zone (use an IANA name such as Europe/Berlin)") from None
    return text


def parse_holiday_country(value: object) -> str:
    code = parse_string(value).upper()
    country, _, subdivision = code.partition("-")
    try:
        holidays.country_holidays(country, subdiv=subdivision or None)
    except NotImplementedError as error:
        raise ValueError(f"{code!r} is not a holiday country (e.g. DE or DE-BY): {error}") from None
    return code


def parse_weekdays(value: object) -> frozenset[int]:
    if isinstance(value, str):
        return parse_day_range(value)
    if not isinstance(value, list):
        raise ValueError(f'must be a string like "mon-fri" or a list like ["mon", "thu"], not {type_name(value)}')
    ranges = parse_list_of(parse_day_range)(value)
    if not ranges:
        raise ValueError('needs at least one day, e.g. "mon-fri" or ["mon", "thu"]')
    return frozenset().union(*ranges)


def parse_day_range(value: object) -> frozenset[int]:
    text = parse_string(value)
    first, dash, last = text.partition("-")
    start = parse_weekday(first)
    end = parse_weekday(last) if dash else start
    if end < start:
        raise ValueError(f"{text!r} runs backwards: ranges go from mon to sun, list days across the weekend")
    return frozenset(range(start, end + 1))


def parse_weekday(name: str) -> int:
    try:
        return WEEKDAY_NAMES.index(name.strip().lower())
    except ValueError:
        raise ValueError(f"{name.strip()!r} is not a day: use {', '.join(WEEKDAY_NAMES)}") from None


def parse_shifts(value: object) -> tuple[tuple[int, int], ...]:
    if not isinstance(value, str | list):
        raise ValueError(f'must be a string like "09:00-17:00" or a list of them, not {type_name(value)}')
    shifts = sorted((parse_shift(value),) if isinstance(value, str) else parse_list_of(parse_shift)(value))
    if not shifts:
        raise ValueError('needs at least one shift, e.g. "09:00-17:00"')
    for (start, end), (next_start, next_end) in pairwise(shifts):
        if next_start < end:
            raise ValueError(f"shifts {hhmm(start)}-{hhmm(end)} and {hhmm(next_start)}-{hhmm(next_end)} overlap")
    return tuple(shifts)


def parse_shift(value: object) -> tuple[int, int]:
    text = parse_string(value)
    first, dash, last = text.partition("-")
    if not dash:
        raise ValueError(f"{text!r} is not a shift: write it like 09:00-17:00")
    start, end = minutes(first), minutes(last)
    if start == MINUTES_PER_DAY:
        raise ValueError(f"{text!r} starts at 24:00: 24:00 can only end a shift")
    if end <= start:
        raise ValueError(f"{text!r} does not end after it starts (a shift cannot cross midnight: end it at 24:00)")
    return start, end


def minutes(clock: str) -> int:
    match = CLOCK.fullmatch(clock.strip())
    if match is None:
        raise ValueError(f"{clock.strip()!r} is not a time: write HH:MM")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes > 59 or hours * 60 + minutes > MINUTES_PER_DAY:
        raise ValueError(f"{clock.strip()!r} is not a time of day (00:00 to 24:00)")
    return hours * 60 + minutes


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_closed_days(value: object) -> frozenset[date]:
    return frozenset(parse_list_of(parse_closed_day)(value))


def parse_closed_day(value: object) -> date:
    if isinstance(value, datetime):
        raise ValueError(f"{value} has a time of day: write just the date, e.g. 2026-12-24")
    if isinstance(value, date):
        return value
    text = parse_string(value)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date: write YYYY-MM-DD") from None


def parse_cron(value: object) -> str:
    text = parse_string(value)
    try:
        # Only the expression is checked here; the time zone does not change whether it is valid.
        CronTrigger.from_crontab(text, timezone="UTC")
    except ValueError as error:
        raise ValueError(f"{text!r} is not a crontab schedule (minute hour day month weekday): {error}") from None
    if re.search(r"\d", re.sub(r"/\d+", "", text.split()[4])):
        # APScheduler 3 counts weekdays from Monday = 0, crontab from Sunday = 0: names are unambiguous.
        raise ValueError(f"{text!r}: write weekdays by name (mon-fri, not 1-5)")
    return text
