"""An official is known by `personnel_key` in every read model: a token whose personnel_id is
spelt otherwise than the stored one (NFD for NFC, another case, surrounding spaces) sees exactly
that official's secondments in the list, the reports and their exports, and no one else's; the
agencies report counts one official once across two stored spellings."""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from projections.audit import AuditFilter, AuditView
from projections.base import Scope
from tests.api.helpers import BODIES, Api, secondment_body

WARD = {"province_code": 11, "ward_code": 3194}
OTHER = "Bùi Văn Kín"


def _secondment(api: Api, name: str, pid: str, start: str, end: str, deploy: bool) -> str:
    official = {**secondment_body()["official"], "full_name": name, "personnel_id": pid}
    term = {"planned_start": start, "planned_end": end}
    sid: str = api.create("ministry", official=official, host=WARD, **term)["id"]
    approve = {**BODIES["approve"], "start": start, "end": end}
    assert api.act(sid, "approve", "ministry", body=approve).status_code == 200
    if deploy:
        for action in ("deploy", "difficulties"):
            assert api.act(sid, action, "ministry").status_code == 200
    return sid


@pytest.fixture
def world(store: Settings) -> Iterator[tuple[Api, str, dict[str, str]]]:
    """One official under two stored spellings (NFC upper case; NFD lower case), with
    consecutive terms in one agency, and another official deployed beside them."""
    settings = store.model_copy(update={"run_projections": True})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield _world(Api(client, settings))


def _world(api: Api) -> tuple[Api, str, dict[str, str]]:
    pid = f"HÀ-{uuid.uuid4().hex[:8].upper()}"
    nfd_lower = unicodedata.normalize("NFD", pid.lower())
    mine = {
        "deployed": _secondment(api, "Hà Thị Lan", pid, "2025-10-20", "2026-04-19", True),
        "next": _secondment(api, "Hà Thị Lan", nfd_lower, "2026-05-01", "2026-10-31", False),
    }
    _secondment(api, OTHER, f"KIN-{uuid.uuid4().hex[:8]}", "2025-10-20", "2026-04-19", True)
    head = api.registry.recorder.max_notification_id()
    assert api.get(f"/v1/secondments?min_position={head}", "ministry").status_code == 200
    return api, pid, mine


def spellings(pid: str) -> list[str]:
    return [
        unicodedata.normalize("NFD", pid),
        pid.lower(),
        f"  {pid.swapcase()}\t",
        unicodedata.normalize("NFD", f" {pid.lower()} "),
    ]


def _get(api: Api, path: str, pid: str, accept: str = "application/json") -> Any:
    headers = {**api.headers("official", personnel_id=pid), "Accept": accept}
    r = api.client.get(path, headers=headers)
    assert r.status_code == 200, (path, r.text)
    return r.text if accept == "text/csv" else r.json()


def _ids(body: dict[str, Any]) -> set[str]:
    return {i.get("id") or i["secondment_id"] for i in body["items"]}


REPORTS = [
    "/v1/secondments?limit=500",
    "/v1/secondments?active_on=2025-11-15",
    "/v1/reports/compliance?limit=500",
    "/v1/reports/deadlines?within_days=3660&limit=500",
    "/v1/reports/difficulties?limit=500",
    f"/v1/decisions?number={BODIES['approve']['decision']['number']}",
]


def test_an_official_sees_exactly_their_secondments_under_any_spelling(world: Any) -> None:
    api, pid, mine = world
    for path in REPORTS:
        everyone = _ids(api.get(path, "ministry").json())
        assert len(everyone - set(mine.values())) == 1, path
        expected = everyone & set(mine.values())
        assert expected, path
        for spelling in spellings(pid):
            assert _ids(_get(api, path, spelling)) == expected, (path, spelling)
    for on in ("", "&on=2025-11-15"):
        path = f"/v1/reports/communes?limit=500{on}"
        [everyone] = [c["active"] for c in api.get(path, "ministry").json()["items"]]
        for spelling in spellings(pid):
            assert [c["active"] for c in _get(api, path, spelling)["items"]] == [everyone - 1]
        for path in ("/v1/secondments?limit=500", "/v1/reports/difficulties?limit=500"):
            csv = _get(api, path, spelling, "text/csv")
            assert "Hà Thị Lan" in csv and OTHER not in csv, path


def test_the_agencies_report_counts_one_official_once_across_two_spellings(world: Any) -> None:
    api, pid, _ = world
    for role, claims, requested, officials in (
        ("ministry", {}, 3, 2),
        ("official", {"personnel_id": unicodedata.normalize("NFD", pid.lower())}, 2, 1),
    ):
        for on in ("", "&on=2026-06-01"):
            r = api.get(f"/v1/reports/agencies?limit=500{on}", role, **claims)
            assert r.status_code == 200, r.text
            [row] = r.json()["items"]
            assert (row["sent"], row["officials_sent"]) == (requested, officials), (role, on)


def test_the_audit_scope_of_an_official_matches_any_spelling(world: Any) -> None:
    api, pid, mine = world
    view = AuditView(api.client.app.state.read_store)
    for spelling in spellings(pid):
        page = view.search(AuditFilter(), Scope(personnel_id=spelling), 0, 500)
        assert {r["secondment_id"] for r in page.items} == set(mine.values())
