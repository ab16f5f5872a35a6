"""`GET /metrics`: the Prometheus text format for the admin role, and its values move with
the commands, requests, idempotent replays and read models."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from tests.api.helpers import BODIES, Api, assert_problem


def scrape(api: Api) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics, by name and labels."""
    r = api.get("/metrics", "admin")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain; version=")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(r.text)
        for s in family.samples
    }


def value(found: dict, name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def test_only_the_admin_reads_the_metrics(api: Api) -> None:
    assert_problem(api.client.get("/metrics"), 401)
    for role in ("ministry", "home_affairs", "auditor"):
        assert_problem(api.get("/metrics", role), 403)
    assert scrape(api)


def test_commands_and_requests_are_counted_by_action_outcome_and_route(api: Api) -> None:
    before = scrape(api)
    sid = api.create()["id"]
    assert api.act(sid, "approve").status_code == 200
    assert api.act(sid, "approve").status_code == 409
    after = scrape(api)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("secondments_command_seconds_count", action="request", outcome="ok") == 1
    assert moved("secondments_command_seconds_count", action="approve", outcome="ok") == 1
    failed = {"action": "approve", "outcome": "illegal_transition"}
    assert moved("secondments_command_seconds_count", **failed) == 1
    assert moved("secondments_command_seconds_sum", **failed) > 0
    route = "/v1/secondments/{secondment_id}/approve"
    assert moved("secondments_http_requests_total", method="POST", route=route, status="409") == 1
    assert moved("secondments_http_requests_total", method="POST", route=route, status="200") == 1
    listed = {"method": "GET", "route": "/metrics", "status": "200"}
    assert moved("secondments_http_requests_total", **listed) == 1


def test_idempotent_replays_and_refusals_are_counted(api: Api) -> None:
    sid = api.create()["id"]
    key = {"Idempotency-Key": "metrics-approve-1"}
    before = scrape(api)
    assert api.act(sid, "approve", headers=key).status_code == 200
    assert api.act(sid, "approve", headers=key).status_code == 200
    other = {**BODIES["approve"], "end": "2026-03-01"}
    assert_problem(api.act(sid, "approve", body=other, headers=key), 422)
    after = scrape(api)
    for result, times in (("replayed", 1), ("refused", 1)):
        moved = value(after, "secondments_idempotency_hits_total", result=result) - value(
            before, "secondments_idempotency_hits_total", result=result
        )
        assert moved == times, result
    approvals = ("secondments_command_seconds_count", {"action": "approve", "outcome": "ok"})
    assert (
        value(after, approvals[0], **approvals[1]) - value(before, approvals[0], **approvals[1])
        == 1
    )


def test_read_model_positions_and_lag_follow_the_log(api: Api) -> None:
    created = api.create()
    position = created["position"]
    embedded = api.settings.runs_projections
    if embedded:
        waited = api.get(f"/v1/secondments?min_position={position}", "ministry")
        assert waited.status_code == 200
    found = scrape(api)
    assert value(found, "secondments_log_head") == position
    for model in ("secondments", "audit", "deadlines"):
        lag = value(found, "secondments_projection_lag_events", model=model)
        seen = value(found, "secondments_projection_position", model=model)
        assert (seen, lag) == ((position, 0) if embedded else (0, position)), model
        assert value(found, "secondments_projection_state", model=model, state="live") == 1
    if api.settings.uses_postgres:
        assert value(found, "secondments_db_pool_connections", pool="events", kind="open") >= 1
        assert (
            value(found, "secondments_db_pool_connections", pool="read_models", kind="in_use") >= 0
        )
