"""Idempotency-Key: a repeat replays the first response and records nothing new."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.api.helpers import BODIES, Api, assert_problem, problem_rules, secondment_body
from workers.timers import purge_replays


def _events(api: Api, sid: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = api.get(f"/v1/secondments/{sid}/events").json()["items"]
    return items


def _post(api: Api, path: str, body: dict[str, Any], key: str, role: str = "ministry") -> Any:
    headers = {**api.headers(role), "Idempotency-Key": key}
    return api.client.post(path, json=body, headers=headers)


def test_a_repeated_create_replays_the_first_response(api: Api) -> None:
    body = secondment_body()
    first = _post(api, "/v1/secondments", body, "tao-de-nghi-1")
    again = _post(api, "/v1/secondments", body, "tao-de-nghi-1")
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again.headers["location"] == first.headers["location"]
    assert len(_events(api, first.json()["id"])) == 1
    assert api.registry.recorder.max_notification_id() == first.json()["position"]


def test_a_repeated_command_records_one_event(api: Api) -> None:
    sid = api.create()["id"]
    first = _post(api, f"/v1/secondments/{sid}/approve", BODIES["approve"], "duyet-1")
    again = _post(api, f"/v1/secondments/{sid}/approve", BODIES["approve"], "duyet-1")
    assert again.status_code == 200 and again.content == first.content
    assert again.headers["etag"] == '"2"'
    assert [e["type"] for e in _events(api, sid)] == ["Requested", "Approved"]


def test_the_same_key_with_another_body_is_422(api: Api) -> None:
    _post(api, "/v1/secondments", secondment_body(), "k-1")
    r = _post(api, "/v1/secondments", secondment_body(reason="Lý do khác"), "k-1")
    assert problem_rules(r) == {("idempotency_key_reused", "Idempotency-Key")}


def test_keys_are_scoped_per_token_subject(api: Api) -> None:
    body = secondment_body()
    first = _post(api, "/v1/secondments", body, "k-2", role="ministry")
    other = _post(api, "/v1/secondments", body, "k-2", role="home_affairs")
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]


def test_the_domain_dedupes_when_the_stored_response_is_lost(api: Api) -> None:
    sid = api.create()["id"]
    first = _post(api, f"/v1/secondments/{sid}/approve", BODIES["approve"], "mat-1")
    database = api.client.app.state.database  # type: ignore[attr-defined]
    database.execute(f"DELETE FROM {database.table('api_idempotency')}")
    again = _post(api, f"/v1/secondments/{sid}/approve", BODIES["approve"], "mat-1")
    assert again.status_code == 200
    assert again.json()["version"] == 2 and again.json()["position"] == first.json()["position"]
    assert len(_events(api, sid)) == 2


def test_failures_are_not_stored(api: Api) -> None:
    sid = api.create()["id"]
    refused = _post(api, f"/v1/secondments/{sid}/deploy", BODIES["deploy"], "sai-1")
    assert_problem(refused, 409)
    api.act(sid, "approve")
    later = _post(api, f"/v1/secondments/{sid}/deploy", BODIES["deploy"], "sai-1")
    assert later.status_code == 200


def test_stored_responses_are_kept_by_pseudonym_expire_and_are_purged(api: Api) -> None:
    body = secondment_body()
    first = _post(api, "/v1/secondments", body, "het-han-1")
    database = api.client.app.state.database  # type: ignore[attr-defined]
    table = database.table("api_idempotency")
    subjects = [r["subject"] for r in database.query(f"SELECT subject FROM {table}")]
    assert len(subjects) == 1 and "ministry-tester" not in subjects[0]
    now = datetime.now(UTC)
    settings = api.settings
    assert purge_replays(api.registry, settings, now) == 0
    assert _post(api, "/v1/secondments", body, "het-han-1").content == first.content

    hours = settings.idempotency_ttl_hours
    database.execute(
        f"UPDATE {table} SET created_at = ?", ((now - timedelta(hours=hours + 1)).isoformat(),)
    )
    other = secondment_body(reason="Lý do khác")
    assert _post(api, "/v1/secondments", other, "het-han-1").status_code == 201
    assert _post(api, "/v1/secondments", other, "het-han-1").status_code == 201
    assert problem_rules(_post(api, "/v1/secondments", body, "het-han-1")) == {
        ("idempotency_key_reused", "Idempotency-Key")
    }
    assert purge_replays(api.registry, settings, now) == 0
    assert purge_replays(api.registry, settings, now + timedelta(hours=hours + 1)) == 1
    assert database.query(f"SELECT COUNT(*) AS n FROM {table}")[0]["n"] == 0
