"""Imports in the background: responses in state 'importing' (hidden until the import's last
short transaction), import state 'importing', and the import's job.

The lead re-points down_revision when merging.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-22 12:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

OLD_STATUS = "status IN ('in_progress', 'submitted')"
NEW_STATUS = "status IN ('in_progress', 'submitted', 'importing')"
OLD_REFERENCE = ("(status = 'submitted' AND reference IS NOT NULL AND submitted_at IS NOT NULL)"
                 " OR (status = 'in_progress' AND reference IS NULL AND submitted_at IS NULL)")
NEW_REFERENCE = ("(status IN ('submitted', 'importing') AND reference IS NOT NULL"
                 " AND submitted_at IS NOT NULL)"
                 " OR (status = 'in_progress' AND reference IS NULL AND submitted_at IS NULL)")
OLD_STATE = "state IN ('uploaded', 'failed', 'imported')"
NEW_STATE = "state IN ('uploaded', 'failed', 'imported', 'importing')"


def _checks(status: str, reference: str, state: str) -> None:
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_responses_status_known'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_responses_submitted_has_reference'), type_='check')
        batch_op.create_check_constraint('status_known', status)
        batch_op.create_check_constraint('submitted_has_reference', reference)
    with op.batch_alter_table('response_imports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_response_imports_state_known'), type_='check')
        batch_op.create_check_constraint('state_known', state)


def upgrade():
    _checks(NEW_STATUS, NEW_REFERENCE, NEW_STATE)
    with op.batch_alter_table('response_imports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('job_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_response_imports_job_id_jobs'), 'jobs',
                                    ['job_id'], ['id'], ondelete='SET NULL')


def downgrade():
    op.execute("DELETE FROM responses WHERE status = 'importing'")
    op.execute("UPDATE response_imports SET state = 'uploaded' WHERE state = 'importing'")
    with op.batch_alter_table('response_imports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_response_imports_job_id_jobs'),
                                 type_='foreignkey')
        batch_op.drop_column('job_id')
    _checks(OLD_STATUS, OLD_REFERENCE, OLD_STATE)
