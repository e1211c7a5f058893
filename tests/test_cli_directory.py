"""``inhouse org check --online``, ``org apply`` and ``org sync`` as an operator runs them, against the fake Slack:
a 300-person org file written with emails, user groups and channel names, Slack's paging and its 429s."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import col, select

from bot.requests import filing
from bot.requests.service import RequestDraft
from storage import directory, org_snapshot
from storage.db import make_engine, session_factory
from storage.models import Department, Membership, Outbox, Request, Setting, UserGroup
from tests.directory_kit import big_company, email, person
from tests.factories import T0
from tests.fakes.slack_api import FakeSlack
from tests.orgs import TEST_ORG
from tests.test_cli import SLACK_VARIABLES

TOKEN = "xoxb-test"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(token=TOKEN) as running:
        yield running


def inhouse(*args: str, cwd: Path, fake: FakeSlack | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if key not in SLACK_VARIABLES}
    slack = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": fake.base_url} if fake is not None else {}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**clean, **slack, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'inhouse.db'}"


def test_a_300_person_org_written_with_names_applies_through_slacks_paging_and_rate_limits(
    fake: FakeSlack, tmp_path: Path
) -> None:
    company = big_company(fake)
    org = tmp_path / "org.toml"
    org.write_text(company.org)
    fake.fail_next("users.lookupByEmail", retry_after=1, times=2)
    fake.fail_next("conversations.list", retry_after=1)
    result = inhouse("org", "apply", str(org), cwd=tmp_path, fake=fake, DATABASE_URL=_database(tmp_path))
    assert result.returncode == 0, result.stderr
    assert f"Applied {org}: 10 departments, 10 agreements, 1 calendars" in result.stderr

    lookups = fake.calls_to("users.lookupByEmail")
    assert [call.status for call in lookups[:3]] == [429, 429, 200]
    assert len({call.args["email"] for call in lookups}) == len(lookups) - 2  # each email once (and the 429s again)
    pages = fake.calls_to("conversations.list")
    assert [call.status for call in pages] == [429, 200, 200]  # 250 channels, 200 a page
    assert len(fake.calls_to("usergroups.list")) == 1

    engine = make_engine(_database(tmp_path))
    with session_factory(engine)() as session:
        staff = session.exec(select(Membership.user_id).where(Membership.department_id == "d03")).all()
        assert sorted(staff) == sorted(person(90 + k) for k in range(30))
        d01 = session.get(Department, "d01")
        assert d01 is not None
        assert d01.channel == company.channels["dept-01"]  # a private channel the app is in
        assert d01.escalate_to == [person(30 * d) for d in range(10)]
        assert d01.people == {
            "managers": [person(30)],
            "members": [company.groups["team-01"], *(person(30 + k) for k in range(25, 30))],
            "escalate_to": [company.groups["leads"]],
        }
        assert directory.admins(session) == [person(0), *(person(30 * d) for d in range(1, 10))]
        assert len(session.exec(select(UserGroup)).all()) == 11
        assert session.exec(select(Membership)).all().__len__() == 300
    engine.dispose()


def test_each_name_that_does_not_resolve_is_reported_at_its_line_and_nothing_is_applied(
    fake: FakeSlack, tmp_path: Path
) -> None:
    company = big_company(fake)
    org = tmp_path / "org.toml"
    broken = company.org.replace(f'managers = ["{email(30)}"]', 'managers = ["nobody@acme.com"]')
    broken = broken.replace('members = ["@team-02"', 'members = ["@no-such-team"').replace("#dept-03", "#gone")
    org.write_text(broken)
    lines = {
        key: n
        for n, line in enumerate(broken.splitlines(), 1)
        for key in ("nobody@", "@no-such", "#gone")
        if key in line
    }
    database = _database(tmp_path)
    for command in (["org", "check", "--online"], ["org", "apply"]):
        result = inhouse(*command, str(org), cwd=tmp_path, fake=fake, DATABASE_URL=database)
        assert result.returncode == 2
        assert result.stderr.strip().splitlines() == [
            f"{org}:{lines['nobody@']}: departments.d01.managers: nobody@acme.com: nobody in this Slack workspace "
            "has this email",
            f"{org}:{lines['@no-such']}: departments.d02.members: @no-such-team: there is no enabled user group with "
            "this handle",
            f"{org}:{lines['#gone']}: departments.d03.channel: #gone: no channel the app can see has this name "
            "(a private one: invite the app to it; not archived)",
        ]
    assert not (tmp_path / "inhouse.db").exists()


def test_a_scope_the_app_lacks_is_named(fake: FakeSlack, tmp_path: Path) -> None:
    org = tmp_path / "org.toml"
    org.write_text(TEST_ORG.replace('managers = ["U0HRMGR"]', 'managers = ["hr.boss@acme.com"]'))
    fake.fail_next("users.lookupByEmail", error="missing_scope", status=200)
    result = inhouse("org", "check", "--online", str(org), cwd=tmp_path, fake=fake)
    assert result.returncode == 2
    assert result.stderr.strip().endswith(
        "departments.hr.managers: hr.boss@acme.com: could not be looked up: Slack refused users.lookupByEmail "
        "(missing_scope): the app needs users:read.email; reinstall it from manifest.yml"
    )


def test_offline_check_reads_names_without_slack_and_apply_without_a_token_says_what_is_missing(
    tmp_path: Path,
) -> None:
    org = tmp_path / "org.toml"
    org.write_text(TEST_ORG.replace('channel = "C0HR"', 'channel = "#people"'))
    checked = inhouse("org", "check", str(org), cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    applied = inhouse("org", "apply", str(org), cwd=tmp_path, DATABASE_URL=_database(tmp_path))
    assert applied.returncode == 2
    assert applied.stderr.strip().endswith(
        "departments.hr.channel: #people: could not be looked up: names are looked up in Slack: set SLACK_BOT_TOKEN "
        "(or write ids)"
    )


def test_warnings_are_printed_and_the_check_passes(tmp_path: Path) -> None:
    org = tmp_path / "org.toml"
    text = TEST_ORG.replace('members = ["U0SAM"]', 'members = ["U0SAM", "U0ALICE"]')
    text = text.replace('managers = ["U0HRMGR"]\n', "").replace('resolution = "5d"', 'resolution = "61d"')
    text += '\n[departments.legal]\nname = "Legal"\nchannel = "C0LEGAL"\nmanagers = ["U0LAW"]\n'
    org.write_text(text)
    result = inhouse("org", "check", str(org), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stdout.splitlines() if ": warning: " in line]
    assert [line.split(": warning: ")[1] for line in warnings] == [
        "U0ALICE is in it and sales: the requests they file count as it's (the first by id). To choose another, "
        'add "U0ALICE" = "sales" under [homes]',
        "hr has no managers: its breach alerts and its managers' reports reach nobody",
        "61d is more than 60 working days on office's calendar: is that meant?",
        "legal has no calendar (and there is no [calendars.default]): its clocks run 24/7. "
        'Write calendar = "always" if that is meant',
    ]
    org.write_text(text + '\n[homes]\n"U0ALICE" = "sales"\n')
    assert "U0ALICE is in" not in inhouse("org", "check", str(org), cwd=tmp_path).stdout


def test_apply_refuses_to_retire_a_department_with_open_requests_unless_told_where_they_go(tmp_path: Path) -> None:
    org = tmp_path / "org.toml"
    org.write_text(TEST_ORG)
    database = _database(tmp_path)
    assert inhouse("org", "apply", str(org), cwd=tmp_path, DATABASE_URL=database).returncode == 0
    engine = make_engine(database)
    with session_factory(engine)() as session:
        first = filing.open_request(session, RequestDraft("hr", "normal", "Payslip"), "U0SAM", T0)
        filing.open_request(session, RequestDraft("hr", "normal", "Contract"), "U0SAM", T0)
    without_hr = (
        TEST_ORG.split("[departments.hr]")[0] + "[departments.sales]" + TEST_ORG.split("[departments.sales]")[1]
    )
    org.write_text(without_hr.split('[[agreements]]\nprovider = "hr"')[0])
    refused = inhouse("org", "apply", str(org), cwd=tmp_path, DATABASE_URL=database)
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        "The org file no longer has departments with open requests: hr has 2 open (#1, #2). Nothing was applied. "
        "Move them with --transfer-open-to DEPT, or keep those departments until their requests are resolved."
    )
    moved = inhouse("org", "apply", "--transfer-open-to", "it", str(org), cwd=tmp_path, DATABASE_URL=database)
    assert moved.returncode == 0, moved.stderr
    assert "deactivated: hr; 2 open requests moved to it" in moved.stderr
    with session_factory(engine)() as session:
        assert {r.provider_id for r in session.exec(select(Request))} == {"it"}
        assert not org_snapshot.current(session).departments["hr"].active
        owed = [row.key for row in session.exec(select(Outbox).where(col(Outbox.request_id) == first.number))]
        assert any(key.endswith(":new-note") for key in owed)  # the new card's thread says where it came from
    engine.dispose()


def test_sync_applies_who_joined_and_left_a_group(fake: FakeSlack, tmp_path: Path) -> None:
    company = big_company(fake)
    org = tmp_path / "org.toml"
    org.write_text(company.org)
    database = _database(tmp_path)
    assert inhouse("org", "apply", str(org), cwd=tmp_path, fake=fake, DATABASE_URL=database).returncode == 0
    team = [person(1 + k) for k in range(1, 24)] + ["U0NEWBIE"]  # person(1) left, a newbie joined
    fake.set_user_group_members(company.groups["team-00"], team)
    result = inhouse("org", "sync", cwd=tmp_path, fake=fake, DATABASE_URL=database)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"@team-00: joined U0NEWBIE; left {person(1)}",
        f"d00: joined U0NEWBIE (member); left {person(1)} (member)",
        "11 user groups looked up; 2 changes.",
    ]
    engine = make_engine(database)
    with session_factory(engine)() as session:
        assert directory.is_staff(session, "d00", "U0NEWBIE")
        assert not directory.is_staff(session, "d00", person(1))
        assert session.get(Setting, "admin_sources") is not None
    engine.dispose()
