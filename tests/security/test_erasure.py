"""Erasure and subject access (Law 91/2025/QH15), on both backends, through the HTTP API.

One official with two secondments (one completed with the host's evaluation quoting her name,
one corrected and withdrawn), another official as the control. Afterwards nothing of hers can be
read anywhere: endpoints, search, exports, reports, read-model tables, stored responses, read
models rebuilt from the log, and (SQLite) the bytes of every file of the data directory."""

from __future__ import annotations

import base64
import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api.app import create_app
from api.keyring import WrongMasterKey, master_key
from api.settings import Settings, open_registry, projection_runner
from domain.personal import ERASED
from projections.catalog import ReadModels
from projections.store import open_store
from tests import builders
from tests.api.helpers import Api, assert_problem, secondment_body

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
    body = secondment_body(official=official(NAME, PID), planned_start="2026-05-01")
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


def table_texts(settings: Settings) -> str:
    """Every row of every table of the event store and the read store, as text."""
    if not settings.database_url:
        out = []
        for path in (settings.data_dir / "secondments.db", settings.data_dir / "readmodels.db"):
            with sqlite3.connect(path) as conn:
                names = [
                    r[0]
                    for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                ]
                for name in names:
                    for row in conn.execute(f'SELECT * FROM "{name}"'):
                        out.append(
                            repr(
                                [
                                    bytes(v).decode("utf-8", "replace")
                                    if isinstance(v, bytes)
                                    else v
                                    for v in row
                                ]
                            )
                        )
        return "\n".join(out)
    with psycopg.connect(settings.database_url) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                (settings.db_schema,),
            )
        ]
        out = []
        for name in names:
            for (text,) in conn.execute(
                f'SELECT row_to_json(t)::text FROM "{settings.db_schema}"."{name}" t'
            ):
                out.append(text.replace("\\\\x", "\\x"))
                out.append(_unhex(text))
        return "\n".join(out)


def _unhex(text: str) -> str:
    """bytea columns (the events' state) as the text they hold."""
    found = []
    for part in text.split('"\\\\x')[1:]:
        found.append(bytes.fromhex(part.split('"')[0]).decode("utf-8", "replace"))
    return "\n".join(found)


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


def rebuild_from_the_log(api: Api) -> str:
    """Every read model built afresh (new tables) from the log, as text."""
    apart = {"readmodels_path": api.settings.data_dir / "rebuilt.db"}
    store = open_store(api.settings.model_copy(update=apart), prefix="rb_")
    try:
        ReadModels(store).setup(api.registry)
        projection_runner(api.settings, api.registry, store).catch_up()
        with store.read() as tx:
            if store.postgres:
                names = [
                    r["table_name"]
                    for r in tx.rows(
                        "SELECT table_name FROM information_schema.tables "
                        "WHERE table_schema = ? AND table_name LIKE ?",
                        (api.settings.db_schema, "rb_%"),
                    )
                ]
            else:
                names = [
                    r["name"]
                    for r in tx.rows(
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ?",
                        ("rb_%",),
                    )
                ]
            rows = [tx.rows(f"SELECT * FROM {store.table(n)}") for n in names]
        return json.dumps(rows, ensure_ascii=False, default=str)
    finally:
        store.close()


def scan(data_dir: Path) -> str:
    """The bytes of every file of the data directory (as latin-1 text, so bytes match bytes)."""
    return "".join(
        p.read_bytes().decode("utf-8", "replace") for p in data_dir.rglob("*") if p.is_file()
    )


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
            assert held["events"] == reference[sid]["events"]
            assert held["secondment"]["official"] == reference[sid]["secondment"]["official"]
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
