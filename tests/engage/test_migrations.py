"""The models and the migrations agree: a freshly migrated database matches the metadata."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask

from engage.extensions import db


def test_migrations_match_the_models(app: Flask) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "render_as_batch": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []
