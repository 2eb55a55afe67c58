"""community: the platform's news with who has seen each item, the designers' network of questions
and answers, and training and implementation-support requests (R71–R74)

Revision ID: 0023_community
Revises: 0022_support

news_item holds release notes and announcements (Markdown, written by national management);
news_seen one row per person and item they opened, so "new since last time" is the items without
a row. network_question/network_answer are the designers' network, per publisher unit or national
(no publisher unit). community_request is a training interest or an implementation-support request
with its process instance.
"""
from alembic import op
import sqlalchemy as sa


revision = '0023_community'
down_revision = '0022_support'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('news_item',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('version_label', sa.String(length=32), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author_id', sa.String(length=32), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['staff.id'], name=op.f('fk_news_item_author_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_news_item')),
    )
    op.create_index(op.f('ix_news_item_published_at'), 'news_item', ['published_at'])
    op.create_table('news_seen',
    sa.Column('staff_id', sa.String(length=32), nullable=False),
    sa.Column('news_id', sa.String(length=32), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_news_seen_staff_id_staff')),
    sa.ForeignKeyConstraint(['news_id'], ['news_item.id'], name=op.f('fk_news_seen_news_id_news_item')),
    sa.PrimaryKeyConstraint('staff_id', 'news_id', name=op.f('pk_news_seen')),
    )
    op.create_table('network_question',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('publisher_unit_id', sa.String(length=32), nullable=True),
    sa.Column('author_id', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('reports_error', sa.Boolean(), nullable=False),
    sa.Column('accepted_answer_id', sa.String(length=32), nullable=True),
    sa.Column('asked_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['publisher_unit_id'], ['publisher_unit.id'],
                            name=op.f('fk_network_question_publisher_unit_id_publisher_unit')),
    sa.ForeignKeyConstraint(['author_id'], ['staff.id'], name=op.f('fk_network_question_author_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_question')),
    )
    op.create_index(op.f('ix_network_question_publisher_unit_id'), 'network_question', ['publisher_unit_id'])
    op.create_index(op.f('ix_network_question_asked_at'), 'network_question', ['asked_at'])
    op.create_table('network_answer',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('question_id', sa.String(length=32), nullable=False),
    sa.Column('author_id', sa.String(length=32), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['network_question.id'],
                            name=op.f('fk_network_answer_question_id_network_question')),
    sa.ForeignKeyConstraint(['author_id'], ['staff.id'], name=op.f('fk_network_answer_author_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_answer')),
    )
    op.create_index(op.f('ix_network_answer_question_id'), 'network_answer', ['question_id'])
    op.create_table('community_request',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('care_provider_id', sa.String(length=32), nullable=False),
    sa.Column('requester_id', sa.String(length=32), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=True),
    sa.Column('preferred_term', sa.String(length=16), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('instance_id', sa.String(length=32), nullable=True),
    sa.Column('outcome_note', sa.Text(), nullable=True),
    sa.Column('handled_by', sa.String(length=32), nullable=True),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('handled_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['care_provider_id'], ['care_provider.id'],
                            name=op.f('fk_community_request_care_provider_id_care_provider')),
    sa.ForeignKeyConstraint(['requester_id'], ['staff.id'], name=op.f('fk_community_request_requester_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_request')),
    )
    for column in ('kind', 'care_provider_id', 'requester_id', 'state', 'instance_id'):
        op.create_index(op.f(f'ix_community_request_{column}'), 'community_request', [column])


def downgrade():
    for column in ('kind', 'care_provider_id', 'requester_id', 'state', 'instance_id'):
        op.drop_index(op.f(f'ix_community_request_{column}'), table_name='community_request')
    op.drop_table('community_request')
    op.drop_index(op.f('ix_network_answer_question_id'), table_name='network_answer')
    op.drop_table('network_answer')
    op.drop_index(op.f('ix_network_question_asked_at'), table_name='network_question')
    op.drop_index(op.f('ix_network_question_publisher_unit_id'), table_name='network_question')
    op.drop_table('network_question')
    op.drop_table('news_seen')
    op.drop_index(op.f('ix_news_item_published_at'), table_name='news_item')
    op.drop_table('news_item')
