"""The schema itself keeps anonymous feedback unlinkable, and ratings one per request and direction; the migration
to random ids and encrypted links renumbers what names a feedback and forgets an anonymous feedback's dated rows."""

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot.org.apply import apply_org
from bot.org.model import load_org_text
from bot.requests import filing
from bot.requests.service import RequestDraft
from storage import migrate
from storage.db import SessionScope, session_factory
from storage.feedback_models import Feedback, Rating
from storage.types import UTCDateTime
from tests.fakes.databases import empty_database
from tests.orgs import TEST_ORG

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


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
    }
    return Feedback(**{**fields, **overrides})


def test_the_feedback_table_has_exactly_these_columns_and_only_three_could_name_a_person() -> None:
    # A new column here must be checked against anonymity; author_id, created_at and request_id are the three
    # (reply_link names the author only to whoever holds INHOUSE_SECRET_KEY).
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
        "notice_channel",
        "reply_link",
        "replied_view",
    ]


def test_feedback_ids_are_random_and_no_sequence_of_the_database() -> None:
    ids = [Feedback(to_department_id="it", anonymous=True, created_on=date(2026, 11, 23)).id for _ in range(20)]
    assert all(10**15 <= feedback_id < 2**53 for feedback_id in ids)
    assert sorted(ids) != ids
    column = Feedback.__table__.columns["id"]  # type: ignore[attr-defined]
    assert (str(column.type), column.autoincrement) == ("BIGINT", False)


@pytest.mark.parametrize("reply_link", [None, "gAAAAA-an-encrypted-link"], ids=["without-key", "with-key"])
def test_an_anonymous_row_without_links_is_accepted(session_scope: SessionScope, reply_link: str | None) -> None:
    _org_with_a_request(session_scope)
    row = _anonymous(reply_link=reply_link)
    with session_scope() as session:
        session.add(row)
    with session_scope() as session:
        assert session.get(Feedback, row.id) is not None


