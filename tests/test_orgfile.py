from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from bot.agreements.promises import promise_for
from bot.domain.durations import Duration, Unit
from bot.org.apply import apply_org
from bot.org.model import ALWAYS_OPEN, OrgConfig, OrgFileError, Problem, load_org, load_org_text
from storage import directory, org_snapshot
from storage.db import SessionScope

EXAMPLE = Path(__file__).resolve().parent.parent / "org.example.toml"

BASE = """\
[organization]
timezone = "Europe/Berlin"

[calendars.office]
days = "mon-fri"
hours = "09:00-17:00"

[departments.it]
name = "IT Support"
channel = "C0IT"
managers = ["U0ITMGR"]
members = ["U0ALICE"]
calendar = "office"

[departments.sales]
name = "Sales"
channel = "C0SALES"
members = ["U0SAM"]

[[agreements]]
provider = "it"
first_response = "4h"
resolution = "2d"

[[retros]]
department = "it"
channel = "C0IT"
cron = "0 15 * * fri"
"""

FULL = """\
[organization]
timezone = "Europe/Berlin"
anonymity_min = 3
warn_at = 0.5
admins = ["U0CEO", "U0CTO", "U0CEO"]
attainment_goal = 0.95

[calendars.office]
timezone = "America/New_York"
days = ["mon", "wed-thu"]
hours = ["13:00-17:00", "08:30-12:00"]
holidays = "de-by"
closed = [2026-12-24, "2026-12-31"]

[departments.it]
name = "IT Support"
channel = "C0IT"
managers = ["U0ITMGR", "U0ITMGR"]
members = ["U0ALICE", "U0BOB"]
calendar = "office"
feedback_private = true
escalate_to = ["U0CTO"]

[departments.sales]
name = "Sales"
channel = "C0SALES"
members = ["U0SAM"]

[[agreements]]
provider = "it"
customer = "sales"
priority = "urgent"
first_response = "15m"
resolution = "4h"
customer_response = "1d"

[[retros]]
id = "it-weekly"
departments = ["it", "sales"]
channel = "C0IT"
cron = "0 15 * * fri"
window = "3d"
template = "4ls"
"""


def errors(text: str) -> list[Problem]:
    with pytest.raises(OrgFileError) as caught:
        load_org_text(text, "org.toml")
    return caught.value.problems


def line_of(text: str, fragment: str) -> int:
    """The line of the first occurrence of ``fragment`` in ``text``."""
    assert fragment in text
    return text[: text.index(fragment)].count("\n") + 1


def edited(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new, 1)


# --- Valid files ------------------------------------------------------------------------------


def test_a_full_file_parses_with_its_values() -> None:
    org = load_org_text(FULL, "org.toml")

    assert (org.timezone, org.anonymity_min, org.warn_at) == ("Europe/Berlin", 3, 0.5)
    assert (org.admins, org.attainment_goal) == (("U0CEO", "U0CTO"), 0.95)
    office = org.calendars["office"]
    assert office.id == "office"
    assert office.timezone == "America/New_York"
    assert office.weekdays == frozenset({0, 2, 3})
    assert office.shifts == ((510, 720), (780, 1020))
    assert office.holiday_country == "DE-BY"
    assert office.closed == frozenset({date(2026, 12, 24), date(2026, 12, 31)})
    it = org.departments["it"]
    assert (it.id, it.name, it.channel, it.calendar) == ("it", "IT Support", "C0IT", "office")
    assert it.managers == ("U0ITMGR",)
    assert it.members == ("U0ALICE", "U0BOB")
    assert it.feedback_private is True
    assert it.escalate_to == ("U0CTO",)
    [agreement] = org.agreements
    assert (agreement.provider, agreement.customer, agreement.priority) == ("it", "sales", "urgent")
    assert agreement.first_response == Duration(15, Unit.MINUTES)
    assert agreement.resolution == Duration(4, Unit.HOURS)
    assert agreement.customer_response == Duration(1, Unit.WORKING_DAYS)
    [retro] = org.retros
    assert (retro.id, retro.departments, retro.channel, retro.cron) == (
        "it-weekly",
        ("it", "sales"),
        "C0IT",
        "0 15 * * fri",
    )
    assert (retro.window, retro.template) == (Duration(3, Unit.WORKING_DAYS), "4ls")


