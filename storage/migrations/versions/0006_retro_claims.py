"""retros: the prompt, summary and nudges go through the outbox; the claim columns go

Each retro gets the outbox row of its prompt, which its refreshes and summary thread under: a prompt already
posted as sent (with its ts), one not posted yet (claimed or not) as owed, so the sender posts it.

Revision ID: 0006_retro_claims
Revises: 0005_one_outbox
Create Date: 2026-12-03 10:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0006_retro_claims"
down_revision: str | None = "0005_one_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    _owe_prompts()
    with op.batch_alter_table("retro") as batch:
        for column in ("summary_claimed_at", "summary_ts", "prompt_claimed_at"):
            batch.drop_column(column)


def _owe_prompts() -> None:
    connection = op.get_bind()
    retro = sa.table(
        "retro",
        sa.column("id", sa.Integer()),
        sa.column("channel", sa.String()),
        sa.column("prompt_ts", sa.String()),
        sa.column("closed_at", storage.types.UTCDateTime(timezone=True)),
    )
    outbox = sa.table(
        "outbox",
        sa.column("key", sa.String()),
        sa.column("kind", sa.String()),
        sa.column("recipient", sa.String()),
        sa.column("lane", sa.String()),
        sa.column("ts", sa.String()),
        sa.column("payload", sa.JSON()),
        sa.column("status", sa.String()),
        sa.column("attempts", sa.Integer()),
        sa.column("deliver_after", storage.types.UTCDateTime(timezone=True)),
        sa.column("created_at", storage.types.UTCDateTime(timezone=True)),
        sa.column("sent_at", storage.types.UTCDateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    owed = set(connection.execute(sa.select(outbox.c.key).where(outbox.c.kind == "retro_prompt")).scalars())
    rows = []
    for retro_id, channel, prompt_ts, closed_at in connection.execute(
        sa.select(retro.c.id, retro.c.channel, retro.c.prompt_ts, retro.c.closed_at)
    ):
        if (prompt_ts is None and closed_at is not None) or f"retro:{retro_id}:prompt" in owed:
            continue  # never happened (a retro closed only once its prompt was posted), or owed already
        payload: dict[str, Any] = {"retro": retro_id}
        if prompt_ts is None:
            payload["on_sent"] = {"name": "retro_prompt_sent", "args": {"retro": retro_id}}
        rows.append(
            {
                "key": f"retro:{retro_id}:prompt",
                "kind": "retro_prompt",
                "recipient": channel,
                "lane": f"retro:{retro_id}",
                "ts": prompt_ts,
                "payload": payload,
                "status": "pending" if prompt_ts is None else "sent",
                "attempts": 0,
                "deliver_after": now,
                "created_at": now,
                "sent_at": None if prompt_ts is None else now,
            }
        )
    if rows:
        op.bulk_insert(outbox, rows)


def downgrade() -> None:
    # The code before knows neither the kinds rendered at send time nor retro rows waiting for a prompt's row.
    op.execute("DELETE FROM outbox WHERE kind IN ('retro_prompt', 'retro_refresh')")
    op.execute("DELETE FROM outbox WHERE lane LIKE 'retro:%' AND status <> 'sent'")
    with op.batch_alter_table("retro") as batch:
        batch.add_column(sa.Column("prompt_claimed_at", storage.types.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("summary_ts", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        batch.add_column(sa.Column("summary_claimed_at", storage.types.UTCDateTime(timezone=True), nullable=True))
