"""The demo data set: the real cases, through the application, loaded twice without change."""

from __future__ import annotations

import csv
from collections import Counter
from typing import Any

import pytest

from api.settings import Settings, open_registry
from domain.secondment import Secondment
from workers import demo


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
        assert (hung.host.ward_code, hung.state) == (3194, "reporting")
        dung = next(s for s in secondments if s.official.full_name == "Nguyễn Quang Dũng")
        assert (dung.host.ward_code, dung.state) == (3356, "handover")
        states = Counter(s.state for s in secondments)
        assert {"deployed", "reporting", "handover", "ended", "rejected", "withdrawn"} <= set(
            states
        )
        assert any(s.ending and s.ending.outcome.value == "recalled" for s in secondments)
        assert registry.commune_needs(3194) is not None
    finally:
        registry.close()