@pytest.mark.parametrize(
    "link",
    [{"author_id": "U0SAM"}, {"created_at": T0}, {"request_id": "request"}],
    ids=["author", "instant", "request"],
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
    row = _anonymous(anonymous=False)
    with pytest.raises(IntegrityError, match="ck_feedback_signed_named"), session_scope() as session:
        session.add(row)


def test_a_signed_row_keeps_no_encrypted_link(session_scope: SessionScope) -> None:
    _org_with_a_request(session_scope)
    row = _anonymous(anonymous=False, author_id="U0SAM", created_at=T0, reply_link="gAAAAA-a-link")
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


# --- the migration to random ids and encrypted links --------------------------------------------------------------

BEFORE, REPLY = "0006_retro_claims", "feedback_reply"
OLD_CALENDAR = sa.table("calendar", sa.column("id"), sa.column("spec", sa.JSON))
OLD_DEPARTMENT = sa.table(
    "department",
    sa.column("id"),
    sa.column("name"),
    sa.column("channel"),
    sa.column("calendar_id"),
    sa.column("escalate_to", sa.JSON),
    sa.column("feedback_private", sa.Boolean),
    sa.column("active", sa.Boolean),
)
OLD_FEEDBACK = sa.table(
    "feedback",
    *(sa.column(name) for name in ("id", "to_department_id", "rating", "anonymous", "author_id", "went_well")),
    sa.column("reply_token_hash"),
    sa.column("created_at", UTCDateTime()),
    sa.column("created_on", sa.Date()),
)
OUTBOX = sa.table(
    "outbox",
    *(sa.column(name) for name in ("id", "key", "kind", "recipient", "lane", "status", "attempts", "ts")),
    sa.column("payload", sa.JSON()),
    *(sa.column(name, UTCDateTime()) for name in ("deliver_after", "created_at", "sent_at")),
)


def _notice_payload(feedback_id: int, *, hook: bool = False) -> dict[str, Any]:
    button = {"type": "button", "action_id": "feedback_reply", "value": str(feedback_id)}
    payload: dict[str, Any] = {
        "method": "chat.postMessage",
        "args": {"channel": "C0IT", "text": "Feedback", "blocks": [{"type": "actions", "elements": [button]}]},
    }
    if hook:
        payload["on_sent"] = {"name": "retro_prompt_sent", "args": {}}
    return payload


def _reply_payload(feedback_id: int, key: str) -> dict[str, Any]:
    note = {"key": key, "channel": "C0IT", "thread_ts": "1.000100", "manager": "U0ITMGR", "text": "Thanks"}
    return {
        "feedback": feedback_id,
        "manager": "U0ITMGR",
        "text": "Thanks",
        "on_sent": {"name": "feedback_reply_delivered", "args": note},
        "on_dead": {"name": "feedback_reply_undelivered", "args": note},
    }


def _owed(key: str, status: str, payload: dict[str, Any], *, kind: str = "call", lane: str = "C0IT") -> dict[str, Any]:
    recipient = lane if not lane.startswith("dm:") else lane.removeprefix("dm:")
    return {
        "key": key,
        "kind": kind,
        "recipient": recipient,
        "lane": lane,
        "status": status,
        "attempts": 1 if status != "pending" else 0,
        "ts": "1.000100" if status == "sent" else None,
        "payload": payload,
        "deliver_after": T0,
        "created_at": T0,
        "sent_at": T0 if status == "sent" else None,
    }


def _outbox(engine: Engine) -> dict[str, dict[str, Any]]:
    with engine.connect() as connection:
        return {row["key"]: dict(row) for row in connection.execute(sa.select(OUTBOX)).mappings()}


def test_the_upgrade_gives_feedback_random_ids_renumbers_what_names_them_and_forgets_anonymous_traces(
    engine: Engine, tmp_path: Path
) -> None:
    with empty_database(engine, tmp_path) as before:
        migrate.upgrade(before, BEFORE)
        with before.begin() as connection:  # the org's rows as that revision has them (the models have moved on)
            connection.execute(OLD_CALENDAR.insert(), [{"id": "office", "spec": {}}])
            connection.execute(
                OLD_DEPARTMENT.insert(),
                [
                    {
                        "id": d,
                        "name": d,
                        "channel": f"C0{d.upper()}",
                        "calendar_id": "office",
                        "escalate_to": [],
                        "feedback_private": False,
                        "active": True,
                    }
                    for d in ("it", "hr", "sales")
                ],
            )
        signed = {
            "to_department_id": "it",
            "rating": 4,
            "anonymous": False,
            "author_id": "U0SAM",
            "went_well": "signed",
        }
        anonymous = {"to_department_id": "it", "rating": 2, "anonymous": True, "author_id": None, "went_well": "anon"}
        with before.begin() as connection:
            connection.execute(
                OLD_FEEDBACK.insert(),
                [
                    {"id": 1, **signed, "created_at": T0, "created_on": T0.date(), "reply_token_hash": None},
                    {"id": 2, **anonymous, "created_at": None, "created_on": T0.date(), "reply_token_hash": "0" * 64},
                ],
            )
            connection.execute(
                OUTBOX.insert(),
                [
                    _owed("request:1:card:1", "sent", {"request": 1}, kind="request_card"),
                    _owed("feedback:1:notice:C0IT", "sent", _notice_payload(1)),
                    _owed("feedback:1:confirmation", "sent", {"method": "chat.postMessage"}, lane="dm:U0SAM"),
                    _owed("feedback:2:notice:C0IT", "sent", _notice_payload(2)),
                    _owed("feedback:2:notice:U0ITMGR", "pending", _notice_payload(2), lane="dm:U0ITMGR"),
                    _owed("feedback:anonymous:ab12:confirmation", "sent", {}, kind="feedback_confirmation", lane="-"),
                    _owed("feedback:anonymous:cd34:confirmation", "pending", {}, kind="feedback_confirmation"),
                    _owed("feedback_reply:V1", "sent", _reply_payload(2, "feedback_reply:V1"), kind="feedback_reply"),
                    _owed("feedback_reply:V1:note:delivered", "sent", {"method": "chat.postMessage"}),
                    _owed(
                        "feedback_reply:V2", "pending", _reply_payload(1, "feedback_reply:V2"), kind="feedback_reply"
                    ),
                    _owed(
                        "feedback_reply:V3",
                        "pending",
                        _reply_payload(2, "feedback_reply:V3"),
                        kind="feedback_reply",
                        lane="feedback:2",
                    ),
                ],
            )

        migrate.upgrade(before)

        with session_factory(before)() as session:
            rows = {row.went_well: row for row in session.exec(select(Feedback))}
        new_signed, new_anonymous = rows["signed"].id, rows["anon"].id
        assert all(10**15 <= row.id < 2**53 for row in rows.values())
        assert (rows["signed"].author_id, rows["signed"].created_at, rows["signed"].notice_channel) == (
            "U0SAM",
            T0,
            "C0IT",
        )
        assert (rows["anon"].reply_link, rows["anon"].created_at, rows["anon"].notice_channel) == (None, None, "C0IT")
        owed = _outbox(before)
        assert sorted(owed) == sorted(
            [
                "request:1:card:1",
                f"feedback:{new_signed}:notice:C0IT",
                f"feedback:{new_signed}:confirmation",
                f"feedback:{new_anonymous}:notice:U0ITMGR",
                "feedback_reply:V2",
                "feedback_reply:V3",
            ]
        )
        still_owed = owed[f"feedback:{new_anonymous}:notice:U0ITMGR"]["payload"]
        assert still_owed["args"]["blocks"][0]["elements"][0]["value"] == str(new_anonymous)
        assert still_owed["on_sent"] == still_owed["on_dead"] == {"name": "feedback_forget", "args": {}}
        assert owed[f"feedback:{new_signed}:notice:C0IT"]["payload"] == _notice_payload(new_signed)
        assert owed["feedback_reply:V2"]["payload"] == _reply_payload(new_signed, "feedback_reply:V2")
        v3 = owed["feedback_reply:V3"]
        assert (v3["payload"]["feedback"], v3["lane"], v3["recipient"]) == (
            new_anonymous,
            f"feedback:{new_anonymous}",
            f"feedback:{new_anonymous}",
        )
        assert v3["payload"]["on_sent"]["args"]["forget"] is True

        config = Config()
        config.set_main_option("script_location", str(migrate.MIGRATIONS))
        with before.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, BEFORE)

        with before.connect() as connection:
            back = {row["went_well"]: row for row in connection.execute(sa.select(OLD_FEEDBACK)).mappings()}
        assert (back["signed"]["id"], back["anon"]["id"]) == (1, 2)
        assert back["signed"]["reply_token_hash"] is None
        assert len(back["anon"]["reply_token_hash"]) == 64
        owed = _outbox(before)
        assert {"feedback:1:notice:C0IT", "feedback:2:notice:U0ITMGR", "feedback_reply:V3"} <= set(owed)
        assert "on_sent" not in owed["feedback:2:notice:U0ITMGR"]["payload"]
        with before.begin() as connection:  # the sequence goes on after the renumbered rows
            connection.execute(
                OLD_FEEDBACK.insert(),
                {**signed, "went_well": "later", "created_at": T0, "created_on": T0.date(), "reply_token_hash": None},
            )
            assert (
                connection.execute(sa.select(OLD_FEEDBACK.c.id).where(OLD_FEEDBACK.c.went_well == "later")).scalar()
                == 3
            )
        migrate.upgrade(before)
        assert migrate.is_current(before)