def test_optional_keys_take_their_defaults() -> None:
    org = load_org_text(BASE, "org.toml")

    assert (org.anonymity_min, org.warn_at, org.admins, org.attainment_goal) == (5, 0.75, (), 0.9)
    office = org.calendars["office"]
    assert office.timezone == "Europe/Berlin"
    assert (office.holiday_country, office.closed) == (None, frozenset())
    it = org.departments["it"]
    assert (it.feedback_private, it.escalate_to) == (False, ())
    [agreement] = org.agreements
    assert (agreement.customer, agreement.priority, agreement.customer_response) == ("*", "*", None)
    [retro] = org.retros
    assert (retro.id, retro.departments) == ("it", ("it",))
    assert (retro.window, retro.template) == (Duration(2, Unit.WORKING_DAYS), "went-well")


def test_a_retro_pair_is_named_after_both_departments_by_default() -> None:
    org = load_org_text(edited('department = "it"', 'departments = ["sales", "it"]'), "org.toml")

    assert org.retros[0].id == "sales-it"


def test_a_department_without_a_calendar_uses_the_calendar_named_default() -> None:
    org = load_org_text(BASE.replace("[calendars.office]", "[calendars.default]").replace('calendar = "office"\n', ""))

    assert org.departments["it"].calendar == "default"
    assert org.departments["sales"].calendar == "default"


def test_without_a_default_calendar_a_department_is_always_open_in_the_organization_time_zone() -> None:
    org = load_org_text(BASE, "org.toml")

    assert org.departments["sales"].calendar == ALWAYS_OPEN
    always = org.calendars[ALWAYS_OPEN]
    assert always.timezone == "Europe/Berlin"
    assert always.weekdays == frozenset(range(7))
    assert always.shifts == ((0, 1440),)


def test_the_always_open_calendar_is_added_only_when_a_department_uses_it() -> None:
    org = load_org_text(edited('members = ["U0SAM"]', 'members = ["U0SAM"]\ncalendar = "office"'), "org.toml")

    assert set(org.calendars) == {"office"}


def test_a_whole_week_around_the_clock_is_allowed() -> None:
    org = load_org_text(edited('days = "mon-fri"\nhours = "09:00-17:00"', 'days = "mon-sun"\nhours = "00:00-24:00"'))

    assert org.calendars["office"].weekdays == frozenset(range(7))
    assert org.calendars["office"].shifts == ((0, 1440),)


def test_shifts_may_touch() -> None:
    org = load_org_text(edited('hours = "09:00-17:00"', 'hours = ["09:00-12:00", "12:00-17:00"]'))

    assert org.calendars["office"].shifts == ((540, 720), (720, 1020))


def test_the_example_org_file_is_valid() -> None:
    org = load_org(EXAMPLE)

    assert set(org.departments) == {"it", "hr", "accounting", "sales", "product"}
    assert org.calendars["helpdesk"].shifts == ((480, 720), (780, 1080))
    assert [retro.id for retro in org.retros] == ["it", "sales-product"]


def test_the_org_config_is_immutable() -> None:
    org = load_org_text(BASE)

    with pytest.raises(ValueError, match="frozen"):
        org.timezone = "UTC"  # type: ignore[misc]


# --- Problems, one kind at a time -------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    old: str
    new: str
    key: str
    message: str
    at: str = ""
    """A fragment of the edited file on the line the problem points to; by default the last line of ``new``."""


