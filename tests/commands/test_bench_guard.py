"""`vardflode bench` empties the stores it measures on, so it must never empty shared ones by
accident: without --redis-url it touches no Redis, and a database or Redis database that holds
data the benchmark did not write is refused unless the user says --reuse."""
from __future__ import annotations

import os
import sqlite3

import pytest

from tests.commands.test_cli import vardflode

REDIS_URL = os.environ.get("VARDFLODE_TEST_REDIS_URL")


def test_a_database_with_other_data_is_refused_and_kept(tmp_path):
    # Given a SQLite file someone uses, when the benchmark is pointed at it, then it refuses, says
    # how to go on, and the file's table and row are still there.
    path = tmp_path / "someone.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE patients (name TEXT)")
        conn.execute("INSERT INTO patients VALUES ('kept')")
    result = vardflode("bench", "--quick", "--database-url", f"sqlite:///{path}")
    assert result.returncode == 2 and "--reuse" in result.stderr
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name FROM patients").fetchall() == [("kept",)]


def test_without_a_redis_url_the_timer_measure_is_skipped_and_says_how(tmp_path):
    from cli import bench_timers
    assert "--redis-url" in bench_timers.run(None, "", None, quick=True)["skipped"]


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_URL, reason="needs a real Redis (VARDFLODE_TEST_REDIS_URL)")
def test_a_redis_database_with_foreign_keys_is_refused_and_kept():
    import redis
    from cli import bench_guard
    client = redis.Redis.from_url(REDIS_URL)
    client.set("someone:else", "kept")
    try:
        with pytest.raises(bench_guard.NotOurs, match="--reuse"):
            bench_guard.check_redis(client, REDIS_URL, reuse=False)
        assert client.get("someone:else") == b"kept"
        bench_guard.check_redis(client, REDIS_URL, reuse=True)  # told to: allowed
    finally:
        client.delete("someone:else")
