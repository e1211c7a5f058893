from sqlmodel import select

from bot.org.apply import apply_org
from bot.org.model import load_org_text
from storage import directory
from storage.db import SessionScope
from storage.models import Agreement, Department, Setting
from tests.orgs import TEST_ORG


def _apply(session_scope: SessionScope, text: str = TEST_ORG) -> None:
    with session_scope() as session:
        apply_org(session, load_org_text(text, "org.toml"))


def test_applying_the_org_creates_departments_with_their_people(session_scope: SessionScope) -> None:
    _apply(session_scope)
    with session_scope() as session:
        assert [d.id for d in directory.active_departments(session)] == ["it", "hr", "sales"]
        assert directory.managers_of(session, "it") == ["U0ITMGR"]
        assert directory.is_staff(session, "it", "U0ALICE")
        assert not directory.is_staff(session, "it", "U0SAM")


def test_applying_the_org_stores_agreements_and_settings(session_scope: SessionScope) -> None:
    _apply(session_scope)
    with session_scope() as session:
        terms = {(a.provider_id, a.priority, a.first_response, a.resolution) for a in session.exec(select(Agreement))}
        timezone = session.get(Setting, "timezone")
    assert terms == {("it", "*", "4h", "2d"), ("it", "urgent", "30m", "4h"), ("hr", "*", "1d", "5d")}
    assert timezone is not None
    assert timezone.value == "Europe/Berlin"


def test_applying_twice_changes_nothing(session_scope: SessionScope) -> None:
    _apply(session_scope)
    _apply(session_scope)
    with session_scope() as session:
        assert len(session.exec(select(Agreement)).all()) == 3
        assert len(directory.active_departments(session)) == 3


def test_a_department_that_leaves_the_file_is_deactivated_not_deleted(session_scope: SessionScope) -> None:
    _apply(session_scope)
    without_hr = TEST_ORG.replace('provider = "hr"', 'provider = "it"\npriority = "low"').replace(
        "[departments.hr]", "[departments.legal]"
    )
    _apply(session_scope, without_hr)
    with session_scope() as session:
        hr = session.get(Department, "hr")
        assert hr is not None
        assert not hr.active
        assert [d.id for d in directory.active_departments(session)] == ["it", "legal", "sales"]
