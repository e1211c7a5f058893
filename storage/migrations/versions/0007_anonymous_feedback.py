"""anonymous feedback: random ids, the way back to its author encrypted, no reply token

Feedback ids become random 16-digit numbers (BIGINT, no sequence), every row's, so that an anonymous row's id does
not place it among the signed rows of its day; the outbox rows that name a feedback are renumbered with it (a Reply
button on a message already in Slack carries the old id and answers that the feedback is no longer here). The
reply token's hash goes: an anonymous author was found through a DM the bot could read. Anonymous feedback given
before this revision has no way back to its author (``reply_link`` is NULL) and cannot be replied to. Its outbox
rows already sent or dead, which are dated, are deleted, and so are the anonymous authors' confirmations (those
still owed promised a reply path that is gone); those still owed delete themselves once sent.

New columns: ``notice_channel`` (where the feedback was posted; NULL: its managers' DMs), ``reply_link`` (the
author's user id encrypted with INHOUSE_SECRET_KEY), ``replied_view`` (a hash of the last reply modal submitted).

Revision ID: 0007_anonymous_feedback
Revises: 0006_retro_claims
Create Date: 2026-12-05 10:00:00
"""

import copy
import re
import secrets
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0007_anonymous_feedback"
down_revision: str | None = "0006_retro_claims"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FEEDBACK_IDS = (10**15, 2**53)
NEW_ANONYMOUS_ROWS_UNLINKED = "NOT anonymous OR (author_id IS NULL AND created_at IS NULL AND request_id IS NULL)"
NEW_SIGNED_ROWS_NAMED = "anonymous OR (author_id IS NOT NULL AND reply_link IS NULL)"
OLD_ANONYMOUS_ROWS_UNLINKED = (
    "NOT anonymous OR (author_id IS NULL AND created_at IS NULL AND request_id IS NULL"
    " AND reply_token_hash IS NOT NULL)"
)
OLD_SIGNED_ROWS_NAMED = "anonymous OR (author_id IS NOT NULL AND reply_token_hash IS NULL)"
RATING = "rating IS NULL OR (rating >= 1 AND rating <= 5)"
COMMON = (
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
)
FORGET = {"name": "feedback_forget", "args": {}}
REPLY_BUTTON = "feedback_reply"
_FEEDBACK_KEY = re.compile(r"feedback:(\d+)(:.*)?")


