"""incidents: reports of incidents with the platform (R57–R62, R84) and their evidence files

Revision ID: 0016_incidents
Revises: 0015_import_reports

incident holds one row per report: where and when it happened (page, product, platform version),
what happened and its consequence, the stage the reporter sees, the incident_report instance, and
when the report to Läkemedelsverket was sent. incident_evidence lists the evidence files; their
bytes live in the configured evidence folder outside the web root, under an opaque name.
"""
from alembic import op
import sqlalchemy as sa


revision = '0016_incidents'
down_revision = '0015_import_reports'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('incident',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('reporter_id', sa.String(length=32), nullable=False),
    sa.Column('reporter_care_provider_id', sa.String(length=32), nullable=True),
    sa.Column('product', sa.String(length=32), nullable=False),
    sa.Column('page_url', sa.String(length=2000), nullable=False),
    sa.Column('platform_version', sa.String(length=64), nullable=False),
    sa.Column('observed_at', sa.DateTime(), nullable=False),
    sa.Column('what_happened', sa.Text(), nullable=False),
    sa.Column('consequence', sa.String(length=32), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('instance_id', sa.String(length=32), nullable=True),
    sa.Column('triage_due_at', sa.DateTime(), nullable=True),
    sa.Column('agency_due_at', sa.DateTime(), nullable=True),
    sa.Column('lmv_sent_on', sa.Date(), nullable=True),
    sa.Column('lmv_recorded_by', sa.String(length=32), nullable=True),
    sa.Column('closing_summary', sa.Text(), nullable=True),
    sa.Column('reported_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['reporter_id'], ['staff.id'], name=op.f('fk_incident_reporter_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident')),
    )
    op.create_index(op.f('ix_incident_reporter_id'), 'incident', ['reporter_id'])
    op.create_index(op.f('ix_incident_instance_id'), 'incident', ['instance_id'])
    op.create_table('incident_evidence',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('incident_id', sa.String(length=32), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('media_type', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_incident_evidence_incident_id_incident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_evidence')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_incident_evidence_stored_name')),
    )
    op.create_index(op.f('ix_incident_evidence_incident_id'), 'incident_evidence', ['incident_id'])


def downgrade():
    op.drop_index(op.f('ix_incident_evidence_incident_id'), table_name='incident_evidence')
    op.drop_table('incident_evidence')
    op.drop_index(op.f('ix_incident_instance_id'), table_name='incident')
    op.drop_index(op.f('ix_incident_reporter_id'), table_name='incident')
    op.drop_table('incident')
