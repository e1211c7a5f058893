from sqlalchemy import Engine, text

from storage.db import session_factory


def test_a_read_scope_does_not_wait_for_a_writer(engine: Engine) -> None:
    write_scope, read_scope = session_factory(engine), session_factory(engine, read_only=True)
    with write_scope() as writer:
        writer.exec(text("INSERT INTO setting (key, value) VALUES ('probe', '1')"))  # type: ignore[call-overload]
        writer.flush()
        with read_scope() as reader:  # on SQLite the writer holds the write lock and the writer's turn
            rows = reader.exec(text("SELECT key FROM setting WHERE key = 'probe'")).all()  # type: ignore[call-overload]
    assert rows == []  # the reader sees the last committed state, not the writer's pending row
    with read_scope() as reader:
        assert reader.exec(text("SELECT key FROM setting")).all() == [("probe",)]  # type: ignore[call-overload]
