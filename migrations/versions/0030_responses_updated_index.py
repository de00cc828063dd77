"""Scale (issue 21): the newest change of a survey's submitted responses read from the end of
one index (survey_id, status, updated_at) instead of every response of the survey, so the data
version that weighted results, the insight report and the fieldwork dashboard are kept by costs
the same at any size.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 17:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.create_index('ix_responses_survey_status_updated',
                              ['survey_id', 'status', 'updated_at'], unique=False)


def downgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_index('ix_responses_survey_status_updated')
