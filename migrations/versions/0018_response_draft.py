"""A response's draft: what a resident typed on one page that is not (yet) an answer.

Kept apart from the answers, so nothing typed is lost when a page has errors (post/redirect/get)
or when the language is switched mid-page, and nothing half-checked is ever counted. Cleared when
the page is saved and when the response is sent; deleted with the response.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 00:35:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draft', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_column('draft')
