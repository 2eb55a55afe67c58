"""import reports: what the platform does not run of a BPMN file imported from another tool

Revision ID: 0015_import_reports
Revises: 0014_publishing

design_import_report holds one row per imported draft, keyed by its first revision: the file's
name and the report as JSON ([{element, kind, name, findings}], design/import_report.py). It is
kept rather than recomputed because the other tool's settings removed on import are no longer in
the revision's files.
"""
from alembic import op
import sqlalchemy as sa


revision = '0015_import_reports'
down_revision = '0014_publishing'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('design_import_report',
    sa.Column('revision_id', sa.String(length=64), nullable=False),
    sa.Column('program_id', sa.String(length=32), nullable=False),
    sa.Column('source_name', sa.String(length=200), nullable=False),
    sa.Column('entries', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['revision_id'], ['design_revision.id'],
                            name=op.f('fk_design_import_report_revision_id_design_revision')),
    sa.ForeignKeyConstraint(['program_id'], ['design_program.id'],
                            name=op.f('fk_design_import_report_program_id_design_program')),
    sa.PrimaryKeyConstraint('revision_id', name=op.f('pk_design_import_report')),
    )
    op.create_index(op.f('ix_design_import_report_program_id'), 'design_import_report', ['program_id'])


def downgrade():
    op.drop_index(op.f('ix_design_import_report_program_id'), table_name='design_import_report')
    op.drop_table('design_import_report')
