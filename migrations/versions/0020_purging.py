"""purging of working material (gallring, R44–R47): rules, journal confirmations, run reports

Revision ID: 0020_purging
Revises: 0019_agreement_ended

purge_rule holds a care provider's rule per program kind, journal_transfer a clinician's
confirmation that an ended program's essentials are in the record, purge_run one report per run
(purging/models.py). process_instance.purged_at marks a tombstone: its state is emptied.
"""
from alembic import op
import sqlalchemy as sa


revision = '0020_purging'
down_revision = '0019_agreement_ended'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('purge_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('care_provider_id', sa.String(length=32), nullable=False),
    sa.Column('program_kind', sa.String(length=32), nullable=False),
    sa.Column('needs_confirmation', sa.Boolean(), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['care_provider_id'], ['care_provider.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('care_provider_id', 'program_kind')
    )
    op.create_table('journal_transfer',
    sa.Column('instance_id', sa.String(length=32), nullable=False),
    sa.Column('confirmed_by', sa.String(length=32), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('instance_id')
    )
    op.create_table('purge_run',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('care_provider_id', sa.String(length=32), nullable=False),
    sa.Column('instance_id', sa.String(length=32), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('planned', sa.Integer(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('batches', sa.Integer(), nullable=False),
    sa.Column('cursor', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['care_provider_id'], ['care_provider.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('purge_run', schema=None) as batch_op:
        batch_op.create_index('ix_purge_run_care_provider_id', ['care_provider_id'], unique=False)
        batch_op.create_index('ix_purge_run_instance_id', ['instance_id'], unique=False)
        batch_op.create_index('ix_purge_run_state', ['state'], unique=False)
    with op.batch_alter_table('process_instance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('process_instance', schema=None) as batch_op:
        batch_op.drop_column('purged_at')
    op.drop_table('purge_run')
    op.drop_table('journal_transfer')
    op.drop_table('purge_rule')
