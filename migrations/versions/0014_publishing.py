"""publishing through approval: submissions of design revisions, the approval a published version
needs, and one audit trail per program

Revision ID: 0014_publishing
Revises: 0013_design_coverage

catalogue_approval: no version reaches the catalogue without one (catalogue/approvals.py), and it
names who submitted, who approved and the release notes. program_audit: every lifecycle step of a
program (submitted, sent back, rejected, approved, published, activated, deactivated, moved) with
actor, role, unit and time (R77); no health data. design_submission: a design revision sent for
review, frozen, with its approval process instance.
"""
from alembic import op
import sqlalchemy as sa


revision = '0014_publishing'
down_revision = '0013_design_coverage'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('catalogue_approval',
    sa.Column('version_hash', sa.String(length=64), nullable=False),
    sa.Column('publisher_unit_id', sa.String(length=32), nullable=False),
    sa.Column('program_key', sa.String(length=100), nullable=False),
    sa.Column('version_label', sa.String(length=20), nullable=False),
    sa.Column('change_kind', sa.String(length=8), nullable=False),
    sa.Column('release_notes', sa.Text(), nullable=False),
    sa.Column('submitted_by', sa.String(length=32), nullable=False),
    sa.Column('approved_by', sa.String(length=32), nullable=False),
    sa.Column('approved_at', sa.DateTime(), nullable=False),
    sa.Column('process_instance_id', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['version_hash'], ['program_version.content_hash'],
                            name=op.f('fk_catalogue_approval_version_hash_program_version')),
    sa.ForeignKeyConstraint(['publisher_unit_id'], ['publisher_unit.id'],
                            name=op.f('fk_catalogue_approval_publisher_unit_id_publisher_unit')),
    sa.PrimaryKeyConstraint('version_hash', name=op.f('pk_catalogue_approval')),
    )
    op.create_table('program_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_key', sa.String(length=100), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('actor_id', sa.String(length=32), nullable=True),
    sa.Column('role', sa.String(length=32), nullable=True),
    sa.Column('unit_id', sa.String(length=32), nullable=True),
    sa.Column('version_hash', sa.String(length=64), nullable=True),
    sa.Column('detail', sa.String(length=1000), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program_audit')),
    )
    op.create_index(op.f('ix_program_audit_program_key'), 'program_audit', ['program_key'])
    op.create_table('design_submission',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('program_id', sa.String(length=32), nullable=False),
    sa.Column('revision_id', sa.String(length=64), nullable=False),
    sa.Column('version_hash', sa.String(length=64), nullable=False),
    sa.Column('base_version_hash', sa.String(length=64), nullable=True),
    sa.Column('version_label', sa.String(length=20), nullable=False),
    sa.Column('release_notes', sa.Text(), nullable=False),
    sa.Column('proposed_kind', sa.String(length=8), nullable=False),
    sa.Column('proposed_reason', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('instance_id', sa.String(length=32), nullable=True),
    sa.Column('submitted_by', sa.String(length=32), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by', sa.String(length=32), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('chosen_kind', sa.String(length=8), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['program_id'], ['design_program.id'],
                            name=op.f('fk_design_submission_program_id_design_program')),
    sa.ForeignKeyConstraint(['revision_id'], ['design_revision.id'],
                            name=op.f('fk_design_submission_revision_id_design_revision')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_design_submission')),
    )
    op.create_index(op.f('ix_design_submission_program_id'), 'design_submission', ['program_id'])


def downgrade():
    op.drop_index(op.f('ix_design_submission_program_id'), table_name='design_submission')
    op.drop_table('design_submission')
    op.drop_index(op.f('ix_program_audit_program_key'), table_name='program_audit')
    op.drop_table('program_audit')
    op.drop_table('catalogue_approval')
