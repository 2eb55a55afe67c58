"""video meetings (R29, R51–R56): one row per opened meeting step

Revision ID: 0021_video
Revises: 0020_purging

video_meeting holds each meeting step's booking with the vendor (video/booking.py): its times,
status, the vendor's id, and the retry state while the vendor is down. Chained on 0019 here; the
chain is fixed on merge.
"""
from alembic import op
import sqlalchemy as sa


revision = '0021_video'
down_revision = '0020_purging'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('video_meeting',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('task_id', sa.String(length=36), nullable=False),
    sa.Column('instance_id', sa.String(length=36), nullable=False),
    sa.Column('element_id', sa.String(length=255), nullable=False),
    sa.Column('subject_id', sa.String(length=32), nullable=True),
    sa.Column('clinician_id', sa.String(length=32), nullable=True),
    sa.Column('unit_id', sa.String(length=32), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('vendor_meeting_id', sa.String(length=128), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
    sa.Column('enqueued_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('task_id'),
    sa.UniqueConstraint('vendor_meeting_id')
    )
    with op.batch_alter_table('video_meeting', schema=None) as batch_op:
        batch_op.create_index('ix_video_meeting_instance_id', ['instance_id'], unique=False)
        batch_op.create_index('ix_video_meeting_subject_id', ['subject_id'], unique=False)
        batch_op.create_index('ix_video_meeting_clinician_id', ['clinician_id'], unique=False)
        batch_op.create_index('ix_video_meeting_status', ['status'], unique=False)
        batch_op.create_index('ix_video_meeting_next_attempt_at', ['next_attempt_at'], unique=False)


def downgrade():
    op.drop_table('video_meeting')
