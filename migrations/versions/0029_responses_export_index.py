"""Scale (issue 21): a survey's submitted responses in id order, as the exports stream them and
the partner API pages them by key, read from one index (survey_id, status, id) instead of
sorting every response of the survey.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 14:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.create_index('ix_responses_survey_status_id', ['survey_id', 'status', 'id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_index('ix_responses_survey_status_id')