def _common_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("to_department_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("from_department_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("went_well", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("could_be_better", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("author_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_on", sa.Date(), nullable=False),
    ]


def _foreign_keys() -> list[sa.ForeignKeyConstraint]:
    return [
        sa.ForeignKeyConstraint(["from_department_id"], ["department.id"]),
        sa.ForeignKeyConstraint(["request_id"], ["request.id"]),
        sa.ForeignKeyConstraint(["to_department_id"], ["department.id"]),
    ]


def _feedback_as_it_is(id_type: sa.types.TypeEngine[int]) -> sa.TableClause:
    """The columns both revisions have, typed (SQLite gives dates and instants back as text otherwise)."""
    return sa.table(
        "feedback", *(sa.column(column.name, column.type) for column in _common_columns()), sa.column("id", id_type)
    )


def _recreate(columns: list[sa.Column[Any]], constraints: list[sa.Constraint], rows: list[dict[str, Any]]) -> None:
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_to_department_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_created_on"))
    op.drop_table("feedback")
    table = op.create_table("feedback", *columns, *constraints, *_foreign_keys(), sa.PrimaryKeyConstraint("id"))
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_created_on"), ["created_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedback_to_department_id"), ["to_department_id"], unique=False)
    if rows:
        op.bulk_insert(table, rows)


def _outbox() -> sa.TableClause:
    return sa.table(
        "outbox",
        sa.column("id", sa.Integer()),
        sa.column("key", sa.String()),
        sa.column("kind", sa.String()),
        sa.column("recipient", sa.String()),
        sa.column("lane", sa.String()),
        sa.column("payload", sa.JSON()),
        sa.column("status", sa.String()),
    )


def upgrade() -> None:
    connection = op.get_bind()
    old = _feedback_as_it_is(sa.Integer())
    department = sa.table("department", sa.column("id"), sa.column("channel"), sa.column("feedback_private"))
    posted_in = {
        department_id: None if private else channel
        for department_id, channel, private in connection.execute(
            sa.select(department.c.id, department.c.channel, department.c.feedback_private)
        )
    }
    rows = [dict(row) for row in connection.execute(sa.select(old)).mappings()]
    renumbered = _random_ids([row["id"] for row in rows])
    anonymous = {renumbered[row["id"]] for row in rows if row["anonymous"]}
    new_rows = [
        {
            **{name: row[name] for name in COMMON},
            "id": renumbered[row["id"]],
            "notice_channel": posted_in.get(row["to_department_id"]),
            "reply_link": None,
            "replied_view": None,
        }
        for row in rows
    ]
    columns = [
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        *_common_columns(),
        sa.Column("notice_channel", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("reply_link", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("replied_view", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    ]
    constraints: list[sa.Constraint] = [
        sa.CheckConstraint(NEW_ANONYMOUS_ROWS_UNLINKED, name="ck_feedback_anonymous_unlinked"),
        sa.CheckConstraint(NEW_SIGNED_ROWS_NAMED, name="ck_feedback_signed_named"),
        sa.CheckConstraint(RATING, name="ck_feedback_rating"),
    ]
    _recreate(columns, constraints, new_rows)
    _renumber_outbox(connection, renumbered, anonymous, forget_anonymous=True)


def downgrade() -> None:
    connection = op.get_bind()
    new = _feedback_as_it_is(sa.BigInteger())
    rows = [dict(row) for row in connection.execute(sa.select(new)).mappings()]
    rows.sort(key=lambda row: (row["created_on"], row["created_at"] is None, str(row["created_at"]), row["id"]))
    renumbered = {row["id"]: number for number, row in enumerate(rows, start=1)}
    old_rows = [
        {
            **{name: row[name] for name in COMMON},
            "id": renumbered[row["id"]],
            # a hash no token has: replies to it are undeliverable, as they are to anonymous feedback of this revision
            "reply_token_hash": secrets.token_hex(32) if row["anonymous"] else None,
        }
        for row in rows
    ]
    columns = [
        sa.Column("id", sa.Integer(), nullable=False),
        *_common_columns(),
        sa.Column("reply_token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    ]
    constraints: list[sa.Constraint] = [
        sa.CheckConstraint(OLD_ANONYMOUS_ROWS_UNLINKED, name="ck_feedback_anonymous_unlinked"),
        sa.CheckConstraint(OLD_SIGNED_ROWS_NAMED, name="ck_feedback_signed_named"),
        sa.CheckConstraint(RATING, name="ck_feedback_rating"),
    ]
    _recreate(columns, constraints, old_rows)
    if connection.dialect.name == "postgresql" and old_rows:
        op.execute(sa.text("SELECT setval('feedback_id_seq', :last)").bindparams(last=len(old_rows)))
    anonymous = {renumbered[row["id"]] for row in rows if row["anonymous"]}
    _renumber_outbox(connection, renumbered, anonymous, forget_anonymous=False)


def _random_ids(old_ids: list[int]) -> dict[int, int]:
    low, high = FEEDBACK_IDS
    new: dict[int, int] = {}
    while len(new) < len(old_ids):
        candidate = low + secrets.randbelow(high - low)
        if candidate not in new.values():
            new[old_ids[len(new)]] = candidate
    return new


def _renumber_outbox(
    connection: sa.Connection, renumbered: dict[int, int], anonymous: set[int], *, forget_anonymous: bool
) -> None:
    """The outbox rows that name a feedback name it by its new id. Upgrading, an anonymous feedback's rows that
    were sent or died go (with the notes of its replies), the rest delete themselves once sent (``forget``), and
    the anonymous authors' confirmations go."""
    outbox = _outbox()
    rows = list(connection.execute(sa.select(outbox)).mappings())
    gone: set[int] = set()
    anonymous_replies: set[str] = set()
    for row in rows:
        if forget_anonymous and row["kind"] == "feedback_confirmation":
            gone.add(row["id"])
            continue
        old_id = _feedback_of(row)
        if old_id not in renumbered:
            continue
        new_id = renumbered[old_id]
        is_anonymous = new_id in anonymous
        if forget_anonymous and is_anonymous and row["kind"] == "feedback_reply":
            anonymous_replies.add(row["key"])
        if forget_anonymous and is_anonymous and row["status"] in ("sent", "dead"):
            gone.add(row["id"])
            continue
        changes = _renamed(row, old_id, new_id)
        if forget_anonymous and is_anonymous:
            reply = row["kind"] == "feedback_reply"
            changes["payload"] = _forgetting(changes.get("payload", row["payload"]), reply=reply)
        elif not forget_anonymous:
            changes["payload"] = _remembering(changes.get("payload", row["payload"]))
        if changes:
            connection.execute(sa.update(outbox).where(outbox.c.id == row["id"]).values(**changes))
    for row in rows:
        note_of = str(row["key"]).split(":note:")[0]
        if ":note:" in str(row["key"]) and note_of in anonymous_replies and row["id"] not in gone:
            if row["status"] in ("sent", "dead"):
                gone.add(row["id"])
            else:
                payload = _forgetting(row["payload"], reply=False)
                connection.execute(sa.update(outbox).where(outbox.c.id == row["id"]).values(payload=payload))
    if gone:
        connection.execute(sa.delete(outbox).where(outbox.c.id.in_(sorted(gone))))


def _feedback_of(row: Any) -> int | None:
    if row["kind"] == "feedback_reply":
        number = (row["payload"] or {}).get("feedback")
        return int(number) if isinstance(number, int) else None
    match = _FEEDBACK_KEY.fullmatch(str(row["key"])) or _FEEDBACK_KEY.fullmatch(str(row["lane"]))
    return int(match.group(1)) if match else None


def _renamed(row: Any, old_id: int, new_id: int) -> dict[str, Any]:
    def rename(text: str) -> str:
        return re.sub(rf"^feedback:{old_id}(?=:|$)", f"feedback:{new_id}", text)

    changes: dict[str, Any] = {}
    for name in ("key", "lane", "recipient"):
        if rename(str(row[name])) != row[name]:
            changes[name] = rename(str(row[name]))
    payload = copy.deepcopy(dict(row["payload"] or {}))
    if row["kind"] == "feedback_reply":
        payload["feedback"] = new_id
    _rewrite_buttons(payload, lambda value: str(new_id) if value == str(old_id) else value)
    if payload != (row["payload"] or {}):
        changes["payload"] = payload
    return changes


def _rewrite_buttons(payload: dict[str, Any], value: Callable[[str], str]) -> None:
    """The Reply button of a notice still owed carries the feedback's id."""
    for block in (payload.get("args") or {}).get("blocks") or []:
        for element in block.get("elements") or []:
            if isinstance(element, dict) and element.get("action_id") == REPLY_BUTTON and "value" in element:
                element["value"] = value(str(element["value"]))


def _forgetting(payload: dict[str, Any], *, reply: bool) -> dict[str, Any]:
    payload = dict(payload or {})
    for hook in ("on_sent", "on_dead"):
        if reply and isinstance(payload.get(hook), dict):
            payload[hook] = {**payload[hook], "args": {**(payload[hook].get("args") or {}), "forget": True}}
        elif not reply:
            payload[hook] = FORGET
    return payload


def _remembering(payload: dict[str, Any]) -> dict[str, Any]:
    """Downgrading: the revision before has no ``feedback_forget`` hook."""
    payload = dict(payload or {})
    for hook in ("on_sent", "on_dead"):
        if isinstance(payload.get(hook), dict) and payload[hook].get("name") == FORGET["name"]:
            del payload[hook]
    return payload
