"""``inhouse checkup start|close``: the operator's way to run the check-up now (and the tests' to travel)."""

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from storage.checkup_models import Checkup, CheckupResult
from tests.handlers.checkup_kit import STAFF, answer, checkup_dms, use_checkup_org
from tests.handlers.harness import Harness
from tests.handlers.test_retro_cli import Inhouse, run  # noqa: F401  (the fixture)


def test_start_asks_everyone_and_close_keeps_the_shares(inhouse: Harness, run: Inhouse) -> None:  # noqa: F811
    use_checkup_org(inhouse)
    now = datetime.now(UTC).replace(microsecond=0)  # the DMs are owed as of the command's own clock

    started = run("checkup", "start", "--at", now.isoformat())

    assert started.returncode == 0, started.stderr
    assert started.stdout.startswith(
        f"Check-up checkup started: {len(STAFF)} people asked by DM (the scheduler sends them, one a second), closing "
    )
    assert len(checkup_dms(inhouse, STAFF[0])) == 1  # the first is due at once
    inhouse.clock.set(now + timedelta(minutes=1))
    inhouse.deliver_later(len(STAFF))
    answer(inhouse, "U0SAM", {"it": ["we_depend"]})

    closed = run("checkup", "close", "--at", (now + timedelta(minutes=2)).isoformat())

    assert (closed.returncode, closed.stdout) == (
        0,
        "Check-up closed (1): the answers are now shares per department; see `inhouse map`.\n",
    ), closed.stderr
    with inhouse.session_scope() as session:
        (checkup,) = session.exec(select(Checkup))
        assert checkup.closed_at == now + timedelta(minutes=2)
        assert session.get(CheckupResult, (checkup.id, "sales", "it", "we_depend")) is not None


def test_a_second_start_while_one_is_open_says_so(inhouse: Harness, run: Inhouse) -> None:  # noqa: F811
    use_checkup_org(inhouse)
    run("checkup", "start", "--at", "2026-11-25T10:00:00+00:00")

    again = run("checkup", "start", "--at", "2026-11-25T11:00:00+00:00")

    assert (again.returncode, again.stdout) == (
        0,
        "A check-up is open already: close it first (inhouse checkup close).\n",
    )


def test_unknown_check_ups_and_closing_none_are_one_line_each(inhouse: Harness, run: Inhouse) -> None:  # noqa: F811
    use_checkup_org(inhouse)

    unknown = run("checkup", "start", "yearly")
    nothing = run("checkup", "close")

    assert (unknown.returncode, unknown.stderr.splitlines()[-1]) == (
        2,
        "There is no check-up 'yearly' in the org file: add a [[checkups]] entry.",
    )
    assert (nothing.returncode, nothing.stderr.splitlines()[-1]) == (2, "No check-up is open.")