CASES = {
    "a typo in a key": Case(
        old='timezone = "Europe/Berlin"',
        new='timezone = "Europe/Berlin"\nanonimity_min = 3',
        key="organization.anonimity_min",
        message="did you mean 'anonymity_min'?",
    ),
    "an unknown key": Case(
        old='members = ["U0SAM"]',
        new='members = ["U0SAM"]\nmood = "great"',
        key="departments.sales.mood",
        message="unknown key",
    ),
    "an unknown section": Case(old="[[retros]]", new="[[retro]]", key="retro", message="did you mean 'retros'?"),
    "a missing key, at its table": Case(
        old='name = "Sales"\n', new="", key="departments.sales.name", message="required", at="[departments.sales]"
    ),
    "a missing key, at its array entry": Case(
        old='resolution = "2d"\n', new="", key="agreements[0].resolution", message="required", at="[[agreements]]"
    ),
    "a missing organization": Case(
        old='[organization]\ntimezone = "Europe/Berlin"\n', new="", key="organization", message="missing", at="\n"
    ),
    "a number for a string": Case(
        old='channel = "C0SALES"', new="channel = 42", key="departments.sales.channel", message="must be a string"
    ),
    "a string for a list": Case(
        old='members = ["U0SAM"]', new='members = "U0SAM"', key="departments.sales.members", message="must be a list"
    ),
    "a string for a boolean": Case(
        old='members = ["U0SAM"]',
        new='members = ["U0SAM"]\nfeedback_private = "yes"',
        key="departments.sales.feedback_private",
        message="true or false",
    ),
    "a string for a table": Case(
        old="[[agreements]]",
        new='[departments]\nhr = "HR"\n\n[[agreements]]',
        key="departments.hr",
        message="must be a table",
        at='hr = "HR"',
    ),
    "a table for an array of tables": Case(
        old="[[agreements]]", new="[agreements]", key="agreements", message="array of tables"
    ),
    "a bad duration": Case(
        old='first_response = "4h"',
        new='first_response = "4 hours"',
        key="agreements[0].first_response",
        message="is not a duration",
    ),
    "a duration as a number": Case(
        old='first_response = "4h"', new="first_response = 4", key="agreements[0].first_response", message='like "4h"'
    ),
    "a zero duration": Case(
        old='resolution = "2d"', new='resolution = "0d"', key="agreements[0].resolution", message="longer than zero"
    ),
    "a first response longer than the resolution": Case(
        old='resolution = "2d"',
        new='resolution = "3h"',
        key="agreements[0].first_response",
        message="longer than the resolution",
        at="first_response",
    ),
    "a bad customer response": Case(
        old='resolution = "2d"',
        new='resolution = "2d"\ncustomer_response = "soon"',
        key="agreements[0].customer_response",
        message="is not a duration",
    ),
    "a customer response as a number": Case(
        old='resolution = "2d"',
        new='resolution = "2d"\ncustomer_response = 1',
        key="agreements[0].customer_response",
        message='like "4h"',
    ),
    "a zero customer response": Case(
        old='resolution = "2d"',
        new='resolution = "2d"\ncustomer_response = "0h"',
        key="agreements[0].customer_response",
        message="longer than zero",
    ),
    "a bad retro window": Case(
        old='cron = "0 15 * * fri"',
        new='cron = "0 15 * * fri"\nwindow = "2w"',
        key="retros[0].window",
        message="is not a duration",
    ),
    "a shift across midnight": Case(
        old='hours = "09:00-17:00"',
        new='hours = "17:00-09:00"',
        key="calendars.office.hours",
        message="cannot cross midnight",
    ),
    "an hour past 24": Case(
        old='hours = "09:00-17:00"',
        new='hours = "09:00-25:00"',
        key="calendars.office.hours",
        message="'25:00' is not a time of day",
    ),
    "minutes past 59": Case(
        old='hours = "09:00-17:00"',
        new='hours = "09:60-17:00"',
        key="calendars.office.hours",
        message="not a time of day",
    ),
    "a shift starting at 24:00": Case(
        old='hours = "09:00-17:00"',
        new='hours = "24:00-24:00"',
        key="calendars.office.hours",
        message="24:00 can only end a shift",
    ),
    "a shift that is no range": Case(
        old='hours = "09:00-17:00"', new='hours = "9 to 5"', key="calendars.office.hours", message="is not a shift"
    ),
    "a bad shift in a list": Case(
        old='hours = "09:00-17:00"',
        new='hours = ["09:00-12:00", "13:00-1700"]',
        key="calendars.office.hours[1]",
        message="'1700' is not a time",
    ),
    "overlapping shifts": Case(
        old='hours = "09:00-17:00"',
        new='hours = ["08:00-12:00", "11:30-17:00"]',
        key="calendars.office.hours",
        message="08:00-12:00 and 11:30-17:00 overlap",
    ),
    "a number for hours": Case(
        old='hours = "09:00-17:00"', new="hours = 9", key="calendars.office.hours", message="or a list of them"
    ),
    "a bad day name": Case(
        old='days = "mon-fri"', new='days = "mon-fry"', key="calendars.office.days", message="'fry' is not a day"
    ),
    "a bad day in a list": Case(
        old='days = "mon-fri"',
        new='days = ["mon", "thurs"]',
        key="calendars.office.days[1]",
        message="'thurs' is not a day",
    ),
    "a day range across the weekend": Case(
        old='days = "mon-fri"', new='days = "fri-mon"', key="calendars.office.days", message="runs backwards"
    ),
    "no days": Case(old='days = "mon-fri"', new="days = []", key="calendars.office.days", message="at least one day"),
    "an unknown organization time zone": Case(
        old='timezone = "Europe/Berlin"',
        new='timezone = "Europe/Berln"',
        key="organization.timezone",
        message="not a time zone",
    ),
    "an unknown calendar time zone": Case(
        old='days = "mon-fri"',
        new='days = "mon-fri"\ntimezone = "CEST"',
        key="calendars.office.timezone",
        message="not a time zone",
    ),
    "an unknown holiday country": Case(
        old='days = "mon-fri"',
        new='days = "mon-fri"\nholidays = "XX"',
        key="calendars.office.holidays",
        message="not a holiday country",
    ),
    "an unknown holiday subdivision": Case(
        old='days = "mon-fri"',
        new='days = "mon-fri"\nholidays = "DE-XX"',
        key="calendars.office.holidays",
        message="not a holiday country",
    ),
    "an impossible closed day": Case(
        old='days = "mon-fri"',
        new='days = "mon-fri"\nclosed = ["2026-02-30"]',
        key="calendars.office.closed[0]",
        message="not a date",
    ),
    "a closed day with a time": Case(
        old='days = "mon-fri"',
        new='days = "mon-fri"\nclosed = [2026-12-24T12:00:00]',
        key="calendars.office.closed[0]",
        message="time of day",
    ),
    "an unknown calendar": Case(
        old='calendar = "office"',
        new='calendar = "ofice"',
        key="departments.it.calendar",
        message="unknown calendar 'ofice' (did you mean 'office'?)",
    ),
    "an unknown provider": Case(
        old='provider = "it"', new='provider = "IT"', key="agreements[0].provider", message="unknown department 'IT'"
    ),
    "an unknown customer": Case(
        old='provider = "it"',
        new='provider = "it"\ncustomer = "hr"',
        key="agreements[0].customer",
        message="unknown department 'hr'",
    ),
    "an unknown retro department": Case(
        old='department = "it"', new='department = "hr"', key="retros[0].department", message="unknown department 'hr'"
    ),
    "an unknown department in a retro pair": Case(
        old='department = "it"',
        new='departments = ["it", "hr"]',
        key="retros[0].departments[1]",
        message="unknown department 'hr'",
    ),
    "a retro pair naming one department twice": Case(
        old='department = "it"',
        new='departments = ["it", "it"]',
        key="retros[0].departments",
        message="two different departments",
    ),
    "a retro with three departments": Case(
        old='department = "it"',
        new='departments = ["it", "sales", "it"]',
        key="retros[0].departments",
        message="one or two departments",
    ),
    "a retro with both department and departments": Case(
        old='department = "it"',
        new='department = "it"\ndepartments = ["it", "sales"]',
        key="retros[0].departments",
        message="not both",
    ),
    "a retro without a department": Case(
        old='department = "it"\n', new="", key="retros[0].department", message="missing", at="[[retros]]"
    ),
    "a bad priority": Case(
        old='provider = "it"',
        new='provider = "it"\npriority = "critical"',
        key="agreements[0].priority",
        message="'critical' is not a priority",
    ),
    "a cron with four fields": Case(
        old='cron = "0 15 * * fri"', new='cron = "0 15 * *"', key="retros[0].cron", message="got 4, expected 5"
    ),
    "a cron hour out of range": Case(
        old='cron = "0 15 * * fri"',
        new='cron = "0 25 * * fri"',
        key="retros[0].cron",
        message="is not a crontab schedule",
    ),
    "a cron weekday by number": Case(
        old='cron = "0 15 * * fri"', new='cron = "0 15 * * 1-5"', key="retros[0].cron", message="weekdays by name"
    ),
    "a bad template": Case(
        old='cron = "0 15 * * fri"',
        new='cron = "0 15 * * fri"\ntemplate = "kpt"',
        key="retros[0].template",
        message="'kpt' is not a template",
    ),
    "a bad retro id": Case(
        old='department = "it"', new='department = "it"\nid = "it weekly"', key="retros[0].id", message="is not an id"
    ),
    "a bad department id": Case(
        old="[departments.sales]",
        new='[departments."sales team"]',
        key='departments."sales team"',
        message="is not an id",
    ),
    "a channel name without its #": Case(
        old='channel = "C0SALES"',
        new='channel = "sales"',
        key="departments.sales.channel",
        message="not a channel: write its id (C0123ABCD, in the channel's details) or #its-name",
    ),
    "a user name that is no id, email or group": Case(
        old='members = ["U0ALICE"]',
        new='members = ["U0ALICE", "bob"]',
        key="departments.it.members[1]",
        message="not a person: write a Slack user id (U0123ABCD), an email (alice@acme.com) or a user group",
    ),
    "a warning share of 1": Case(
        old='timezone = "Europe/Berlin"',
        new='timezone = "Europe/Berlin"\nwarn_at = 1',
        key="organization.warn_at",
        message="between 0 and 1",
    ),
    "an anonymity threshold of 0": Case(
        old='timezone = "Europe/Berlin"',
        new='timezone = "Europe/Berlin"\nanonymity_min = 0',
        key="organization.anonymity_min",
        message="at least 1",
    ),
    "an admin who is not a user id": Case(
        old='timezone = "Europe/Berlin"',
        new='timezone = "Europe/Berlin"\nadmins = ["U0CEO", "the ceo"]',
        key="organization.admins[1]",
        message="not a person",
    ),
    "one admin, not a list": Case(
        old='timezone = "Europe/Berlin"',
        new='timezone = "Europe/Berlin"\nadmins = "U0CEO"',
        key="organization.admins",
        message="must be a list",
    ),
    "an attainment goal of 90": Case(
        old='timezone = "Europe/Berlin"',
        new='timezone = "Europe/Berlin"\nattainment_goal = 90',
        key="organization.attainment_goal",
        message="between 0 and 1",
    ),
    "an attainment goal in words": Case(
        old='timezone = "Europe/Berlin"',
        new='timezone = "Europe/Berlin"\nattainment_goal = "high"',
        key="organization.attainment_goal",
        message="must be a number",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_each_problem_is_reported_with_its_line_and_key(case: Case) -> None:
    text = edited(case.old, case.new)

    [problem] = errors(text)

    assert (problem.file, problem.key) == ("org.toml", case.key)
    assert case.message in problem.message
    assert problem.line == line_of(text, case.at or case.new.splitlines()[-1])


def test_a_toml_syntax_error_is_reported_with_its_line_and_column() -> None:
    text = edited('name = "Sales"', 'name = "Sales')

    [problem] = errors(text)

    assert problem.line == line_of(text, 'name = "Sales')
    assert problem.key == ""
    assert problem.message.startswith("TOML syntax error: ")
    assert "(column " in problem.message


def test_a_file_without_departments_is_reported() -> None:
    [problem] = errors('[organization]\ntimezone = "UTC"\n')

    assert (problem.key, problem.line) == ("departments", 1)
    assert "no departments" in problem.message


def test_two_retros_with_the_same_id_are_reported_at_the_second() -> None:
    retro = BASE[BASE.index("[[retros]]") :]
    text = BASE + "\n" + retro.replace("C0IT", "C0OTHER")

    [problem] = errors(text)

    assert problem.key == "retros[1].id"
    assert problem.line == line_of(text, "C0OTHER") - 2
    assert "retros[0] already has the id 'it'" in problem.message


def test_two_agreements_with_the_same_terms_are_reported_at_the_second() -> None:
    text = edited(
        "[[retros]]",
        '[[agreements]]\nprovider = "it"\npriority = "*"\nfirst_response = "1h"\nresolution = "1d"\n\n[[retros]]',
    )

    [problem] = errors(text)

    assert problem.key == "agreements[1]"
    assert problem.line == line_of(text, 'first_response = "1h"') - 3
    assert "agreements[0] already covers provider 'it', customer '*', priority '*'" in problem.message


def test_every_problem_in_a_file_is_reported_in_line_order() -> None:
    text = (
        BASE.replace('timezone = "Europe/Berlin"', 'timezone = "Mars/Olympus"')
        .replace('calendar = "office"', 'calendar = "shop"')
        .replace('resolution = "2d"', 'resolution = "soon"')
        .replace('cron = "0 15 * * fri"', 'cron = "every friday"')
    )

    problems = errors(text)

    assert [(problem.line, problem.key) for problem in problems] == [
        (line_of(text, "Mars"), "organization.timezone"),
        (line_of(text, "shop"), "departments.it.calendar"),
        (line_of(text, "soon"), "agreements[0].resolution"),
        (line_of(text, "every friday"), "retros[0].cron"),
    ]


def test_the_error_message_lists_every_problem_as_file_line_key_message() -> None:
    text = BASE.replace('channel = "C0SALES"', "channel = 1").replace('provider = "it"', 'provider = "itt"')

    with pytest.raises(OrgFileError) as caught:
        load_org_text(text, "org.toml")

    assert str(caught.value).splitlines() == [
        f"org.toml:{line_of(text, 'channel = 1')}: departments.sales.channel: must be a string (in quotes), "
        "not a number",
        f"org.toml:{line_of(text, 'itt')}: agreements[0].provider: unknown department 'itt' (did you mean 'it'?)",
    ]


def test_a_problem_in_one_entry_does_not_hide_references_to_it() -> None:
    text = edited('name = "IT Support"\n', "")

    assert [problem.key for problem in errors(text)] == ["departments.it.name"]


def test_lines_stay_right_after_multi_line_arrays_and_strings() -> None:
    text = edited(
        'name = "Sales"',
        'name = """Sales\n[departments.fake]\nname = "x" # not a key\n"""\n'
        'managers = [\n  "U0MGR",  # ]\n  "U0OTHER",\n]',
    ).replace('members = ["U0SAM"]', 'members = ["bad"]')

    [problem] = errors(text)

    assert (problem.key, problem.line) == ("departments.sales.members[0]", line_of(text, '["bad"]'))


def test_dotted_keys_have_lines_of_their_own() -> None:
    text = edited(
        '[departments.sales]\nname = "Sales"\nchannel = "C0SALES"',
        "[departments]\nsales.name = 'Sales'\nsales.channel = 'C0SALES'\nsales.calendar = 'nope'",
    ).replace('members = ["U0SAM"]', 'sales.members = ["U0SAM"]')

    [problem] = errors(text)

    assert (problem.key, problem.line) == ("departments.sales.calendar", line_of(text, "nope"))


# --- Reading files ----------------------------------------------------------------------------


def test_load_org_names_the_file_in_each_problem(tmp_path: Path) -> None:
    path = tmp_path / "org.toml"
    path.write_text(BASE.replace('cron = "0 15 * * fri"', 'cron = "x"'), encoding="utf-8")

    with pytest.raises(OrgFileError) as caught:
        load_org(path)

    assert str(caught.value).startswith(f"{path}:")


def test_a_missing_file_is_an_org_file_error(tmp_path: Path) -> None:
    with pytest.raises(OrgFileError, match="cannot read the org file"):
        load_org(tmp_path / "missing.toml")


# --- Questions the configuration answers ------------------------------------------------------

MATCHING = """\
[organization]
timezone = "UTC"

[departments.it]
name = "IT"
channel = "C0IT"
managers = ["U0BOSS"]
members = ["U0ALICE"]

[departments.hr]
name = "HR"
channel = "C0HR"
members = ["U0ALICE", "U0HANNA"]

[departments.sales]
name = "Sales"
channel = "C0SALES"

[[agreements]]
provider = "it"
first_response = "4h"
resolution = "2d"

[[agreements]]
provider = "it"
priority = "urgent"
first_response = "1h"
resolution = "4h"

[[agreements]]
provider = "it"
customer = "sales"
first_response = "2h"
resolution = "1d"

[[agreements]]
provider = "it"
customer = "sales"
priority = "urgent"
first_response = "15m"
resolution = "2h"

[[agreements]]
provider = "hr"
customer = "sales"
first_response = "1d"
resolution = "5d"
"""


@pytest.fixture(scope="module")
def org() -> OrgConfig:
    return load_org_text(MATCHING)


@pytest.mark.parametrize(
    ("provider", "customer", "priority", "expected"),
    [
        ("it", "sales", "urgent", ("sales", "urgent")),
        ("it", "sales", "low", ("sales", "*")),
        ("it", "hr", "urgent", ("*", "urgent")),
        ("it", "hr", "normal", ("*", "*")),
        ("it", None, "urgent", ("*", "urgent")),
        ("hr", "sales", "urgent", ("sales", "*")),
        ("hr", "it", "urgent", None),
        ("sales", "it", "normal", None),
    ],
)
def test_the_most_specific_agreement_applies(
    org: OrgConfig, provider: str, customer: str | None, priority: str, expected: tuple[str, str] | None
) -> None:
    agreement = org.agreement_for(provider, customer, priority)

    assert (None if agreement is None else (agreement.customer, agreement.priority)) == expected
    assert agreement is None or agreement.provider == provider


def test_a_user_belongs_to_the_departments_they_manage_or_work_in(org: OrgConfig) -> None:
    assert org.departments_of("U0ALICE") == ["it", "hr"]
    assert org.departments_of("U0BOSS") == ["it"]
    assert org.departments_of("U0STRANGER") == []


def test_staff_are_the_managers_and_members_of_a_department(org: OrgConfig) -> None:
    assert org.is_staff("it", "U0BOSS")
    assert org.is_staff("hr", "U0HANNA")
    assert not org.is_staff("it", "U0HANNA")
    assert not org.is_staff("nowhere", "U0HANNA")


def test_a_retro_runs_in_its_first_departments_calendar_time_zone() -> None:
    org = load_org_text(FULL)

    assert org.retro_timezone(org.retros[0]) == "America/New_York"


# --- Applied to the database ------------------------------------------------------------------


def test_the_admins_and_the_attainment_goal_are_stored_and_read_back(session_scope: SessionScope) -> None:
    with session_scope() as session:
        apply_org(session, load_org_text(FULL))
    with session_scope() as session:
        assert directory.admins(session) == ["U0CEO", "U0CTO"]
        assert org_snapshot.current(session).settings["attainment_goal"] == 0.95

    with session_scope() as session:
        apply_org(session, load_org_text(BASE))
    with session_scope() as session:
        assert directory.admins(session) == []
        assert org_snapshot.current(session).settings["attainment_goal"] == 0.9


def test_a_customer_response_is_stored_and_promised_on_the_customers_calendar(session_scope: SessionScope) -> None:
    text = (
        FULL.replace('name = "Sales"', 'name = "Sales"\ncalendar = "shop"')
        .replace("[departments.it]", '[calendars.shop]\ndays = "mon-sat"\nhours = "10:00-18:00"\n\n[departments.it]')
        .replace('customer = "sales"', 'customer = "*"')
    )
    with session_scope() as session:
        apply_org(session, load_org_text(text))
    with session_scope() as session:
        it = org_snapshot.current(session).departments["it"]
        promise = promise_for(session, it, "sales", "urgent")
        shop = directory.calendar_spec(session, "shop")
        unknown_customer = promise_for(session, it, None, "urgent")
    assert promise is not None
    assert (promise.customer_response, promise.customer_calendar) == ("1d", shop)
    assert promise.calendar_id == "office"  # the provider's targets stay on the provider's calendar
    assert unknown_customer is not None
    assert (unknown_customer.customer_response, unknown_customer.customer_calendar) == (None, None)
