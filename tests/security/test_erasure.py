"""Erasure and subject access (Law 91/2025/QH15), on both backends, through the HTTP API.

One official with two secondments (one completed with the host's evaluation quoting her name,
one corrected and withdrawn), another official as the control. Afterwards nothing of hers can be
read anywhere: endpoints, search, exports, reports, read-model tables, stored responses, read
models rebuilt from the log, and (SQLite) the bytes of every file of the data directory."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api.app import create_app
from api.settings import Settings
from domain.personal import ERASED
from tests.api.helpers import Api, assert_problem, secondment_body
from tests.security.scans import rebuild_from_the_log, scan, table_texts

NAME = "Nguyễn Thị Riêng Tư"
PID = "DB-RIENG-0042"
POSITION = "Phó trưởng phòng Công nghệ số"
COMMENT = "Chị Nguyễn Thị Riêng Tư hoàn thành xuất sắc"
OTHER_NAME, OTHER_PID = "Lò Văn Đối Chứng", "DB-DOICHUNG-7"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORTS = ("communes", "agencies", "compliance", "deadlines", "difficulties")
ERASE = {"reason": "Yêu cầu xóa dữ liệu của chủ thể", "legal_basis": "Luật 91/2025/QH15 Điều 16"}


def official(name: str, pid: str) -> dict[str, Any]:
    body = secondment_body()["official"]
    return {**body, "full_name": name, "personnel_id": pid, "position": POSITION}


@pytest.fixture
def api(store: Settings) -> Iterator[Api]:
    settings = store.model_copy(update={"run_projections": True, "run_timers": False})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield Api(client, settings)


def ok(r: Any, status: int = 200) -> dict[str, Any]:
    assert r.status_code == status, r.text
    return dict(r.json())


def lifecycle(api: Api) -> tuple[str, str, int]:
    """Her completed secondment (up to handover: still active), her withdrawn one, and the
    control's active one; the last position."""
    done = api.create(official=official(NAME, PID))["id"]
    ok(api.act(done, "approve"))
    ok(api.act(done, "deploy", role="commune"))
    ok(api.act(done, "reports", role="official", personnel_id=PID))
    ok(api.act(done, "difficulties", role="commune"))
    ok(api.act(done, "handover", role="commune"))
    protected = {**official(NAME, PID), "maternity_protected": True}
    body = secondment_body(official=protected, planned_start="2026-05-01")
    body["planned_end"] = "2026-08-01"
    r = api.client.post(
        "/v1/secondments",
        json=body,
        headers={**api.headers("home_affairs"), "Idempotency-Key": "her-second-request"},
    )
    withdrawn = ok(r, 201)["id"]
    fix = {"version": 1, "changes": {"full_name": NAME + " (đính chính)"}, "reason": "Sai tên"}
    ok(
        api.client.post(
            f"/v1/secondments/{withdrawn}/corrections",
            json=fix,
            headers=api.headers("home_affairs"),
        )
    )
    ok(api.act(withdrawn, "withdraw"))
    other = api.create(official=official(OTHER_NAME, OTHER_PID))["id"]
    last = ok(api.act(other, "approve"))["position"]
    return done, withdrawn, last


def everything(api: Api, sid: str) -> list[dict[str, Any]]:
    return list(ok(api.get(f"/v1/secondments/{sid}/events?limit=500"))["items"])


def answers(api: Api, at: int, sids: list[str]) -> str:
    """Every answer in which her data could appear, as one text."""
    paths = [
        f"/v1/secondments?min_position={at}&limit=500",
        f"/v1/secondments?q=Riêng&min_position={at}",
        f"/v1/audit?min_position={at}&limit=500",
        f"/v1/communes/3194?min_position={at}",
        "/v1/decisions?number=2446/QĐ-UBND",
        *(f"/v1/reports/{name}?min_position={at}" for name in REPORTS),
        *(f"/v1/secondments/{sid}" for sid in sids),
        *(f"/v1/secondments/{sid}/events?limit=500" for sid in sids),
    ]
    texts = [ok(api.get(p, role="ministry")) for p in paths]
    csv = [
        api.client.get(
            f"/v1/reports/{n}", headers={**api.headers("ministry"), "Accept": "text/csv"}
        ).text
        for n in REPORTS
    ]
    return json.dumps(texts, ensure_ascii=False) + "".join(csv)


def forms(text: str) -> list[str]:
    """How a text may be written: as is, and JSON-escaped."""
    return [text, json.dumps(text)[1:-1], text.casefold()]


def assert_absent(text: str) -> None:
    for value in (NAME, PID, COMMENT):
        for form in forms(value):
            at = text.find(form)
            assert at < 0, (form, text[max(0, at - 300) : at + 100])


def assert_present(text: str) -> None:
    for value in (NAME, PID, COMMENT):
        assert value in text, value


