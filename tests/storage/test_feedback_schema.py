"""The schema itself keeps anonymous feedback unlinkable, and ratings one per request and direction."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from bot.org.apply import apply_org
from bot.org.model import load_org_text
from bot.requests import filing
from bot.requests.service import RequestDraft
from storage.db import SessionScope
from storage.feedback_models import Feedback, Rating
from tests.orgs import TEST_ORG

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DIGEST = "0" * 64


def _org_with_a_request(session_scope: SessionScope) -> int:
    with session_scope() as session:
        apply_org(session, load_org_text(TEST_ORG, "org.toml"))
        return filing.open_request(session, RequestDraft("it", "normal", "VPN down"), "U0SAM", T0).number


def _anonymous(**overrides: Any) -> Feedback:
    fields: dict[str, Any] = {
        "to_department_id": "it",
        "rating": 3,
        "anonymous": True,
        "created_on": date(2026, 11, 23),
        "reply_token_hash": DIGEST,
    }
    return Feedback(**{**fields, **overrides})


def test_the_feedback_table_has_exactly_these_columns_and_only_three_could_name_a_person() -> None:
    # A new column here must be checked against anonymity; author_id, created_at and request_id are the three.
    assert list(Feedback.__table__.columns.keys()) == [  # type: ignore[attr-defined]
        "id",
        "to_department_id",
        "from_department_id",
        "request_id",
        "rating",
        "went_well",
        "could_be_better",
        "anonymous",
        "author_id",
        "created_at",
        "created_on",
        "reply_token_hash",
    ]


def test_an_anonymous_row_without_links_is_accepted(session_scope: SessionScope) -> None:
    _org_with_a_request(session_scope)
    with session_scope() as session:
        session.add(_anonymous())
    with session_scope() as session:
        assert session.get(Feedback, 1) is not None


@pytest.mark.parametrize(
    "link",
    [{"author_id": "U0SAM"}, {"created_at": T0}, {"request_id": "request"}, {"reply_token_hash": None}],
    ids=["author", "instant", "request", "no-reply-token"],
)
def test_an_anonymous_row_that_links_to_a_person_is_refused_by_the_database(
    session_scope: SessionScope, link: dict[str, Any]
) -> None:
    number = _org_with_a_request(session_scope)
    row = _anonymous(**{key: number if value == "request" else value for key, value in link.items()})
    with pytest.raises(IntegrityError, match="ck_feedback_anonymous_unlinked"), session_scope() as session:
        session.add(row)


def test_a_signed_row_must_name_its_author(session_scope: SessionScope) -> None:
    _org_with_a_request(session_scope)
    row = _anonymous(anonymous=False, reply_token_hash=None)
    with pytest.raises(IntegrityError, match="ck_feedback_signed_named"), session_scope() as session:
        session.add(row)


def test_a_rating_outside_one_to_five_is_refused(session_scope: SessionScope) -> None:
    _org_with_a_request(session_scope)
    with pytest.raises(IntegrityError, match="ck_feedback_rating"), session_scope() as session:
        session.add(_anonymous(rating=6))


def test_a_request_has_one_rating_per_direction(session_scope: SessionScope) -> None:
    number = _org_with_a_request(session_scope)
    with session_scope() as session:
        session.add(Rating(request_id=number, direction="customer_to_provider", asked_at=T0))
    duplicate = r"uq_request_rating_request_direction|UNIQUE constraint failed: request_rating"
    with pytest.raises(IntegrityError, match=duplicate), session_scope() as session:
        session.add(Rating(request_id=number, direction="customer_to_provider", asked_at=T0))


def test_a_failed_insert_does_not_quote_what_was_written(session_scope: SessionScope) -> None:
    # the global error handler logs such errors with their traceback: they must not carry the feedback text
    _org_with_a_request(session_scope)
    with pytest.raises(IntegrityError) as failed, session_scope() as session:
        session.add(_anonymous(to_department_id="gone", went_well="The printer & I are enemies"))
    assert "printer" not in str(failed.value)
