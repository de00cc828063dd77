"""Sentiment "not scored": a text the sentiment lexicon does not cover (e.g. Bengali) keeps no
score (NULL) on theme_run_texts instead of a neutral-looking 0.0. Existing 0.0 scores of texts
recorded in a language other than English become NULL, since they were never scored.

SQLite rebuilds the table (batch mode) to drop the NOT NULL; foreign keys are switched off
around the rebuild so that dropping the old table cascades nothing.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 21:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def _foreign_keys(on):
    """SQLite: switch foreign keys on or off (a no-op elsewhere)."""
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def upgrade():
    _foreign_keys(False)
    with op.batch_alter_table('theme_run_texts', schema=None) as batch_op:
        batch_op.alter_column('sentiment', existing_type=sa.Float(), nullable=True)
    _foreign_keys(True)
    op.execute(
        "UPDATE theme_run_texts SET sentiment = NULL WHERE sentiment = 0 AND text_id IN "
        "(SELECT id FROM analysis_texts WHERE language NOT IN ('', 'en'))")


def downgrade():
    op.execute("UPDATE theme_run_texts SET sentiment = 0 WHERE sentiment IS NULL")
    _foreign_keys(False)
    with op.batch_alter_table('theme_run_texts', schema=None) as batch_op:
        batch_op.alter_column('sentiment', existing_type=sa.Float(), nullable=False)
    _foreign_keys(True)
