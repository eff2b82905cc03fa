"""The migrations build exactly the models' schema, on SQLite and PostgreSQL."""

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from app.migrations.commands import alembic_config


def _differences(url):
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()


def test_migrations_match_the_models(database_url):
    # database_url is migrated to head by the fixtures (alembic upgrade).
    assert _differences(database_url) == []


def test_one_head_and_a_linear_history():
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


def test_downgrade_to_base_and_back(database_url):
    config = alembic_config(database_url)
    command.downgrade(config, "base")
    engine = sa.create_engine(database_url)
    tables = set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    engine.dispose()
    assert tables == set()
    command.upgrade(config, "head")
    assert _differences(database_url) == []
