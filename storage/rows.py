"""Inserting a new row with one Core statement, for writes that run in a writer's turn."""

from typing import Any

from sqlalchemy import Table, insert
from sqlmodel import Session, SQLModel


def insert_returning_id(session: Session, row: SQLModel) -> int:
    """INSERT ``row`` (its ``id`` left to the database) and return the id; the row stays out of the session.

    The ORM's flush of a new object costs several times the statement itself, and on SQLite every other
    writer waits while it runs.
    """
    table: Table = type(row).__table__  # type: ignore[attr-defined]  # set by SQLModel for table models
    values: dict[str, Any] = {column.name: getattr(row, column.name) for column in table.columns if column.name != "id"}
    new_id: int = session.connection().execute(insert(table).returning(table.c.id), values).scalar_one()
    return new_id
