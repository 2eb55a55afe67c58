"""the PDL chain under a key: pdl_entry.scheme says how each entry's hash was made

Revision ID: 0009_pdl_key
Revises: 0008_blocks

Entries already written keep their plain SHA-256 links and get scheme 'sha256' from the column's
default; the code writes every new entry as 'hmac-sha256' (access/pdl.py). Nothing is rehashed:
the old links cannot be made keyed without rewriting the log, which the triggers (rightly) refuse,
and they stay covered anyway, because the first keyed entry's HMAC covers the last old hash. The
column is only a label: pdl-verify refuses an unkeyed entry after a keyed one or past the first
keyed sequence number the signed checkpoints recorded, so relabelling entries gains an attacker
nothing.

Plain ADD COLUMN (no batch mode): on SQLite batch mode rebuilds the table and would drop its
append-only triggers; adding a column with a default fires no UPDATE trigger on either database.
"""
from alembic import op
import sqlalchemy as sa


revision = '0009_pdl_key'
down_revision = '0008_blocks'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('pdl_entry', sa.Column('scheme', sa.String(length=16), nullable=False, server_default='sha256'))


def downgrade():
    # Dropping a column is an ALTER, not an UPDATE: the triggers do not stop it. On SQLite,
    # DROP COLUMN needs 3.35 or later.
    op.drop_column('pdl_entry', 'scheme')
