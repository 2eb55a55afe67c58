"""The SQLAlchemy handle, unbound: the web app factory (or a worker) calls ``db.init_app``; and the
column type every package's tables store times in."""
from datetime import timezone

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event, types
from sqlalchemy.orm import Session

# Named constraints so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING))


class UtcDateTime(types.TypeDecorator):
    """Always timezone-aware UTC in Python; naive UTC on disk so SQLite and PostgreSQL agree."""

    impl = types.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use engine.clock.now()")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=timezone.utc)


class ValueTooLong(ValueError):
    """A text longer than its column allows. PostgreSQL would refuse it deep inside the commit
    (a 500) and SQLite would silently keep it; refused before the flush, the same on both, it
    names the table and field so the page can say which value to shorten."""

    def __init__(self, table: str, field: str, limit: int, length: int):
        super().__init__(f"{table}.{field}: {length} characters, at most {limit}")
        self.table, self.field, self.limit, self.length = table, field, limit, length


def _refuse_overlong_values(session, _flush_context, _instances) -> None:
    for row in (*session.new, *session.dirty):
        table = getattr(row, "__table__", None)
        if table is None:
            continue
        for column in table.columns:
            limit = getattr(column.type, "length", None)
            value = getattr(row, column.key, None) if limit else None
            if isinstance(value, str) and len(value) > limit:
                raise ValueTooLong(table.name, column.key, limit, len(value))


event.listen(Session, "before_flush", _refuse_overlong_values)
