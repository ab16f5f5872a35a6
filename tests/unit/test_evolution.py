"""Stored shapes of earlier releases read with this one: each upcaster from a hand-written old
row, new rows carry their version, and a stored event that lacks a field is refused loudly."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import StoredEvent

from domain.application import SecondmentRegistry
from domain.errors import StoredShapeError
from domain.evolution import versioned
from domain.personal import about
from domain.secondment import Secondment
from tests.unit import states

D = "date"


def tagged(kind: str, data: Any) -> dict[str, Any]:
    return {"_type_": kind, "_data_": data}


META = tagged(
    "CommandMeta",
    {
        "actor": tagged("Actor", {"sub": "u1", "role": tagged("Role", "agency")}),
        "command_id": "c1",
        "correlation_id": "r1",
    },
)
TERM = tagged("Term", {"start": tagged(D, "2025-10-20"), "end": tagged(D, "2026-04-19")})
OFFICIAL = tagged(
    "Official",
    {
        "full_name": "Đào Duy Hưng",
        "personnel_id": "DB-KHCN-0001",
        "category": tagged("Category", "public_employee"),
        "position": "Phó Trưởng phòng",
        "is_leader": False,
        "in_succession_plan": True,
        "appraisals": [tagged("Appraisal", {"year": 2024, "rating": tagged("Rating", "good")})],
    },
)
STAMP = tagged("datetime_iso", "2026-11-24T08:19:26.194807+00:00")
REQUESTED_V1 = {
    "timestamp": STAMP,
    "originator_topic": "domain.secondment:Secondment",
    "meta": META,
    "to_state": "requested",
    "effective_on": tagged(D, "2026-11-24"),
    "official": OFFICIAL,
    "home_agency": "Sở Khoa học và Công nghệ",
    "host": tagged("Host", {"province_code": 11, "ward_code": 3194}),
    "kind": tagged("Kind", "secondment"),
    "fields": [tagged("Field", "information_technology")],
    "planned": TERM,
    "reason": "thiếu",
}
"""A request as release 0.1.0 stored it: no class_version, the typing day as its date."""
APPROVED_V1 = {
    "timestamp": STAMP,
    "meta": META,
    "from_state": "requested",
    "to_state": "approved",
    "effective_on": tagged(D, "2025-10-17"),
    "decision": tagged(
        "Decision",
        {
            "number": "2446/QĐ-UBND",
            "date": tagged(D, "2025-10-17"),
            "issuer": "UBND tỉnh Điện Biên",
        },
    ),
    "term": TERM,
    "eligibility_failures": [],
    "override_reason": None,
}
REPORT_V1 = {
    "timestamp": STAMP,
    "meta": META,
    "from_state": "deployed",
    "to_state": "reporting",
    "effective_on": tagged(D, "2025-10-27"),
    "report": tagged(
        "Report",
        {
            "kind": tagged("ReportKind", "progress"),
            "period_start": tagged(D, "2025-10-20"),
            "period_end": tagged(D, "2025-10-26"),
            "summary": "Tuần 1",
            "procedures_handled": 3,
            "staff_coached": 1,
            "field_visits": 0,
            "submitted_on": tagged(D, "2025-10-27"),
        },
    ),
}


@pytest.fixture(scope="module")
def app() -> Iterator[SecondmentRegistry]:
    registry = SecondmentRegistry(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    yield registry
    registry.close()


def row(topic: str, state: dict[str, Any], version: int = 1) -> StoredEvent:
    return StoredEvent(uuid4(), version, topic, json.dumps(state).encode())


def test_a_request_stored_by_release_0_1_0_reads_as_undated(app: SecondmentRegistry) -> None:
    stored = row("domain.secondment:Secondment.Requested", REQUESTED_V1)
    decoded: Any = app.mapper.to_domain_event(stored)
    assert type(decoded) is Secondment.Requested
    assert decoded.effective_on is None
    secondment = decoded.mutate(None)
    assert secondment.requested_on is None
    assert secondment.official.full_name == "Đào Duy Hưng"


def test_a_snapshot_stored_by_release_0_1_0_reads_its_request_as_undated(
    app: SecondmentRegistry,
) -> None:
    old = states.in_state("deployed")
    attributes = dict(vars(old))
    for envelope in ("_id", "_version", "_pending_events"):
        attributes.pop(envelope)
    app.keyring.link(old.id, app.keyring.pseudonym(old.official.personnel_id))
    with about(old.id):
        state = json.loads(app.mapper.transcoder.encode(attributes))
    assert state["requested_on"] == tagged(D, states.TODAY.isoformat())
    stored = row(
        "eventsourcing.domain:Snapshot",
        {"timestamp": STAMP, "topic": "domain.secondment:Secondment", "state": state},
        old.version,
    )
    restored: Any = app.mapper.to_domain_event(stored).mutate(None)  # type: ignore[attr-defined]
    assert restored.official == old.official
    assert restored.requested_on is None
    assert (restored.state, restored.arrived_on) == ("deployed", old.arrived_on)


def test_new_rows_carry_their_version_and_keep_the_request_date(app: SecondmentRegistry) -> None:
    fresh = states.new_secondment(effective_on=date(2025, 10, 1))
    stored = app.mapper.to_stored_event(fresh.collect_events()[0])
    assert json.loads(stored.state)["class_version"] == 2
    again: Any = app.mapper.to_domain_event(stored)
    assert again.effective_on == date(2025, 10, 1)
    approved = states.in_state("approved").collect_events()[-1]
    assert "class_version" not in json.loads(app.mapper.to_stored_event(approved).state)


def test_version_one_rows_of_every_unchanged_event_read_unchanged(
    app: SecondmentRegistry,
) -> None:
    approved: Any = app.mapper.to_domain_event(
        row("domain.secondment:Secondment.Approved", APPROVED_V1)
    )
    assert approved.decision.number == "2446/QĐ-UBND"
    report: Any = app.mapper.to_domain_event(
        row("domain.secondment:Secondment.ReportSubmitted", REPORT_V1)
    )
    assert report.report.submitted_on == date(2025, 10, 27)


def test_a_stored_event_without_a_field_is_refused_by_name(app: SecondmentRegistry) -> None:
    broken = {k: v for k, v in APPROVED_V1.items() if k != "decision"}
    with pytest.raises(StoredShapeError) as caught:
        app.mapper.to_domain_event(row("domain.secondment:Secondment.Approved", broken))
    assert caught.value.field == "decision"
    assert "Secondment.Approved" in str(caught.value)


def test_a_stored_record_without_a_field_is_refused_by_name(app: SecondmentRegistry) -> None:
    report = json.loads(json.dumps(REPORT_V1))
    del report["report"]["_data_"]["summary"]
    with pytest.raises(Exception) as caught:
        app.mapper.to_domain_event(row("domain.secondment:Secondment.ReportSubmitted", report))
    assert isinstance(caught.value.__cause__ or caught.value, StoredShapeError)
    assert "summary" in str(caught.value)


def test_a_field_added_with_a_default_is_filled_for_old_rows() -> None:
    class Thing(Aggregate):
        @event("Made")
        def __init__(self, name: str, colour: str = "blue") -> None:
            self.name, self.colour = name, colour

    app = SecondmentRegistry(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    stored = app.mapper.to_stored_event(Thing(name="x").collect_events()[0])
    old = json.loads(stored.state)
    del old["colour"]
    decoded: Any = app.mapper.to_domain_event(
        StoredEvent(stored.originator_id, 1, stored.topic, json.dumps(old).encode())
    )
    assert decoded.colour == "blue"
    app.close()


def test_every_event_must_declare_its_version_and_every_step_its_upcaster() -> None:
    class Unversioned(Aggregate):
        @event("Made")
        def __init__(self) -> None:
            pass

        @event("Changed")
        def change(self) -> None:
            pass

    with pytest.raises(TypeError, match="Changed"):
        versioned(snapshot=1, events={"Made": 1})(Unversioned)
    with pytest.raises(TypeError, match="v1_v2"):
        versioned(snapshot=1, events={"Made": 2, "Changed": 1})(Unversioned)
