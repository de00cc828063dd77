"""Invitation-only surveys (issue 19): surveys.invitation_only says whether only people
invited from the survey's contact list may respond online; survey_contacts.language is the
language (en or bn) their invitation and reminders are written in.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 10:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invitation_only', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))
    with op.batch_alter_table('survey_contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), server_default='en',
                                      nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_survey_contacts_language_known'), "language IN ('en', 'bn')")


def downgrade():
    with op.batch_alter_table('survey_contacts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_survey_contacts_language_known'), type_='check')
        batch_op.drop_column('language')
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_column('invitation_only')
