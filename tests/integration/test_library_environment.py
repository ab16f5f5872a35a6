"""The event store is where our settings put it, whatever the process environment says: the
library reads its own keys (PERSISTENCE_MODULE, SQLITE_DBNAME, POSTGRES_*, CIPHER_KEY…), also
prefixed with the application's name, which is our SECONDMENTS_ prefix."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

import httpx
import pytest
from eventsourcing.cryptography import AESCipher
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings, open_registry
from tests.api.helpers import Api, secondment_body
from tests.api.test_server import _environment, serving


def _library_keys(elsewhere: Path) -> dict[str, dict[str, str]]:
    db = str(elsewhere / "moved.db")
    return {
        "persistence": {
            "SECONDMENTS_PERSISTENCE_MODULE": "eventsourcing.popo",
            "PERSISTENCE_MODULE": "eventsourcing.popo",
        },
        "location": {
            "SECONDMENTS_SQLITE_DBNAME": db,
            "SQLITE_DBNAME": db,
            "SECONDMENTS_POSTGRES_SCHEMA": "moved",
            "POSTGRES_SCHEMA": "moved",
        },
        "cipher": {
            "SECONDMENTS_CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher",
            "SECONDMENTS_CIPHER_KEY": AESCipher.create_key(16),
        },
    }


def _assert_stored_where_the_settings_say(store: Settings, sid: str, elsewhere: Path) -> None:
    registry = open_registry(store)
    try:
        assert registry.get(UUID(sid)).official.full_name == "Đào Duy Hưng"
        stored = registry.recorder.select_notifications(start=1, limit=1)
        state = stored[0].state  # JSON as we write it, not encrypted with a key from nowhere;
        assert "thiếu cán bộ".encode() in state  # its personal fields sealed per person
        assert b"Duy" not in state
    finally:
        registry.close()
    assert not list(elsewhere.iterdir())


@pytest.mark.parametrize("keys", ["persistence", "location", "cipher"])
def test_library_keys_in_the_environment_do_not_move_the_store(
    store: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keys: str
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with monkeypatch.context() as environment:
        for name, value in _library_keys(elsewhere)[keys].items():
            environment.setenv(name, value)
        with TestClient(create_app(store), raise_server_exceptions=False) as client:
            sid = Api(client, store).create()["id"]
    _assert_stored_where_the_settings_say(store, sid, elsewhere)


def test_a_served_process_keeps_the_store_its_settings_name(
    store: Settings, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = _environment(store)
    for keys in _library_keys(elsewhere).values():
        env.update(keys)
    with serving(env) as (url, _):
        token = Api(TestClient(create_app(store)), store).token("ministry")
        created = httpx.post(
            f"{url}/v1/secondments",
            json=secondment_body(),
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert created.status_code == 201, created.text
    _assert_stored_where_the_settings_say(store, created.json()["id"], elsewhere)
