"""Shared fixtures: a real PostgreSQL database for the session, SQLite files per test, and a
`store` fixture that runs a test once per backend."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from api.settings import Settings, open_registry
from domain.application import SecondmentRegistry
from tests import pgserver


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh database on the machine's server for this test session; dropped afterwards.
    Its name is unique even among sessions of other machines or containers sharing the server
    (a process id alone may repeat there, and creating it drops any database of that name)."""
    try:
        admin = pgserver.admin_url()
    except pgserver.PostgresUnavailable as e:
        pytest.exit(f"PostgreSQL is required for the tests: {e}", returncode=3)
    name = f"secondments_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"  # unique across hosts too
    url = pgserver.create_database(admin, name)
    yield url
    pgserver.drop_database(admin, name)


@pytest.fixture
def pg_url(pg_database: str) -> Iterator[str]:
    """A database URL with a schema of its own for this test (SECONDMENTS_DB_SCHEMA)."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_database, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield f"{pg_database}?schema={schema}"
    with psycopg.connect(pg_database, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for a fresh, empty store: the test runs once on SQLite, once on PostgreSQL."""
    if request.param == "postgres":
        return postgres_settings(request.getfixturevalue("pg_url"), tmp_path)
    return Settings(data_dir=tmp_path / "var")


@pytest.fixture
def pg_store(pg_url: str, tmp_path: Path) -> Settings:
    """Settings for a fresh, empty store on PostgreSQL only."""
    return postgres_settings(pg_url, tmp_path)


def postgres_settings(url: str, tmp_path: Path) -> Settings:
    base, schema = url.split("?schema=")
    return Settings(data_dir=tmp_path / "var", database_url=base, db_schema=schema)


@pytest.fixture
def registry(store: Settings) -> Iterator[SecondmentRegistry]:
    """The application on a fresh store of each backend."""
    app = open_registry(store)
    yield app
    app.close()
