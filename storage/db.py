"""Engine, connection pragmas and the one transaction boundary: ``session_scope``."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session

from storage import percentiles
from storage.sqlite_writers import WriterTurns, writer_turns

SessionScope = Callable[[], AbstractContextManager[Session]]

SQLITE_BUSY_TIMEOUT_MS = 15_000


def normalize_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs, the driver this project installs."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str) -> Engine:
    """``hide_parameters``: a failed statement's error (and so its log line) never quotes what people wrote."""
    url = normalize_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        # Pooled (each worker process gets its own pool: see bot.serving.gunicorn): a new connection re-reads the schema
        # and runs the pragmas, milliseconds that a writer would otherwise spend holding the write lock.
        engine = create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "connect", percentiles.register)
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10, hide_parameters=True)
    event.listen(engine, "connect", _postgres_settings)
    return engine


def _postgres_settings(dbapi_connection: Any, _record: Any) -> None:
    # No JIT: PostgreSQL compiles a query whose estimated cost is high, and the reports' short queries spent more
    # compiling than running (21 ms of App Home's 94 at 1,000,000 requests). A SET, not a startup option, which
    # a connection pooler such as PgBouncer may refuse.
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    dbapi_connection.commit()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy drive transactions (pysqlite's own BEGIN handling is off) so that
    # "begin" can take the write lock up front: writers then queue on busy_timeout
    # instead of failing with "database is locked" when upgrading a read lock.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


READ_ONLY = "inhouse_read_only"


def _sqlite_begin_immediate(connection: Any) -> None:
    # A reader needs no write lock: in WAL mode it sees a consistent snapshot beside the writer.
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _writer_turns(engine: Engine) -> WriterTurns | None:
    database = engine.url.database
    if not is_sqlite(engine) or not database or database == ":memory:" or database.startswith("file:"):
        return None
    return writer_turns(database, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)


def session_factory(engine: Engine, *, read_only: bool = False) -> SessionScope:
    """One unit of work: commit on success, roll back on error, close always. On SQLite, one writer at a time.

    ``read_only`` scopes are for reads before an ack (commands, Home): on SQLite they take neither a
    writer's turn nor the write lock, so they never queue behind writers.
    """
    turns = None if read_only else _writer_turns(engine)
    if read_only:
        engine = engine.execution_options(**{READ_ONLY: True})

    @contextmanager
    def session_scope() -> Iterator[Session]:
        with turns.turn() if turns else nullcontext(), Session(engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    return session_scope
