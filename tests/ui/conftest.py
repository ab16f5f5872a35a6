"""Fixtures of the dashboard tests: the whole app through TestClient, once per backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.ui.helpers import Dashboard


@pytest.fixture
def ui(store: Settings) -> Iterator[Dashboard]:
    """A fresh app on a fresh store (SQLite, then PostgreSQL), seen through a browser's cookies."""
    with TestClient(create_app(store), raise_server_exceptions=False) as client:
        yield Dashboard(client, store)


@pytest.fixture
def live_ui(store: Settings) -> Iterator[Dashboard]:
    """The app with its projection runner embedded (on both backends), for the read-model pages."""
    settings = store.model_copy(update={"run_projections": True})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield Dashboard(client, settings)
