"""The master key: a store opened with another key stops at start; rotation re-wraps every
per-person key and keeps every record readable (both backends)."""

from __future__ import annotations

import base64

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.keyring import WrongMasterKey, master_key
from api.settings import Settings, open_registry
from tests import builders

NAME = "Nguyễn Thị Riêng Tư"


def test_a_store_opened_with_another_master_key_fails_at_start(store: Settings) -> None:
    open_registry(store).close()
    assert (store.data_dir / "master.key").exists()
    wrong = store.model_copy(update={"master_key": "A" * 43})
    with pytest.raises(WrongMasterKey):
        open_registry(wrong)
    with pytest.raises(WrongMasterKey), TestClient(create_app(wrong)):
        pass
    open_registry(store).close()


def test_rotating_the_master_key_keeps_every_record_readable(store: Settings) -> None:
    app = open_registry(store)
    sid = builders.request(app, who=builders.official(full_name=NAME)).secondment.id
    new = base64.urlsafe_b64encode(bytes(range(32))).decode()
    assert app.keyring.rotate(master_key(new, store.data_dir)) == 1  # type: ignore[attr-defined]
    app.close()
    with pytest.raises(WrongMasterKey):
        open_registry(store)
    app = open_registry(store.model_copy(update={"master_key": new}))
    assert app.get(sid).official.full_name == NAME
    app.close()
