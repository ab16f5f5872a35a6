"""The demo data set: the real cases, through the application, loaded twice without change."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings, open_registry
from domain.secondment import Secondment
from tests.api.helpers import Api
from workers import demo, timers


def _secondments(registry: Any) -> list[Secondment]:
    found = []
    for notification in registry.recorder.select_notifications(1, 100_000):
        if notification.topic.endswith("Secondment.Requested"):
            found.append(registry.get(notification.originator_id))
    return found


def test_the_demo_loads_the_real_cases_once(
    store: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    people = demo.load_and_print(store)
    first = capsys.readouterr().out
    names = dict(csv.reader(people.open(encoding="utf-8")))
    assert names["ubnd-xa-3194"] == "UBND Xã Nậm Nèn"
    assert names["snv-dien-bien"] == "Sở Nội vụ tỉnh Điện Biên"
    assert not any(sub.startswith("official-") for sub in names)  # no personal data
    demo.load_and_print(store)
    assert "demo loaded: 0 new events" in capsys.readouterr().out
    assert "official (Đào Duy Hưng): ey" in first
    registry = open_registry(store)
    try:
        secondments = _secondments(registry)
        by_decision = Counter(s.decision.number for s in secondments if s.decision)
        assert by_decision["2446/QĐ-UBND"] == 97
        dien_bien = [s for s in secondments if s.decision and s.decision.number == "2446/QĐ-UBND"]
        assert len({s.host.ward_code for s in dien_bien if s.kind.value == "secondment"}) == 45
        assert Counter(s.kind.value for s in dien_bien) == {"secondment": 52, "assignment": 45}
        ministry = [s for s in secondments if s.home_agency == "Bộ Nội vụ"]
        assert len(ministry) == 34 and {s.host.ward_code for s in ministry} == {None}
        assert Counter(s.host.province_code for s in ministry)[79] == 2
        da_nang = [s for s in secondments if s.home_agency == "Sở Nội vụ thành phố Đà Nẵng"]
        assert len(da_nang) == 19 and len({s.official.personnel_id for s in da_nang}) == 15
        hung = next(s for s in secondments if s.official.full_name == "Đào Duy Hưng")
        assert (hung.host.ward_code, hung.state) == (3194, "ended")
        assert (hung.requested_on, hung.arrived_on) == (date(2025, 10, 10), date(2025, 10, 20))
        assert hung.ending is not None and hung.ending.ended_on == date(2026, 4, 19)
        dung = next(s for s in secondments if s.official.full_name == "Nguyễn Quang Dũng")
        assert (dung.host.ward_code, dung.state) == (3356, "ended")
        assert dung.handover_record is not None
        assert dung.handover_record.planned_on == date(2026, 4, 10)
        real = [s for s in secondments if not s.official.personnel_id.startswith("MAU-")]
        assert {s.state for s in real} == {"ended", "rejected", "withdrawn"}
        assert all(s.requested_on is not None for s in secondments)
        weeks = len(hung.reports)
        assert weeks >= 24 and all(r.submitted_on > r.period_end for r in hung.reports)
        wave = [s for s in secondments if s.official.personnel_id.startswith("MAU-")]
        assert {s.decision.number for s in wave if s.decision} == {"MẪU-0001/QĐ-UBND"}
        assert Counter(s.state for s in wave) == {"reporting": 3, "requested": 2}
        assert all("(mẫu)" in s.official.full_name for s in wave)
        assert any(s.ending and s.ending.outcome.value == "recalled" for s in secondments)
        assert registry.commune_needs(3194) is not None
    finally:
        registry.close()


def test_the_demo_by_business_date_and_its_first_timer_pass(store: Settings, tmp_path: Any) -> None:
    """Through the API: 97 officials of decision 2446 at their posts on 1 December 2025,
    Đào Duy Hưng at Nậm Nèn that day; then one timer pass records only what the sample wave
    owes (its one missing weekly report), and a second pass nothing."""
    settings = store.model_copy(update={"run_projections": True, "run_timers": False})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        api = Api(client, settings)
        registry = client.app.state.registry  # type: ignore[attr-defined]
        demo.load(registry)
        at = registry.recorder.max_notification_id()
        wait = f"min_position={at}"
        query = "province_code=11&decision_number=2446/QĐ-UBND&active_on=2025-12-01&limit=500"
        active = api.get(f"/v1/secondments?{query}&{wait}").json()["items"]
        assert len(active) == 97
        now_active = api.get(f"/v1/secondments?state=reporting&state=deployed&{wait}").json()
        assert {i["decision_number"] for i in now_active["items"]} == {"MẪU-0001/QĐ-UBND"}
        hung = next(i for i in active if i["full_name"] == "Đào Duy Hưng")
        then = api.get(f"/v1/secondments/{hung['id']}?on=2025-12-01").json()
        assert (then["state"], then["host"]["ward_name"]) == ("reporting", "Xã Nậm Nèn")
        commune = api.get(f"/v1/communes/3194?on=2025-12-01&{wait}").json()
        assert "Đào Duy Hưng" in [a["full_name"] for a in commune["active_secondments"]]
        read = client.app.state.read_store  # type: ignore[attr-defined]
        first = timers.run_pass(registry, read, datetime.now(UTC), timers.cadences(settings))
        assert dict(first.recorded) == {"ReportOverdue": 1}
        wave = [registry.get(UUID(i["id"])) for i in now_active["items"]]
        flagged = {s.official.personnel_id: len(s.overdue_periods) for s in wave}
        assert flagged == {"MAU-0001": 1, "MAU-0002": 0, "MAU-0003": 0}
        again = timers.run_pass(registry, read, datetime.now(UTC), timers.cadences(settings))
        assert dict(again.recorded) == {}
