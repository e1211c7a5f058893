"""the directory: whom the org file names in each role (user ids and user groups), and the groups' members

``department.people`` keeps each role (managers, members, escalate_to) as the org file names it, in ids: a user's,
or a user group's (S...), whose members the hourly sync looks up again; NULL for departments applied before this
revision (the sync leaves them as they are until the next ``org apply``). ``user_group`` keeps each group the file
names with its members as last looked up.

Revision ID: 0014_directory
Revises: 0013_intake
Create Date: 2026-12-11 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014_directory"
down_revision: str | None = "0013_intake"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("department", sa.Column("people", sa.JSON(), nullable=True))
    op.create_table(
        "user_group",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("handle", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("users", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("user_group")
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later), not batch mode: see 0013_intake.
    op.drop_column("department", "people")
