"""Business time through HTTP: each fact's business date as its command names it, dates in the
future refused, facts on the state path kept in business-date order, both times in /events."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.api.helpers import (
    BODIES,
    DECISION,
    Api,
    assert_problem,
    problem_rules,
    secondment_body,
)

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def today() -> date:
    return datetime.now(VIETNAM).date()


def tomorrow() -> str:
    return (today() + timedelta(days=1)).isoformat()


def events(api: Api, sid: str) -> list[dict[str, Any]]:
    r = api.get(f"/v1/secondments/{sid}/events")
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


def deployed(api: Api, **request: Any) -> tuple[str, str]:
    s = api.create(**request)
    assert api.act(s["id"], "approve").status_code == 200
    assert api.act(s["id"], "deploy", "commune").status_code == 200
    return s["id"], s["official"]["personnel_id"]


def test_a_request_carries_its_date_or_is_undated(api: Api) -> None:
    dated = api.create(requested_on="2025-10-01")
    undated = api.create()
    assert dated["requested_on"] == "2025-10-01"
    assert undated["requested_on"] is None
    assert events(api, dated["id"])[0]["effective_on"] == "2025-10-01"
    assert events(api, undated["id"])[0]["effective_on"] is None


def test_a_request_dated_tomorrow_is_refused_and_records_nothing(api: Api) -> None:
    before = api.get("/v1/secondments").json()["items"]
    r = api.client.post(
        "/v1/secondments",
        json=secondment_body(requested_on=tomorrow()),
        headers=api.headers("home_affairs"),
    )
    assert problem_rules(r) == {("effective_date_in_future", "requested_on")}
    assert api.get("/v1/secondments").json()["items"] == before


def test_a_decision_before_the_request_is_out_of_order(api: Api) -> None:
    s = api.create(requested_on="2025-10-18")
    r = api.act(s["id"], "approve")
    assert problem_rules(r) == {("effective_date_out_of_order", "decision.date")}
    assert api.get(f"/v1/secondments/{s['id']}").json()["version"] == 1
    undated = api.create()
    assert api.act(undated["id"], "approve").status_code == 200


def test_future_business_dates_are_refused_by_field(api: Api) -> None:
    s = api.create()
    future_decision = {**BODIES["approve"], "decision": {**DECISION, "date": tomorrow()}}
    r = api.act(s["id"], "approve", body=future_decision)
    assert ("effective_date_in_future", "decision.date") in problem_rules(r)
    r = api.act(s["id"], "reject", body={"reason": "x", "effective_on": tomorrow()})
    assert problem_rules(r) == {("effective_date_in_future", "effective_on")}
    sid, pid = deployed(api)
    late = {**BODIES["reports"], "submitted_on": tomorrow()}
    r = api.act(sid, "reports", "official", body=late, personnel_id=pid)
    assert problem_rules(r) == {("effective_date_in_future", "submitted_on")}
    raised = {**BODIES["difficulties"], "effective_on": tomorrow()}
    r = api.act(sid, "difficulties", "commune", body=raised)
    assert problem_rules(r) == {("effective_date_in_future", "effective_on")}
    assert [e["type"] for e in events(api, sid)] == ["Requested", "Approved", "Deployed"]


def test_a_handover_before_the_first_report_is_out_of_order(api: Api) -> None:
    sid, pid = deployed(api)
    report = {**BODIES["reports"], "submitted_on": "2025-11-03"}
    assert api.act(sid, "reports", "official", body=report, personnel_id=pid).status_code == 200
    early = {**BODIES["handover"], "planned_on": "2025-11-02"}
    r = api.act(sid, "handover", "official", body=early, personnel_id=pid)
    body = assert_problem(r, 422)
    assert problem_rules(r) == {("effective_date_out_of_order", "planned_on")}
    assert "2025-11-03" in body["errors"][0]["message"]
    on_time = {**BODIES["handover"], "planned_on": "2025-11-03"}
    assert api.act(sid, "handover", "official", body=on_time, personnel_id=pid).status_code == 200


def test_events_show_business_dates_and_recorded_times(api: Api) -> None:
    sid, pid = deployed(api)
    api.act(sid, "reports", "official", personnel_id=pid)
    default = {k: v for k, v in BODIES["reports"].items() if k != "submitted_on"}
    default |= {"period_start": "2025-10-27", "period_end": "2025-11-02"}
    assert api.act(sid, "reports", "official", body=default, personnel_id=pid).status_code == 200
    api.act(
        sid,
        "difficulties",
        "commune",
        body={**BODIES["difficulties"], "effective_on": "2025-11-05"},
    )
    api.act(sid, "escalate", "commune", body={**BODIES["escalate"], "effective_on": "2025-11-06"})
    trail = events(api, sid)
    dates = [(e["type"], e["effective_on"]) for e in trail]
    assert dates == [
        ("Requested", None),
        ("Approved", "2025-10-17"),
        ("Deployed", "2025-10-21"),
        ("ReportSubmitted", "2025-10-27"),
        ("ReportSubmitted", today().isoformat()),
        ("DifficultyRaised", "2025-11-05"),
        ("DifficultyEscalated", "2025-11-06"),
    ]
    assert all(datetime.fromisoformat(e["recorded_at"]).tzinfo is not None for e in trail)
    record = api.get(f"/v1/secondments/{sid}").json()
    assert record["difficulties"][0]["raised_on"] == "2025-11-05"


def test_needs_carry_their_business_date(api: Api) -> None:
    path = "/v1/communes/3194/needs"
    body = {"fields": ["justice"], "note": "", "effective_on": tomorrow()}
    r = api.client.put(path, json=body, headers=api.headers("commune"))
    assert problem_rules(r) == {("effective_date_in_future", "effective_on")}
    body["effective_on"] = "2025-09-30"
    r = api.client.put(path, json=body, headers=api.headers("commune"))
    assert r.status_code == 200, r.text
    needs = api.registry.commune_needs(3194)
    assert needs.version == 2
    assert api.registry.events.get(needs.id, gt=1).__next__().effective_on == date(2025, 9, 30)
