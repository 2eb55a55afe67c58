"""test runs of design drafts: an instance's own clock, and which draft each test run runs

Revision ID: 0012_test_runs
Revises: 0011_design_drafts

process_instance.clock_offset_seconds is how far a test run's clock has been moved ahead of the
platform's; 0 for every real instance (and only test instances may move it, engine.testclock).
server_session.acting_* say whom a designer acts as in a test run (a test resident or the test
clinician), so the real resident and clinician screens serve them marked TEST.
design_test_run ties a test instance to the draft revision it runs, the test resident and test
clinician it runs for, and the designer who started it.
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_test_runs'
down_revision = '0011_design_drafts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('process_instance') as batch:
        batch.add_column(sa.Column('clock_offset_seconds', sa.BigInteger(), nullable=False,
                                   server_default='0'))
    with op.batch_alter_table('server_session') as batch:
        batch.add_column(sa.Column('acting_kind', sa.String(length=16), nullable=True))
        batch.add_column(sa.Column('acting_id', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('acting_unit_id', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('acting_run_id', sa.String(length=32), nullable=True))
    op.create_table('design_test_run',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('program_id', sa.String(length=32), nullable=False),
    sa.Column('revision_id', sa.String(length=64), nullable=False),
    sa.Column('instance_id', sa.String(length=32), nullable=False),
    sa.Column('resident_id', sa.String(length=32), nullable=False),
    sa.Column('clinician_id', sa.String(length=32), nullable=False),
    sa.Column('started_by', sa.String(length=32), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['design_program.id'],
                            name=op.f('fk_design_test_run_program_id_design_program')),
    sa.ForeignKeyConstraint(['revision_id'], ['design_revision.id'],
                            name=op.f('fk_design_test_run_revision_id_design_revision')),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'],
                            name=op.f('fk_design_test_run_instance_id_process_instance'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_design_test_run')),
    )
    op.create_index(op.f('ix_design_test_run_program_id'), 'design_test_run', ['program_id'])
    op.create_index(op.f('ix_design_test_run_revision_id'), 'design_test_run', ['revision_id'])


def downgrade():
    op.drop_index(op.f('ix_design_test_run_revision_id'), table_name='design_test_run')
    op.drop_index(op.f('ix_design_test_run_program_id'), table_name='design_test_run')
    op.drop_table('design_test_run')
    with op.batch_alter_table('server_session') as batch:
        for column in ('acting_run_id', 'acting_unit_id', 'acting_id', 'acting_kind'):
            batch.drop_column(column)
    with op.batch_alter_table('process_instance') as batch:
        batch.drop_column('clock_offset_seconds')
