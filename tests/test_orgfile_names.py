"""People and channels in the org file as ids or as names: emails, user groups, channel names, and [homes]."""

import pytest

from bot.org import values
from bot.org.apply import apply_org
from bot.org.model import OrgFileError, load_org_text
from bot.org.resolve import names_in
from storage import directory
from storage.db import SessionScope
from tests.orgs import TEST_ORG


@pytest.mark.parametrize(
    ("written", "read"),
    [("U0ALICE", "U0ALICE"), ("Alice@Acme.com", "alice@acme.com"), ("@IT-Team", "@it-team"), ("W0GRID", "W0GRID")],
)
def test_a_person_is_an_id_an_email_or_a_group(written: str, read: str) -> None:
    assert values.parse_person(written) == read


@pytest.mark.parametrize(("written", "read"), [("C0IT", "C0IT"), ("G0PRIV", "G0PRIV"), ("#IT-Help", "#it-help")])
def test_a_channel_is_an_id_or_a_name(written: str, read: str) -> None:
    assert values.parse_channel(written) == read


def test_the_names_only_slack_can_resolve_are_listed_once() -> None:
    text = TEST_ORG.replace('members = ["U0ALICE", "U0BOB"]', 'members = ["@it-team", "bob@acme.com", "U0ALICE"]')
    text = text.replace('channel = "C0HR"', 'channel = "#people"').replace('["U0HRMGR"]', '["bob@acme.com"]')
    assert names_in(load_org_text(text)) == ["@it-team", "bob@acme.com", "#people"]
    assert names_in(load_org_text(TEST_ORG)) == []


def test_homes_name_a_person_and_one_of_the_departments() -> None:
    org = load_org_text(TEST_ORG + '\n[homes]\n"U0ALICE" = "hr"\n"Bob@acme.com" = "it"\n')
    assert org.homes == {"U0ALICE": "hr", "bob@acme.com": "it"}


def test_a_home_for_a_group_or_an_unknown_department_is_a_problem() -> None:
    with pytest.raises(OrgFileError) as raised:
        load_org_text(TEST_ORG + '\n[homes]\n"@it-team" = "it"\n"U0ALICE" = "legal"\n', "org.toml")
    assert [str(problem).split(": ", 1)[1] for problem in raised.value.problems] == [
        "homes.\"@it-team\": '@it-team' is a user group: a home department is one person's",
        "homes.U0ALICE: unknown department 'legal' (known: hr, it, sales)",
    ]


def test_homes_choose_the_department_someone_in_several_files_requests_from(session_scope: SessionScope) -> None:
    both = TEST_ORG.replace('members = ["U0SAM"]', 'members = ["U0SAM", "U0ALICE"]')
    with session_scope() as session:
        apply_org(session, load_org_text(both))
        assert directory.home_department(session, "U0ALICE") == "it"  # the first by id
    with session_scope() as session:
        apply_org(session, load_org_text(both + '\n[homes]\n"U0ALICE" = "sales"\n'))
        assert directory.home_department(session, "U0ALICE") == "sales"
