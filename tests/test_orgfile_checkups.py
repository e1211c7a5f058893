"""``[[checkups]]`` in the org file: read with its defaults, every problem at its line and key, applied as schedules."""

import pytest

from bot.domain.durations import Duration, Unit
from bot.org.apply import apply_org
from bot.org.model import ALWAYS_OPEN, OrgFileError, load_org_text
from storage.checkup_models import CheckupSchedule
from storage.db import SessionScope

BASE = """\
[organization]
timezone = "Europe/Berlin"

[calendars.office]
timezone = "America/New_York"
days = "mon-fri"
hours = "09:00-17:00"

[departments.it]
name = "IT Support"
channel = "C0IT"
members = ["U0ALICE"]
calendar = "office"

[[checkups]]
cron = "0 9 1 */3 *"
"""


def problem_of(text: str) -> tuple[int, str, str]:
    with pytest.raises(OrgFileError) as caught:
        load_org_text(text, "org.toml")
    [problem] = caught.value.problems
    return problem.line, problem.key, problem.message


def test_a_checkup_takes_its_defaults_five_working_days_of_the_default_calendar() -> None:
    [checkup] = load_org_text(BASE).checkups

    assert (checkup.id, checkup.cron, checkup.window, checkup.calendar) == (
        "checkup",
        "0 9 1 */3 *",
        Duration(5, Unit.WORKING_DAYS),
        ALWAYS_OPEN,
    )


def test_a_checkup_with_every_key() -> None:
    text = BASE + 'id = "quarterly"\nwindow = "3d"\ncalendar = "office"\n'

    org = load_org_text(text)

    [checkup] = org.checkups
    assert (checkup.id, checkup.window, checkup.calendar) == ("quarterly", Duration(3, Unit.WORKING_DAYS), "office")
    assert org.checkup_timezone(checkup) == "America/New_York"


@pytest.mark.parametrize(
    ("extra", "key", "message"),
    [
        ('calendar = "shop"\n', "checkups[0].calendar", "unknown calendar 'shop'"),
        ('window = "soon"\n', "checkups[0].window", "is not a duration"),
        ('windows = "3d"\n', "checkups[0].windows", "did you mean 'window'?"),
        ('id = "every quarter"\n', "checkups[0].id", "use letters, digits"),
    ],
)
def test_each_problem_of_a_checkup_is_reported_at_its_line(extra: str, key: str, message: str) -> None:
    text = BASE + extra

    line, found_key, found_message = problem_of(text)

    assert (line, found_key) == (text.count("\n"), key)
    assert message in found_message


def test_a_checkup_needs_a_cron() -> None:
    text = BASE.replace('cron = "0 9 1 */3 *"\n', 'window = "2d"\n')

    assert problem_of(text)[1:] == ("checkups[0].cron", "missing: this key is required")


def test_two_checkups_with_the_same_id_are_reported_at_the_second() -> None:
    text = BASE + '\n[[checkups]]\ncron = "0 9 * * mon"\n'

    line, key, message = problem_of(text)

    assert (line, key) == (text.count("\n") - 1, "checkups[1].id")
    assert "checkups[0] already has the id 'checkup'" in message


def test_applying_stores_the_schedules_and_retires_the_ones_that_left(session_scope: SessionScope) -> None:
    with session_scope() as session:
        apply_org(session, load_org_text(BASE + 'calendar = "office"\n'))
    with session_scope() as session:
        row = session.get(CheckupSchedule, "checkup")
        assert row is not None
        assert (row.cron, row.timezone, row.window, row.calendar_id, row.active) == (
            "0 9 1 */3 *",
            "America/New_York",
            "5d",
            "office",
            True,
        )
        apply_org(session, load_org_text(BASE.split("[[checkups]]")[0]))
    with session_scope() as session:
        row = session.get(CheckupSchedule, "checkup")
        assert row is not None
        assert not row.active