def test_erasure_removes_her_from_everything_and_keeps_the_audit(api: Api) -> None:
    done, withdrawn, at = lifecycle(api)
    sids = [done, withdrawn]

    r = api.client.post(
        f"/v1/people/{PID}/erasure", json=ERASE, headers=api.headers("home_affairs")
    )
    assert ("person_has_active_secondment", "personnel_id") in {
        (e["rule"], e["field"]) for e in assert_problem(r, 422)["errors"]
    }
    assert NAME in json.dumps(ok(api.get(f"/v1/people/{PID}", role="ministry")), ensure_ascii=False)
    end = {"ended_on": "2026-04-19", "host_evaluation": {"rating": "excellent", "comment": COMMENT}}
    at = ok(api.act(done, "end", body=end))["position"]
    before = {sid: everything(api, sid) for sid in sids}
    assert_present(answers(api, at, sids))
    assert_present(table_texts(api.settings))

    far = api.client.post(
        f"/v1/people/{PID}/erasure",
        json=ERASE,
        headers=api.headers("home_affairs", province_code=12),
    )
    assert_problem(far, 404)
    refused = api.client.post(
        f"/v1/people/{PID}/erasure", json=ERASE, headers=api.headers("auditor")
    )
    assert_problem(refused, 403)
    erased = ok(
        api.client.post(
            f"/v1/people/{PID.lower()}/erasure", json=ERASE, headers=api.headers("home_affairs")
        )
    )
    assert sorted(erased["secondment_ids"]) == sorted(sids) and erased["keys_destroyed"] == 1
    again = ok(
        api.client.post(f"/v1/people/{PID}/erasure", json=ERASE, headers=api.headers("ministry"))
    )
    assert again["already_erased"] and again["position"] is None
    assert sorted(again["secondment_ids"]) == sorted(sids)
    at = erased["position"]

    assert_problem(api.get(f"/v1/people/{PID}", role="ministry"), 404)
    text = answers(api, at, sids)
    assert_absent(text + table_texts(api.settings))
    assert ERASED in text and OTHER_NAME in text
    after = {sid: everything(api, sid) for sid in sids}
    for sid in sids:
        kept = (
            "position",
            "version",
            "type",
            "recorded_at",
            "effective_on",
            "actor",
            "from_state",
            "to_state",
        )
        assert [{k: e[k] for k in kept} for e in after[sid]] == [
            {k: e[k] for k in kept} for e in before[sid]
        ]
    late = api.act(done, "resolve", role="commune")
    assert ("person_erased", "secondment") in {
        (e["rule"], e["field"]) for e in assert_problem(late, 422)["errors"]
    }
    assert everything(api, done) == after[done]
    official_after = ok(api.get(f"/v1/secondments/{done}"))["official"]
    assert official_after["full_name"] == official_after["personnel_id"] == ERASED
    assert official_after["appraisals"] == [] and official_after["position"] == ERASED

    rebuilt = rebuild_from_the_log(api)
    assert_absent(rebuilt)
    assert OTHER_NAME in rebuilt and ERASED in rebuilt
    if not api.settings.database_url:
        assert_absent(scan(api.settings.data_dir))
        assert OTHER_NAME.encode() in scan(api.settings.data_dir).encode()

    fresh = api.create(official=official(NAME, PID))["id"]
    mine = ok(api.get(f"/v1/people/{PID}", role="ministry"))
    assert [h["secondment"]["id"] for h in mine["secondments"]] == [fresh]
    assert mine["secondments"][0]["secondment"]["official"]["full_name"] == NAME


def test_subject_access_gives_everything_held_about_her(api: Api) -> None:
    done, withdrawn, _ = lifecycle(api)
    reference = {
        sid: {
            "secondment": ok(api.get(f"/v1/secondments/{sid}", role="ministry")),
            "events": everything(api, sid),
        }
        for sid in (done, withdrawn)
    }
    for role, claims in (
        ("ministry", {}),
        ("home_affairs", {}),
        ("official", {"personnel_id": PID.lower()}),
    ):
        mine = ok(api.get(f"/v1/people/{PID}", role=role, **claims))
        got = {h["secondment"]["id"]: h for h in mine["secondments"]}
        assert got.keys() == reference.keys()
        for sid, held in got.items():
            trail = ok(api.get(f"/v1/secondments/{sid}/events?limit=500", role=role, **claims))
            assert held["events"] == trail["items"]
            assert len(held["events"]) == len(reference[sid]["events"])
            view = ok(api.get(f"/v1/secondments/{sid}", role=role, **claims))
            assert held["secondment"]["official"] == view["official"]

    def declared(role: str, **claims: Any) -> list[Any]:
        mine = ok(api.get(f"/v1/people/{PID}", role=role, **claims))
        held = {h["secondment"]["id"]: h for h in mine["secondments"]}[withdrawn]
        first = held["events"][0]["data"]["official"]
        return [
            held["secondment"]["official"]["maternity_protected"],
            first.get("maternity_protected"),
        ]

    assert declared("ministry") == declared("home_affairs") == [True, True]
    assert declared("official", personnel_id=PID) == [None, None]
    sheet = api.client.get(f"/v1/people/{PID}", headers={**api.headers("ministry"), "Accept": XLSX})
    assert sheet.status_code == 200 and sheet.headers["content-type"] == XLSX
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert len(rows) - 1 == sum(len(r["events"]) for r in reference.values())
    assert {r[0] for r in rows[1:]} == set(reference) and any(
        NAME in (r[-1] or "") for r in rows[1:]
    )
    assert_problem(api.get(f"/v1/people/{PID}", role="home_affairs", province_code=12), 404)
    assert_problem(api.get(f"/v1/people/{PID}", role="official", personnel_id="DB-KHAC-1"), 403)
    assert_problem(api.get(f"/v1/people/{PID}", role="commune"), 403)
    assert_problem(api.get("/v1/people/DB-NOBODY-1", role="ministry"), 404)
