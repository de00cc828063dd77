"""The consultation hub: consultations with their surveys, Ask the Mayor topics, wards, events,
background documents (files kept in the database) and email subscriptions.

The lead re-points down_revision when merging.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 03:46:11

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consultations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('title_bn', sa.String(length=200), nullable=False),
    sa.Column('summary_en', sa.Text(), nullable=False),
    sa.Column('summary_bn', sa.Text(), nullable=False),
    sa.Column('why_en', sa.Text(), nullable=False),
    sa.Column('why_bn', sa.Text(), nullable=False),
    sa.Column('next_en', sa.Text(), nullable=False),
    sa.Column('next_bn', sa.Text(), nullable=False),
    sa.Column('ways_en', sa.Text(), nullable=False),
    sa.Column('ways_bn', sa.Text(), nullable=False),
    sa.Column('organisation', sa.String(length=120), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('results_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("slug <> ''", name=op.f('ck_consultations_slug_not_empty')),
    sa.CheckConstraint("status IN ('draft', 'published', 'closed', 'results')", name=op.f('ck_consultations_status_known')),
    sa.CheckConstraint('closes_on >= opens_on', name=op.f('ck_consultations_closes_after_opening')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultations')),
    sa.UniqueConstraint('slug', name=op.f('uq_consultations_slug'))
    )
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultations_organisation'), ['organisation'], unique=False)
        batch_op.create_index('ix_consultations_status_closes', ['status', 'closes_on'], unique=False)

    op.create_table('consultation_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('filename', sa.String(length=120), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(url <> '') <> (size > 0)", name=op.f('ck_consultation_documents_file_or_link')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_documents_consultation_id_consultations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_documents'))
    )
    with op.batch_alter_table('consultation_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_documents_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('consultation_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('accessibility', sa.Text(), nullable=False),
    sa.CheckConstraint("kind IN ('event', 'group_session')", name=op.f('ck_consultation_events_kind_known')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_events_consultation_id_consultations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_events'))
    )
    with op.batch_alter_table('consultation_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_events_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('consultation_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=True),
    sa.Column('ward', sa.String(length=64), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('nonce', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("consultation_id IS NOT NULL OR ward <> '' OR topic_id IS NOT NULL", name=op.f('ck_consultation_subscriptions_subscribes_to_something')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_subscriptions_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['mayor_topics.id'], name=op.f('fk_consultation_subscriptions_topic_id_mayor_topics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_subscriptions'))
    )
    with op.batch_alter_table('consultation_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_subscriptions_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('consultation_surveys',
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_surveys_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_consultation_surveys_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('consultation_id', 'survey_id', name=op.f('pk_consultation_surveys'))
    )
    op.create_table('consultation_topics',
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_topics_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['mayor_topics.id'], name=op.f('fk_consultation_topics_topic_id_mayor_topics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('consultation_id', 'topic_id', name=op.f('pk_consultation_topics'))
    )
    op.create_table('consultation_wards',
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('ward', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_wards_consultation_id_consultations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('consultation_id', 'ward', name=op.f('pk_consultation_wards'))
    )
    with op.batch_alter_table('consultation_wards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_wards_ward'), ['ward'], unique=False)



def downgrade():
    with op.batch_alter_table('consultation_wards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_wards_ward'))

    op.drop_table('consultation_wards')
    op.drop_table('consultation_topics')
    op.drop_table('consultation_surveys')
    with op.batch_alter_table('consultation_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_subscriptions_consultation_id'))

    op.drop_table('consultation_subscriptions')
    with op.batch_alter_table('consultation_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_events_consultation_id'))

    op.drop_table('consultation_events')
    with op.batch_alter_table('consultation_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_documents_consultation_id'))

    op.drop_table('consultation_documents')
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index('ix_consultations_status_closes')
        batch_op.drop_index(batch_op.f('ix_consultations_organisation'))

    op.drop_table('consultations')
