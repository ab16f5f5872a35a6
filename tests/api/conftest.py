"""Fixtures of the API tests: the app through TestClient (so the lifespan runs), per backend."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.api.helpers import Api
from tests.conftest import postgres_settings


@pytest.fixture
def api(store: Settings) -> Iterator[Api]:
    """A fresh app on a fresh store, once per backend."""
    with TestClient(create_app(store), raise_server_exceptions=False) as client:
        yield Api(client, store)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def shared_api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Api]:
    """One app per backend for a whole module of many small cases (the role table)."""
    tmp: Path = tmp_path_factory.mktemp("api")
    if request.param == "sqlite":
        settings = Settings(data_dir=tmp / "var")
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            yield Api(client, settings)
        return
    database: str = request.getfixturevalue("pg_database")
    schema = f"m_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    settings = postgres_settings(f"{database}?schema={schema}", tmp)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield Api(client, settings)
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
