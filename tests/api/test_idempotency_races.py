"""An Idempotency-Key is reserved before its command runs: concurrent requests under one key get
one result, and a different request under it is refused even under a race."""

import uuid
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from tests.api.helpers import DECISION, Api, problem_rules, secondment_body

THREADS = 6
TERM = {"start": "2025-10-20", "end": "2026-04-19"}


def together(calls):
    gate = Barrier(len(calls))

    def run(call):
        gate.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def keyed(api: Api, key: str) -> dict[str, str]:
    return {**api.headers("home_affairs"), "Idempotency-Key": key}


def test_concurrent_requests_with_one_key_and_different_bodies_get_one_result(api: Api) -> None:
    key = uuid.uuid4().hex
    bodies = [secondment_body() for _ in range(THREADS)]
    before = api.registry.recorder.max_notification_id() or 0
    responses = together(
        [
            lambda b=b: api.client.post("/v1/secondments", json=b, headers=keyed(api, key))
            for b in bodies
        ]
    )
    created = [r for r in responses if r.status_code == 201]
    assert len(created) == 1
    refused = [r for r in responses if r.status_code != 201]
    assert all(problem_rules(r) == {("idempotency_key_reused", "Idempotency-Key")} for r in refused)
    winner = bodies[responses.index(created[0])]
    assert created[0].json()["official"]["personnel_id"] == winner["official"]["personnel_id"]
    assert api.registry.recorder.max_notification_id() == before + 1


def test_concurrent_repeats_of_one_request_all_get_the_first_response(api: Api) -> None:
    key, body = uuid.uuid4().hex, secondment_body()
    responses = together(
        [lambda: api.client.post("/v1/secondments", json=body, headers=keyed(api, key))] * THREADS
    )
    assert {r.status_code for r in responses} == {201}
    assert len({r.text for r in responses}) == 1
    sid = uuid.UUID(responses[0].json()["id"])
    assert len(list(api.registry.events.get(sid))) == 1


def test_one_key_sent_to_two_secondments_approves_only_one(api: Api) -> None:
    ids = [api.create()["id"] for _ in range(2)]
    key = uuid.uuid4().hex
    body = {"decision": DECISION, **TERM}
    responses = together(
        [
            lambda sid=sid: api.client.post(
                f"/v1/secondments/{sid}/approve", json=body, headers=keyed(api, key)
            )
            for sid in ids
        ]
    )
    assert sorted(r.status_code for r in responses) == [200, 422]
    refused = next(r for r in responses if r.status_code == 422)
    assert problem_rules(refused) == {("idempotency_key_reused", "Idempotency-Key")}
    states = sorted(api.registry.get(uuid.UUID(sid)).state for sid in ids)
    assert states == ["approved", "requested"]


def test_a_decision_replayed_with_another_list_is_422_at_the_door_and_in_the_domain(
    api: Api,
) -> None:
    ids = [api.create()["id"] for _ in range(3)]
    key = uuid.uuid4().hex
    first = {"decision": DECISION, **TERM, "secondment_ids": ids[:2]}
    assert api.client.post("/v1/decisions", json=first, headers=keyed(api, key)).status_code == 200
    other = {**first, "secondment_ids": ids[1:]}
    r = api.client.post("/v1/decisions", json=other, headers=keyed(api, key))
    assert problem_rules(r) == {("idempotency_key_reused", "Idempotency-Key")}
    api.client.app.state.idempotency.db.execute(
        f"DELETE FROM {api.client.app.state.idempotency.table}"
    )
    lost = api.client.post("/v1/decisions", json=other, headers=keyed(api, key))
    assert problem_rules(lost) == {("idempotency_key_reused", "secondment_ids")}
    assert api.registry.get(uuid.UUID(ids[2])).state == "requested"


def test_a_failed_command_releases_its_key_so_a_retry_runs(api: Api) -> None:
    sid = api.create()["id"]
    key = uuid.uuid4().hex
    early = {"decision": DECISION, "start": "2025-10-20", "end": "2035-10-19"}
    failed = api.client.post(f"/v1/secondments/{sid}/approve", json=early, headers=keyed(api, key))
    assert problem_rules(failed) == {("term_limit", "end")}
    body = {"decision": DECISION, **TERM}
    retried = api.client.post(f"/v1/secondments/{sid}/approve", json=body, headers=keyed(api, key))
    assert retried.status_code == 200, retried.text
    again = api.client.post(f"/v1/secondments/{sid}/approve", json=body, headers=keyed(api, key))
    assert again.text == retried.text
    assert len(list(api.registry.events.get(uuid.UUID(sid)))) == 2
