"""Scale (issue 21): the Ask the Mayor moderation queue paged by key needs an index in its
order, (created_at, id), so that any page reads only its own rows from the index.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 11:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mayor_questions', schema=None) as batch_op:
        batch_op.create_index('ix_mayor_questions_created_at_id', ['created_at', 'id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('mayor_questions', schema=None) as batch_op:
        batch_op.drop_index('ix_mayor_questions_created_at_id')
