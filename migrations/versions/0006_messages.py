"""secure messages

Revision ID: 0006_messages
Revises: 0005_task_priority
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_messages'
down_revision = '0005_task_priority'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('message',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('resident_id', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.String(length=32), nullable=False),
    sa.Column('sender_type', sa.String(length=16), nullable=False),
    sa.Column('sender_id', sa.String(length=32), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_message_resident_id_resident')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_message_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message'))
    )
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_message_unit_id'), ['unit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_unit_id'))
        batch_op.drop_index(batch_op.f('ix_message_resident_id'))
    op.drop_table('message')
