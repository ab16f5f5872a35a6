"""Hostile input, written out: oversized and deeply nested bodies, unknown fields, wrong types,
naive timestamps, bad and mismatched unit codes, dates out of order, control characters, long
Vietnamese text, SQL metacharacters in every filter. Each gets a clear problem+json answer and
changes nothing; text within the limits round-trips exactly."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.pagination import encode_cursor
from api.settings import Settings
from tests.api.helpers import BODIES, DECISION, Api, assert_problem, secondment_body

VIETNAMESE = "Người dân xã Nậm Nèn đề nghị hỗ trợ chuyển đổi số, đất đai, tư pháp. "
INJECTIONS = [
    "' OR 1=1 --",
    "'; DROP TABLE rm_secondments; --",
    '" OR ""="',
    "%",
    "_",
    "\\",
    "1; SELECT pg_sleep(5)",
    "') UNION SELECT full_name, personnel_id FROM rm_secondments --",
]
STRING_FILTERS = {
    "/v1/secondments": ["home_agency", "decision_number", "q", "state", "cursor"],
    "/v1/audit": ["actor", "type", "secondment_id", "from", "to", "cursor"],
    "/v1/decisions": ["number"],
    "/v1/reports/agencies": ["cursor"],
    "/v1/reports/deadlines": ["cursor"],
}
TYPED_FILTERS = {
    "/v1/secondments": ["province_code", "ward_code", "field", "kind", "ends_before", "limit"],
    "/v1/audit": ["province_code", "ward_code", "limit"],
    "/v1/reports/communes": ["province_code", "ward_code", "field", "uncovered_only"],
    "/v1/reports/compliance": ["province_code", "ward_code", "overdue_only", "on"],
    "/v1/reports/deadlines": ["within_days", "without_handover", "on"],
    "/v1/reports/difficulties": ["status", "field", "province_code", "escalated_to"],
}


@pytest.fixture
def full(store: Settings) -> Iterator[Api]:
    """A fresh app per backend that also runs the read models in-process."""
    settings = store.model_copy(update={"run_projections": True})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield Api(client, settings)


def _head(api: Api) -> int:
    return int(api.registry.recorder.max_notification_id() or 0)


def _refused(api: Api, body: Any, status: int = 422, **kwargs: Any) -> dict[str, Any]:
    before = _head(api)
    r = api.client.post("/v1/secondments", json=body, headers=api.headers("ministry"), **kwargs)
    problem = assert_problem(r, status)
    assert _head(api) == before, "a refused request recorded something"
    return problem


def _fields(problem: dict[str, Any]) -> set[str]:
    return {e["field"] for e in problem.get("errors", [])}


def test_deeply_nested_and_malformed_json_is_422(api: Api) -> None:
    headers = {**api.headers("ministry"), "Content-Type": "application/json"}
    before = _head(api)
    for raw in (b"[" * 30_000, b'{"a":' * 10_000, b"{", b"\xff\xfe{}", b"null", b"[]", b'"x"'):
        r = api.client.post("/v1/secondments", content=raw, headers=headers)
        assert_problem(r, 422)
    nested: Any = "x"
    for _ in range(200):
        nested = {"deeper": nested}
    _refused(api, secondment_body(reason=nested))
    assert _head(api) == before


def test_unknown_fields_are_named_in_the_422(api: Api) -> None:
    body = secondment_body(actor={"sub": "someone", "role": "ministry"})
    assert "actor" in _fields(_refused(api, body))
    body = secondment_body()
    body["official"]["salary"] = 1
    assert "official.salary" in _fields(_refused(api, body))
    sid = api.create("ministry")["id"]
    r = api.act(sid, "approve", "ministry", body={**BODIES["approve"], "state": "ended"})
    assert "state" in _fields(assert_problem(r, 422))


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("official", "is_leader"), "yes"),
        (("official", "is_leader"), 1),
        (("official", "appraisals", 0, "year"), "2024"),
        (("official", "appraisals", 0, "rating"), "superb"),
        (("official", "category"), None),
        (("host", "province_code"), "11"),
        (("host", "province_code"), 11.5),
        (("host", "ward_code"), True),
        (("fields",), "justice"),
        (("fields",), []),
        (("kind",), "holiday"),
        (("planned_start",), 20251020),
        (("planned_start",), "20/10/2025"),
        (("planned_start",), "2025-10-20T00:00:00+07:00"),
        (("planned_end",), "2026-02-30"),
        (("official", "personnel_id"), "DB 0001; DROP"),
        (("official",), ["Đào Duy Hưng"]),
    ],
)
def test_wrong_types_are_422(api: Api, path: tuple[Any, ...], value: Any) -> None:
    body = secondment_body()
    target = body
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    _refused(api, body)


def test_naive_timestamps_are_refused_everywhere(full: Api) -> None:
    sid = full.create("ministry")["id"]
    for naive in ("2025-10-20T10:00:00", "2025-10-20 10:00"):
        problem = assert_problem(full.get(f"/v1/secondments/{sid}?as_of={naive}", "ministry"), 422)
        assert "as_of" in _fields(problem)
        for bound in ("from", "to"):
            r = full.get(f"/v1/audit?{bound}={naive}", "ministry")
            assert bound in _fields(assert_problem(r, 422))
    aware = "2099-01-01T00:00:00%2B07:00"
    assert full.get(f"/v1/secondments/{sid}?as_of={aware}", "ministry").status_code == 200
    assert full.get("/v1/audit?from=2025-01-01T00:00:00Z", "ministry").status_code == 200
    r = full.act(
        sid, "approve", "ministry", body={**BODIES["approve"], "start": "2025-10-20T08:00"}
    )
    assert_problem(r, 422)


@pytest.mark.parametrize(
    ("host", "field"),
    [
        ({"province_code": 11, "ward_code": 99998}, "host.ward_code"),
        ({"province_code": 48, "ward_code": 3194}, "host.ward_code"),
        ({"province_code": 99, "ward_code": None}, "host.province_code"),
        ({"province_code": 0, "ward_code": 3194}, "host.province_code"),
        ({"province_code": -11, "ward_code": 3194}, "host.province_code"),
    ],
)
def test_unknown_and_mismatched_unit_codes_are_422(
    api: Api, host: dict[str, Any], field: str
) -> None:
    problem = _refused(api, secondment_body(host=host))
    assert any(f.startswith(field) for f in _fields(problem)), problem


def test_unit_codes_in_paths(full: Api) -> None:
    assert_problem(full.get("/v1/communes/0", "ministry"), 422)
    assert_problem(full.get("/v1/communes/abc", "ministry"), 422)
    assert_problem(full.get("/v1/communes/99998", "ministry"), 404)
    before = _head(full)
    r = full.client.put(
        "/v1/communes/99998/needs", json={"fields": ["justice"]}, headers=full.headers("ministry")
    )
    assert_problem(r, 422)
    assert _head(full) == before


def test_dates_out_of_order_are_422(api: Api) -> None:
    _refused(api, secondment_body(planned_start="2026-04-19", planned_end="2025-10-20"))
    sid = api.create("ministry")["id"]
    before = _head(api)
    backwards = {"decision": DECISION, "start": "2026-04-19", "end": "2025-10-20"}
    assert_problem(api.act(sid, "approve", "ministry", body=backwards), 422)
    assert api.act(sid, "approve", "ministry").status_code == 200
    assert api.act(sid, "deploy", "ministry").status_code == 200
    before = _head(api)
    report = {**BODIES["reports"], "period_start": "2025-10-26", "period_end": "2025-10-20"}
    pid = api.get(f"/v1/secondments/{sid}", "ministry").json()["official"]["personnel_id"]
    assert_problem(api.act(sid, "reports", "official", body=report, personnel_id=pid), 422)
    early = {**BODIES["extend"], "new_end": "2026-01-01"}
    assert_problem(api.act(sid, "extend", "ministry", body=early), 422)
    assert _head(api) == before


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\ud800"])
def test_control_characters_in_text_are_422(full: Api, bad: str) -> None:
    def refused(path: str, body: dict[str, Any], field: str, method: str = "POST") -> None:
        before = _head(full)
        r = full.client.request(
            method,
            path,
            content=json.dumps(body),  # ASCII with \\u escapes: even a lone surrogate travels
            headers={**full.headers("ministry"), "Content-Type": "application/json"},
        )
        assert field in _fields(assert_problem(r, 422))
        assert _head(full) == before

    refused("/v1/secondments", secondment_body(reason=f"Xã thiếu cán bộ{bad}"), "reason")
    body = secondment_body()
    body["official"]["full_name"] = f"Đào{bad}Duy Hưng"
    refused("/v1/secondments", body, "official.full_name")
    body = secondment_body(home_agency=f"Sở{bad}")
    refused("/v1/secondments", body, "home_agency")
    needs = {"fields": ["justice"], "note": f"Ghi chú{bad}"}
    refused("/v1/communes/3194/needs", needs, "note", "PUT")
    sid = full.create("ministry")["id"]
    refused(f"/v1/secondments/{sid}/reject", {"reason": bad}, "reason")


def test_long_vietnamese_text_round_trips_exactly_and_past_the_limit_is_422(full: Api) -> None:
    nfc = (VIETNAMESE * 40)[:2000]
    nfd = unicodedata.normalize("NFD", nfc)[:2000]
    multiline = "Dòng một\r\nDòng hai\n\tThụt lề — “ngoặc kép” 😀 ₫"
    for reason in (nfc, nfd, multiline):
        created = full.create("ministry", reason=reason)
        assert created["reason"] == reason
        again = full.get(f"/v1/secondments/{created['id']}", "ministry").json()
        assert again["reason"] == reason
        events = full.get(f"/v1/secondments/{created['id']}/events", "ministry").json()
        assert events["items"][0]["data"]["reason"] == reason
    problem = _refused(full, secondment_body(reason=nfc + "ạ"))
    assert "reason" in _fields(problem)
    official = secondment_body()["official"]
    too_long = {**official, "full_name": "Nguyễn Thị Ngọc Ánh " * 11}
    assert "official.full_name" in _fields(_refused(full, secondment_body(official=too_long)))
    name = unicodedata.normalize("NFD", "Nguyễn Thị Ngọc Ánh " * 10)[:200].strip()
    named = full.create("ministry", official={**official, "full_name": name})
    assert named["official"]["full_name"] == name
    listed = full.get(f"/v1/secondments?min_position={_head(full)}&limit=500", "ministry").json()
    assert {i["id"]: i["full_name"] for i in listed["items"]}[named["id"]] == name


def _query(api: Api, path: str, params: dict[str, str]) -> Any:
    return api.client.get(path, params=params, headers=api.headers("ministry"))


def test_sql_metacharacters_in_every_filter_find_nothing_and_break_nothing(full: Api) -> None:
    created = full.create("ministry")
    head = _head(full)
    everything = _query(full, "/v1/secondments", {"min_position": str(head)}).json()["items"]
    assert [i["id"] for i in everything] == [created["id"]]
    for path, names in STRING_FILTERS.items():
        for name in names:
            for value in [*INJECTIONS, "\x00", "a\x00' OR 1=1"]:
                r = _query(full, path, {name: value})
                assert r.status_code in (200, 404, 422), (path, name, value, r.text)
                if r.status_code == 200:
                    assert r.json()["items"] == [], (path, name, value)
                else:
                    assert_problem(r, r.status_code)
    for path, names in TYPED_FILTERS.items():
        for name in names:
            for value in INJECTIONS[:3]:
                assert_problem(_query(full, path, {name: value}), 422)
    again = _query(full, "/v1/secondments", {}).json()["items"]
    assert [i["id"] for i in again] == [created["id"]]
    assert _head(full) == head


def test_numbers_past_any_column_and_forged_cursors_are_422(full: Api) -> None:
    sid = full.create("ministry")["id"]
    huge = str(2**70)
    paths = [
        f"/v1/secondments?province_code={huge}",
        f"/v1/secondments?ward_code=-{huge}",
        f"/v1/audit?province_code={huge}",
        f"/v1/reports/communes?ward_code={huge}",
        f"/v1/reports/agencies?province_code={huge}",
        f"/v1/reports/compliance?province_code={huge}",
        f"/v1/reports/difficulties?ward_code={huge}",
        f"/v1/secondments?min_position={huge}",
        f"/v1/secondments/{sid}?version={huge}",
    ]
    forged = [
        (f"/v1/secondments/{sid}/events", {"after_version": 2**70}),
        ("/v1/secondments", {"seq": 2**70}),
        ("/v1/audit", {"position": -(2**70)}),
        ("/v1/reports/communes", {"ward": 2**70}),
        ("/v1/reports/agencies", {"agency": "\x00"}),
        ("/v1/reports/compliance", {"open": 2**70, "seq": 1}),
        ("/v1/reports/deadlines", {"end": "\x00", "seq": 1}),
        ("/v1/reports/difficulties", {"seq": 2**70}),
        ("/v1/decisions?number=1", {"seq": 2**70}),
    ]
    for path, position in forged:
        joiner = "&" if "?" in path else "?"
        paths.append(f"{path}{joiner}cursor={encode_cursor(position)}")
    for path in paths:
        assert_problem(full.get(path, "ministry"), 422)
