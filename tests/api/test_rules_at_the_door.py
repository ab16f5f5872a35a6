"""Rules refused at the door with the rule named, and refusals that name only what the caller
may read. Every refusal records nothing."""

import unicodedata
import uuid
from datetime import datetime, timedelta

import pytest

from domain.application import VIETNAM
from tests.api.helpers import DECISION, Api, assert_problem, problem_rules, secondment_body

QUANG_NGAI = {"province_code": 48, "ward_code": 20455}
NEXT_TERM = {"start": "2026-05-01", "end": "2026-10-31"}
TERM_BODY = {"start": "2025-10-20", "end": "2026-04-19"}


def tomorrow() -> str:
    return (datetime.now(VIETNAM).date() + timedelta(days=1)).isoformat()


def events(api: Api, sid: str) -> int:
    return len(list(api.registry.events.get(uuid.UUID(sid))))


def _deployed(api: Api, **overrides) -> str:
    sid = api.create(**overrides)["id"]
    assert api.act(sid, "approve").status_code == 200
    assert api.act(sid, "deploy").status_code == 200
    return sid


@pytest.mark.parametrize(
    ("planned", "rule"),
    [
        ({"planned_start": "2025-10-20", "planned_end": "2035-10-19"}, "term_limit"),
        ({"planned_start": "2020-01-01", "planned_end": "2020-06-30"}, "term_after_two_tier_units"),
    ],
)
def test_a_request_no_approval_could_grant_is_refused(api: Api, planned, rule) -> None:
    body = secondment_body(**planned)
    before = api.registry.recorder.max_notification_id()
    r = api.client.post("/v1/secondments", json=body, headers=api.headers("home_affairs"))
    field = "planned_end" if rule == "term_limit" else "planned_start"
    assert problem_rules(r) == {(rule, field)}
    assert api.registry.recorder.max_notification_id() == before


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("approve", lambda d: {"decision": {**DECISION, "date": d}, **TERM_BODY}, "decision.date"),
        ("deploy", lambda d: {"arrived_on": d}, "arrived_on"),
        ("recall", lambda d: {"ended_on": d, "reason": "Cần", "initiated_by": "host"}, "ended_on"),
    ],
)
def test_facts_dated_after_today_in_vietnam_are_refused(api: Api, action, body, field) -> None:
    sid = api.create()["id"]
    if action != "approve":
        assert api.act(sid, "approve", body={**TERM_BODY, "decision": DECISION}).status_code == 200
    if action == "recall":
        assert api.act(sid, "deploy").status_code == 200
    before = events(api, sid)
    r = api.act(sid, action, body=body(tomorrow()))
    assert problem_rules(r) == {("effective_date_in_future", field)}
    assert events(api, sid) == before


def test_the_same_report_period_twice_is_refused(api: Api) -> None:
    sid = _deployed(api)
    assert api.act(sid, "reports", role="official", personnel_id=_pid(api, sid)).status_code == 200
    before = events(api, sid)
    again = api.act(sid, "reports", role="official", personnel_id=_pid(api, sid))
    assert problem_rules(again) == {("report_period_duplicate", "period_start")}
    assert events(api, sid) == before


def _pid(api: Api, sid: str) -> str:
    return api.registry.get(uuid.UUID(sid)).official.personnel_id


def test_an_overlap_names_the_other_record_only_to_those_who_may_read_it(api: Api) -> None:
    person = f"QN-{uuid.uuid4().hex[:8]}"
    official = {**_official(api), "personnel_id": person}
    elsewhere = api.create("ministry", official=official, host=QUANG_NGAI, home_agency="Sở Nội vụ")
    assert api.act(elsewhere["id"], "approve", role="ministry").status_code == 200
    spelled = unicodedata.normalize("NFD", person.lower())
    here = api.create(official={**official, "personnel_id": spelled})["id"]
    mine = api.act(here, "approve")
    problem = assert_problem(mine, 422)
    assert problem_rules(mine) == {("one_active_secondment", "official.personnel_id")}
    assert elsewhere["id"] not in mine.text
    assert api.get(f"/v1/secondments/{elsewhere['id']}").status_code == 404
    assert problem["errors"][0]["message"] == "refused by the rule one_active_secondment"
    ministry = api.act(here, "approve", role="ministry")
    assert problem_rules(ministry) == {("one_active_secondment", "official.personnel_id")}
    assert elsewhere["id"] in ministry.text
    assert (
        api.act(
            here, "approve", role="ministry", body={**NEXT_TERM, "decision": DECISION}
        ).status_code
        == 200
    )


def test_an_official_reads_their_record_under_another_spelling_of_their_id(api: Api) -> None:
    person = f"HÀ-{uuid.uuid4().hex[:6]}"
    sid = api.create(official={**_official(api), "personnel_id": person})["id"]
    claim = unicodedata.normalize("NFD", f" {person.lower()} ")
    assert api.get(f"/v1/secondments/{sid}", role="official", personnel_id=claim).status_code == 200
    stranger = api.get(f"/v1/secondments/{sid}", role="official", personnel_id=person + "x")
    assert stranger.status_code == 404


def _official(_api: Api) -> dict:
    return secondment_body()["official"]


def test_a_decision_dated_after_today_approves_nothing(api: Api) -> None:
    ids = [api.create()["id"] for _ in range(2)]
    body = {"decision": {**DECISION, "date": tomorrow()}, **TERM_BODY, "secondment_ids": ids}
    r = api.client.post("/v1/decisions", json=body, headers=api.headers("home_affairs"))
    assert problem_rules(r) == {("effective_date_in_future", "decision.date")}
    assert [events(api, sid) for sid in ids] == [1, 1]


def test_an_extension_into_the_same_officials_next_term_is_refused(api: Api) -> None:
    official = _official(api)
    first = _deployed(api, official=official)
    later = api.create(official=official)["id"]
    assert api.act(later, "approve", body={**NEXT_TERM, "decision": DECISION}).status_code == 200
    before = events(api, first)
    r = api.act(first, "extend")
    assert problem_rules(r) == {("one_active_secondment", "new_end")}
    assert events(api, first) == before
