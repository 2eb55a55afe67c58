"""a child's session carries the program it is for; rate counters remember the latest attempt

Revision ID: 0007_signin_scope
Revises: 0006_messages
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_signin_scope'
down_revision = '0006_messages'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('server_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope_instance_id', sa.String(length=32), nullable=True))
    with op.batch_alter_table('rate_counter', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('rate_counter', schema=None) as batch_op:
        batch_op.drop_column('last_at')
    with op.batch_alter_table('server_session', schema=None) as batch_op:
        batch_op.drop_column('scope_instance_id')
