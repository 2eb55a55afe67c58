"""The database side of "append-only": triggers that refuse UPDATE and DELETE on pdl_entry.

Used by the migration; kept here so the statements are written once. A DELETE is let through
only while pdl_purge_switch holds allow = 1, which only the retention job sets, inside its own
transaction, for entries past the five-year retention period.
"""
from __future__ import annotations

POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION pdl_entry_append_only() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND (SELECT COALESCE(MAX(allow), 0) FROM pdl_purge_switch) = 1 THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION 'the PDL log is append-only';
    END $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER pdl_entry_append_only BEFORE UPDATE OR DELETE ON pdl_entry "
    "FOR EACH ROW EXECUTE FUNCTION pdl_entry_append_only()",
]
SQLITE = [
    "CREATE TRIGGER pdl_entry_no_update BEFORE UPDATE ON pdl_entry "
    "BEGIN SELECT RAISE(ABORT, 'the PDL log is append-only'); END",
    "CREATE TRIGGER pdl_entry_no_delete BEFORE DELETE ON pdl_entry "
    "WHEN (SELECT COALESCE(MAX(allow), 0) FROM pdl_purge_switch) = 0 "
    "BEGIN SELECT RAISE(ABORT, 'the PDL log is append-only'); END",
]
DROP = {
    "postgresql": ["DROP TRIGGER IF EXISTS pdl_entry_append_only ON pdl_entry"],
    "sqlite": ["DROP TRIGGER IF EXISTS pdl_entry_no_update", "DROP TRIGGER IF EXISTS pdl_entry_no_delete"],
}


def create_statements(dialect: str) -> list[str]:
    return POSTGRESQL if dialect == "postgresql" else SQLITE
