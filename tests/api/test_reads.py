"""Reads from the event store: past versions, `as_of`, and the audit trail with its actors."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.api.helpers import Api, assert_problem, problem_rules


def test_version_returns_the_past_record(api: Api) -> None:
    sid = api.create()["id"]
    api.act(sid, "approve")
    r = api.get(f"/v1/secondments/{sid}?version=1")
    assert (r.json()["state"], r.json()["version"], r.headers["etag"]) == ("requested", 1, '"1"')
    assert r.json()["allowed_actions"] == []
    now = api.get(f"/v1/secondments/{sid}").json()
    assert (now["state"], now["allowed_actions"]) == ("approved", ["withdraw", "deploy"])
    assert_problem(api.get(f"/v1/secondments/{sid}?version=9"), 404)


def test_as_of_returns_the_record_as_it_stood(api: Api) -> None:
    sid = api.create()["id"]
    api.act(sid, "approve")
    events = api.get(f"/v1/secondments/{sid}/events").json()["items"]
    requested_at = datetime.fromisoformat(events[0]["recorded_at"])
    at = requested_at + (datetime.fromisoformat(events[1]["recorded_at"]) - requested_at) / 2
    in_hanoi = at.astimezone(datetime.now().astimezone().tzinfo).isoformat()
    r = api.client.get(
        f"/v1/secondments/{sid}",
        params={"as_of": in_hanoi},
        headers=api.headers("home_affairs"),
    )
    assert r.json()["state"] == "requested", r.text
    before = (requested_at - timedelta(days=1)).isoformat()
    old = api.client.get(
        f"/v1/secondments/{sid}", params={"as_of": before}, headers=api.headers("ministry")
    )
    assert_problem(old, 404)


def test_naive_as_of_and_both_selectors_are_422(api: Api) -> None:
    sid = api.create()["id"]
    naive = api.get(f"/v1/secondments/{sid}?as_of=2025-12-01T00:00:00")
    assert {e["field"] for e in assert_problem(naive, 422)["errors"]} == {"as_of"}
    both = api.client.get(
        f"/v1/secondments/{sid}",
        params={"version": 1, "as_of": "2025-12-01T00:00:00+07:00"},
        headers=api.headers("ministry"),
    )
    assert problem_rules(both) == {("one_past_selector", "as_of")}


def test_events_carry_the_actor_from_the_token_and_the_request_id(api: Api) -> None:
    sid = api.create("agency")["id"]
    api.act(sid, "approve", headers={"X-Request-ID": "qd-2446-duyet"})
    items = api.get(f"/v1/secondments/{sid}/events", "auditor").json()["items"]
    first, second = items
    assert first["actor"] == {"sub": "agency-tester", "role": "agency"}
    assert (first["type"], first["from_state"], first["to_state"]) == (
        "Requested",
        None,
        "requested",
    )
    assert first["data"]["official"]["full_name"] == "Đào Duy Hưng"
    assert second["actor"] == {"sub": "home_affairs-tester", "role": "home_affairs"}
    assert (second["type"], second["from_state"], second["to_state"]) == (
        "Approved",
        "requested",
        "approved",
    )
    assert second["correlation_id"] == "qd-2446-duyet"
    assert second["effective_on"] == "2025-10-17"
    assert second["data"]["decision"]["number"] == "2446/QĐ-UBND"


def test_events_page_with_an_opaque_cursor(api: Api) -> None:
    sid = api.create()["id"]
    for action in ("approve", "deploy"):
        api.act(sid, action)
    first = api.get(f"/v1/secondments/{sid}/events?limit=2").json()
    assert [e["version"] for e in first["items"]] == [1, 2]
    second = api.get(f"/v1/secondments/{sid}/events?limit=2&cursor={first['next_cursor']}").json()
    assert ([e["version"] for e in second["items"]], second["next_cursor"]) == ([3], None)
    bad = api.get(f"/v1/secondments/{sid}/events?cursor=not-ours")
    assert problem_rules(bad) == {("cursor_valid", "cursor")}
    too_many = api.get(f"/v1/secondments/{sid}/events?limit=501")
    assert_problem(too_many, 422)
