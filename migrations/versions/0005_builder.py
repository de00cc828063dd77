"""Survey builder: drafts, anonymous flag on versions, who may see results

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 11:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('lawful_basis', sa.Text(), nullable=False),
    sa.Column('privacy_notice', sa.Text(), nullable=False),
    sa.Column('retention_days', sa.Integer(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('based_on_version_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('retention_days >= 1', name=op.f('ck_survey_drafts_retention_positive')),
    sa.ForeignKeyConstraint(['based_on_version_id'], ['survey_versions.id'], name=op.f('fk_survey_drafts_based_on_version_id_survey_versions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_drafts_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_drafts')),
    sa.UniqueConstraint('survey_id', name=op.f('uq_survey_drafts_survey_id'))
    )
    with op.batch_alter_table('survey_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymous', sa.Boolean(), server_default=sa.true(), nullable=False))
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('results_roles', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('results_organisations', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_column('results_organisations')
        batch_op.drop_column('results_roles')
    with op.batch_alter_table('survey_versions', schema=None) as batch_op:
        batch_op.drop_column('anonymous')
    op.drop_table('survey_drafts')
