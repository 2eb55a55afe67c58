"""What the benchmark may empty. It writes to a database and a Redis database it is given and
empties them first, so it must never be pointed at shared data by accident: a store counts as the
benchmark's own when it is empty or carries the benchmark's mark from an earlier run; anything
else is refused unless the user says ``--reuse``."""
from __future__ import annotations

from sqlalchemy import create_engine, inspect

MARK_TABLE = "vardflode_bench_owned"
MARK_KEY = "vardflode:bench:owned"


class NotOurs(Exception):
    """The store holds data the benchmark did not write."""


def check_database(url: str, reuse: bool) -> None:
    """Refuse ``url`` when it has tables and no benchmark mark (unless ``reuse``)."""
    engine = create_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    if tables and MARK_TABLE not in tables and not reuse:
        raise NotOurs(f"the database {_safe(url)} holds {len(tables)} tables the benchmark did not create; "
                      "it would empty them. Give an empty database, or --reuse to empty this one.")


def mark_database(connection) -> None:
    """Leave the mark, so the next run knows the database is the benchmark's."""
    connection.exec_driver_sql(f"CREATE TABLE IF NOT EXISTS {MARK_TABLE} (id INTEGER PRIMARY KEY)")


def check_redis(client, url: str, reuse: bool) -> None:
    """Refuse a Redis database with keys and no benchmark mark (unless ``reuse``)."""
    if client.dbsize() and not client.exists(MARK_KEY) and not reuse:
        raise NotOurs(f"the Redis database {_safe(url)} holds {client.dbsize()} keys the benchmark did not "
                      "write; it would empty it. Give an empty Redis database, or --reuse to empty this one.")


def _safe(url: str) -> str:
    """The URL without a password, for messages."""
    head, sep, tail = url.partition("@")
    return (head.split("//")[0] + "//…@" + tail) if sep else url
