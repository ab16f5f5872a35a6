"""A past version read from a decoded snapshot kept in memory (`domain.past`) is not served
after the official's erasure: on each backend, through the HTTP API, in the process that
erased and in another process that learns of the erasure from the log."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings, open_registry
from domain.personal import ERASED
from tests.api.helpers import Api, secondment_body

NAME, PID = "Lường Thị Quá Khứ", "DB-QUAKHU-0419"
ERASE = {"reason": "Yêu cầu xóa dữ liệu của chủ thể", "legal_basis": "Luật 91/2025/QH15 Điều 16"}


@pytest.fixture
def api(store: Settings) -> Iterator[Api]:
    """The app with a snapshot every 2 events, so a short record's past has one."""
    settings = store.model_copy(update={"snapshot_interval": 2})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield Api(client, settings)


def withdrawn(api: Api) -> str:
    """Her secondment, requested and withdrawn (version 2, snapshotted; erasable)."""
    official = {**secondment_body()["official"], "full_name": NAME, "personnel_id": PID}
    sid: str = api.create(official=official)["id"]
    assert api.act(sid, "withdraw").status_code == 200
    return sid


def official_at(api: Api, sid: str, version: int) -> dict[str, Any]:
    r = api.get(f"/v1/secondments/{sid}?version={version}", role="ministry")
    assert r.status_code == 200, r.text
    found: dict[str, Any] = r.json()["official"]
    return found


def erase(api: Api) -> None:
    r = api.client.post(
        f"/v1/people/{PID}/erasure", json=ERASE, headers=api.headers("home_affairs")
    )
    assert r.status_code == 200, r.text


def test_a_cached_past_version_reads_as_erased_after_the_erasure(api: Api) -> None:
    sid = withdrawn(api)
    assert official_at(api, sid, 2)["full_name"] == NAME
    assert (UUID(sid), 2) in api.registry.decoded_snapshots
    erase(api)
    shown = official_at(api, sid, 2)
    assert (shown["full_name"], shown["personnel_id"]) == (ERASED, ERASED)


def test_another_process_drops_its_cached_past_when_it_sees_the_erasure(api: Api) -> None:
    sid = withdrawn(api)
    other = open_registry(api.settings)
    try:
        assert other.get(UUID(sid), version=2).official.full_name == NAME
        assert (UUID(sid), 2) in other.decoded_snapshots
        erase(api)
        other.keyring.forget()  # what its projection runner does on an erasure in the log
        assert (UUID(sid), 2) not in other.decoded_snapshots
        assert other.get(UUID(sid), version=2).official.full_name == ERASED
    finally:
        other.close()
