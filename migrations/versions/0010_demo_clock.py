"""the demo clock's offset (VARDFLODE_DEMO_CLOCK, the demo only)

Revision ID: 0010_demo_clock
Revises: 0009_pdl_key

One row at most. Every installation has the table; only a process started with
VARDFLODE_DEMO_CLOCK=1 (which production refuses) reads it.
"""
from alembic import op
import sqlalchemy as sa


revision = '0010_demo_clock'
down_revision = '0009_pdl_key'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'demo_clock',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('offset_seconds', sa.BigInteger(), nullable=False),
        sa.Column('moved_at', sa.DateTime(), nullable=True),
        sa.Column('moved_by', sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade():
    op.drop_table('demo_clock')
