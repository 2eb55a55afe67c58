"""task priority from risk flags

Revision ID: 0005_task_priority
Revises: 0004_catalogue
"""
from alembic import op
import sqlalchemy as sa


revision = '0005_task_priority'
down_revision = '0004_catalogue'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority', sa.SmallInteger(), nullable=False, server_default='2'))
        batch_op.drop_index('ix_human_task_role_unit_created')
        batch_op.create_index('ix_human_task_role_unit_priority_created',
                              ['role', 'unit_id', 'priority', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.drop_index('ix_human_task_role_unit_priority_created')
        batch_op.create_index('ix_human_task_role_unit_created', ['role', 'unit_id', 'created_at'], unique=False)
        batch_op.drop_column('priority')
