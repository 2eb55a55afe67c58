"""Bare SpiffWorkflow, as a library user would run it, for the benchmark's baseline.

One JSON text column per instance with SpiffWorkflow's default serializer (spec included), and a
load-complete-save cycle with none of our locking, index tables or history. Same sandboxed script
engine, so the comparison measures persistence and bookkeeping, not expression evaluation.
"""
from __future__ import annotations

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import text

from engine import instances, spiff
from engine.records import Version

TABLE = "bench_bare_instance"


def create_table(connection) -> None:
    connection.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))
    connection.execute(text(f"CREATE TABLE {TABLE} (id INTEGER PRIMARY KEY, state TEXT NOT NULL)"))


def drop_table(connection) -> None:
    connection.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))


def new_serialized(version: Version, first_data: dict) -> str:
    """A fresh instance advanced past its first human task, in the default serialization."""
    info = instances.version_info(version.content_hash)
    workflow = spiff.new_workflow(info.spec, info.subprocess_specs)
    workflow.do_engine_steps()
    _complete_first_ready(workflow, first_data)
    return spiff.default_serialization(workflow)


def insert(connection, row_id: int, state: str) -> None:
    connection.execute(text(f"INSERT INTO {TABLE} (id, state) VALUES (:id, :state)"), {"id": row_id, "state": state})


def load_complete_save(connection, row_id: int, data: dict) -> None:
    """What the benchmark times: SELECT, deserialize, complete, engine steps, serialize, UPDATE."""
    state = connection.execute(text(f"SELECT state FROM {TABLE} WHERE id = :id"), {"id": row_id}).scalar_one()
    workflow = spiff.default_deserialization(state)
    _complete_first_ready(workflow, data)
    connection.execute(text(f"UPDATE {TABLE} SET state = :state WHERE id = :id"),
                       {"id": row_id, "state": spiff.default_serialization(workflow)})


def default_size_of(version: Version, state_blob: bytes) -> int:
    """Bytes SpiffWorkflow's default serializer writes for one of our stored instances."""
    info = instances.version_info(version.content_hash)
    workflow = spiff.load_state(state_blob, info.spec, info.subprocess_specs)
    return len(spiff.default_serialization(workflow).encode("utf-8"))


def _complete_first_ready(workflow, data: dict) -> None:
    task = workflow.get_next_task(state=TaskState.READY, manual=True)
    task.task_spec.add_data_from_form(task, data)
    task.run()
    workflow.do_engine_steps()
