"""History by business date through HTTP: one record `on` a day (and as known `as_of` a
moment), the list `active_on` a day, and a commune and the reports `on` a day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.api.helpers import BODIES, Api, assert_problem


@pytest.fixture
def qapi(store: Settings) -> Iterator[Api]:
    settings = store.model_copy(update={"run_projections": True, "min_position_timeout": 5.0})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield Api(client, settings)


def ok(r: Any) -> Any:
    assert r.status_code == 200, r.text
    return r.json()


def test_a_record_on_a_business_day(qapi: Api) -> None:
    s = qapi.create(requested_on="2025-10-01")
    sid = s["id"]
    ok(qapi.act(sid, "approve"))
    before_arrival = datetime.now(UTC)
    deployed = ok(qapi.act(sid, "deploy", "commune"))
    path = f"/v1/secondments/{sid}"
    assert_problem(qapi.get(f"{path}?on=2025-09-30"), 404)
    assert ok(qapi.get(f"{path}?on=2025-10-01"))["state"] == "requested"
    assert ok(qapi.get(f"{path}?on=2025-10-17"))["state"] == "approved"
    on_arrival = ok(qapi.get(f"{path}?on=2025-10-21"))
    assert (on_arrival["state"], on_arrival["arrived_on"]) == ("deployed", "2025-10-21")
    assert on_arrival["version"] == deployed["version"]
    known = qapi.client.get(
        path,
        params={"on": "2025-10-21", "as_of": before_arrival.isoformat()},
        headers=qapi.headers("home_affairs"),
    )
    assert ok(known)["state"] == "approved"
    r = qapi.get(f"{path}?on=2025-10-21&version=1")
    assert_problem(r, 422)
    r = qapi.get(f"{path}?on=21/10/2025")
    assert_problem(r, 422)


def test_lists_communes_and_agencies_on_a_business_day(qapi: Api) -> None:
    early = qapi.create(requested_on="2025-10-01")
    ok(qapi.act(early["id"], "approve"))
    ok(qapi.act(early["id"], "deploy", "commune"))
    recall = {**BODIES["recall"], "ended_on": "2025-12-15"}
    last = ok(qapi.act(early["id"], "recall", "home_affairs", body=recall))
    later = qapi.create(requested_on="2025-12-01")
    wait = f"min_position={last['position']}"

    def ids(day: str) -> set[str]:
        found = ok(qapi.get(f"/v1/secondments?active_on={day}&ward_code=3194&{wait}"))
        return {i["id"] for i in found["items"]}

    assert ids("2025-10-20") == set()
    assert ids("2025-12-01") == {early["id"]}
    assert ids("2025-12-15") == set()
    commune = ok(qapi.get(f"/v1/communes/3194?on=2025-12-01&{wait}"))
    assert [a["id"] for a in commune["active_secondments"]] == [early["id"]]
    assert ok(qapi.get(f"/v1/communes/3194?on=2025-12-16&{wait}"))["active"] == 0
    report = ok(qapi.get(f"/v1/reports/communes?on=2025-12-01&ward_code=3194&{wait}"))
    assert [(r["ward_code"], r["active"]) for r in report["items"]] == [(3194, 1)]
    agencies = ok(qapi.get(f"/v1/reports/agencies?on=2025-12-01&{wait}"))["items"]
    assert [(a["requested"], a["active"], a["pending"]) for a in agencies] == [(2, 1, 1)]
    agencies = ok(qapi.get(f"/v1/reports/agencies?on=2025-12-20&{wait}"))["items"]
    assert [(a["recalled"], a["pending"]) for a in agencies] == [(1, 1)]
    assert later["id"] not in ids("2025-12-20")
