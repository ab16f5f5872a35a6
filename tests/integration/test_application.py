"""The application on each backend: idempotency, one active secondment per official, decisions,
history by version and by time, snapshots."""

import time
from datetime import UTC, date, datetime, timedelta

import pytest
from eventsourcing.application import AggregateNotFoundError

from api.settings import open_registry
from domain.engagement import engagement_id, legacy_engagement_ids
from domain.errors import (
    IllegalTransition,
    NotFound,
    RuleViolation,
    SecondmentNotFound,
    StaleVersion,
)
from domain.secondment import secondment_id_for
from domain.values import Field, HostEvaluation, Initiator, Rating, ReportKind, Term
from tests import builders
from tests.builders import DECISION_2446, TERM, meta

WEEK = Term(date(2025, 10, 20), date(2025, 10, 26))


def event_count(registry, secondment_id) -> int:
    return len(list(registry.events.get(secondment_id)))


def test_a_request_is_stored_and_read_back(registry):
    recorded = builders.request(registry)
    again = registry.get(recorded.secondment.id)
    assert again.state == "requested"
    assert again.official.full_name == "Đào Duy Hưng"
    assert again.fields == (Field.INFORMATION_TECHNOLOGY, Field.DIGITAL_TRANSFORMATION)
    assert recorded.position >= 1 and recorded.version == 1


class TestIdempotency:
    def test_a_repeated_request_creates_nothing(self, registry):
        once = meta(command_id="request-once")
        first = builders.request(registry, meta=once)
        second = builders.request(registry, meta=once)
        assert second.secondment.id == first.secondment.id
        assert (second.version, second.position, second.replayed) == (1, first.position, True)
        assert event_count(registry, first.secondment.id) == 1

    def test_a_repeated_command_records_one_event_and_returns_the_first_result(self, registry):
        sid = builders.approved(registry).secondment.id
        deploy = meta()
        first = registry.deploy(sid, deploy, date(2025, 10, 21))
        registry.submit_report(sid, meta(), ReportKind.PROGRESS, WEEK, "tuần 1")
        again = registry.deploy(sid, deploy, date(2025, 10, 21))
        assert again.replayed and not first.replayed
        assert (again.version, again.position) == (first.version, first.position)
        assert again.secondment.state == "deployed"
        assert (first.event_type, again.event_type) == ("Deployed", "Deployed")
        assert event_count(registry, sid) == 4


class TestOneActiveSecondmentPerOfficial:
    def test_a_second_approval_for_the_same_person_is_refused(self, registry):
        person = builders.official()
        first = builders.approved(registry, who=person)
        second = builders.request(registry, who=person, host=builders.SAM_MUN)
        with pytest.raises(RuleViolation) as caught:
            registry.approve(second.secondment.id, meta(), DECISION_2446, TERM)
        assert [(v.rule, v.field) for v in caught.value.violations] == [
            ("one_active_secondment", "official.personnel_id")
        ]
        assert registry.get(second.secondment.id).state == "requested"
        assert registry.active_secondment_of(person.personnel_id) == first.secondment.id

    def test_engagements_are_kept_under_a_pseudonym_not_the_personnel_id(self, registry):
        person = builders.official()
        first = builders.approved(registry, who=person).secondment.id
        pseudonym = registry.keyring.pseudonym(person.personnel_id)
        engaged = registry.repository.get(engagement_id(pseudonym))
        assert engaged.active == first and engaged.personnel_id == pseudonym
        assert person.personnel_id.casefold() not in pseudonym.casefold()
        for legacy in legacy_engagement_ids(person.personnel_id):
            with pytest.raises(AggregateNotFoundError):
                registry.repository.get(legacy)

    def test_the_person_is_free_again_after_the_end(self, registry):
        person = builders.official()
        sid = builders.deployed(registry, who=person).secondment.id
        registry.recall(sid, meta(), date(2025, 12, 1), "Cơ quan cần", Initiator.HOME_AGENCY)
        assert registry.active_secondment_of(person.personnel_id) is None
        later = builders.request(registry, who=person)
        assert (
            registry.approve(later.secondment.id, meta(), DECISION_2446, TERM).secondment.state
            == "approved"
        )

    def test_a_withdrawn_approval_frees_the_person(self, registry):
        person = builders.official()
        sid = builders.approved(registry, who=person).secondment.id
        registry.withdraw(sid, meta(), "Đổi người")
        assert registry.active_secondment_of(person.personnel_id) is None


class TestDecisions:
    def test_one_decision_approves_all(self, registry):
        ids = [builders.request(registry).secondment.id for _ in range(3)]
        recorded = registry.approve_many(meta(), ids, DECISION_2446, TERM)
        assert [r.secondment.state for r in recorded] == ["approved"] * 3
        assert all(registry.get(i).decision == DECISION_2446 for i in ids)

    def test_all_or_none_with_every_failure_named(self, registry):
        good = builders.request(registry).secondment.id
        ineligible = builders.request(registry, who=builders.official(eligible=False)).secondment.id
        rejected = builders.request(registry).secondment.id
        registry.reject(rejected, meta(), "không phù hợp")
        with pytest.raises(RuleViolation) as caught:
            registry.approve_many(meta(), [good, ineligible, rejected], DECISION_2446, TERM)
        fields = [(v.rule, v.field) for v in caught.value.violations]
        assert fields == [
            ("eligibility", "secondment_ids[1].override_reason"),
            ("state", "secondment_ids[2]"),
        ]
        assert registry.get(good).state == "requested"

    def test_unknown_and_repeated_ids_are_named(self, registry):
        sid = builders.request(registry).secondment.id
        unknown = secondment_id_for("nothing")
        with pytest.raises(RuleViolation) as caught:
            registry.approve_many(meta(), [sid, sid, unknown], DECISION_2446, TERM)
        assert [v.rule for v in caught.value.violations] == [
            "distinct_secondments",
            "secondment_exists",
        ]

    def test_two_requests_for_one_person_in_one_decision(self, registry):
        person = builders.official()
        ids = [builders.request(registry, who=person).secondment.id for _ in range(2)]
        with pytest.raises(RuleViolation) as caught:
            registry.approve_many(meta(), ids, DECISION_2446, TERM)
        assert [v.rule for v in caught.value.violations] == ["one_active_secondment"]

    def test_a_repeated_decision_records_nothing_new(self, registry):
        ids = [builders.request(registry).secondment.id for _ in range(2)]
        decision = meta()
        first = registry.approve_many(decision, ids, DECISION_2446, TERM)
        again = registry.approve_many(decision, ids, DECISION_2446, TERM)
        assert [r.position for r in again] == [r.position for r in first]
        assert all(r.replayed for r in again)


class TestErrors:
    def test_unknown_secondment(self, registry):
        with pytest.raises(SecondmentNotFound):
            registry.deploy(secondment_id_for("missing"), meta(), date(2025, 10, 21))

    def test_illegal_transition_names_the_allowed_actions(self, registry):
        sid = builders.request(registry).secondment.id
        with pytest.raises(IllegalTransition) as caught:
            registry.deploy(sid, meta(), date(2025, 10, 21))
        assert caught.value.allowed_actions == ["approve", "reject", "withdraw"]

    def test_stale_expected_version(self, registry):
        sid = builders.request(registry).secondment.id
        with pytest.raises(StaleVersion):
            registry.reject(sid, meta(), "x", expected_version=2)
        assert registry.reject(sid, meta(), "x", expected_version=1).version == 2


@pytest.mark.parametrize("interval", [0, 5])
def test_history_by_version_and_time_with_and_without_snapshots(store, interval):
    registry = open_registry(store.model_copy(update={"snapshot_interval": interval}))
    try:
        sid = builders.deployed(registry).secondment.id
        registry.submit_report(sid, meta(), ReportKind.PROGRESS, WEEK, "tuần 1")
        time.sleep(0.01)
        between = datetime.now(UTC)
        time.sleep(0.01)
        for week in range(1, 11):
            later = Term(WEEK.start + timedelta(weeks=week), WEEK.end + timedelta(weeks=week))
            registry.submit_report(sid, meta(), ReportKind.PROGRESS, later, "tuần sau")
        registry.raise_difficulty(
            sid, meta(), "Thiếu máy", "chi tiết", Field.INFORMATION_TECHNOLOGY
        )
        assert (registry.snapshots is not None) == bool(interval)
        assert registry.get(sid, version=2).state == "approved"
        assert len(registry.get(sid, version=6).reports) == 3
        past = registry.as_of(sid, between)
        assert (past.version, past.state, len(past.reports)) == (4, "reporting", 1)
        assert registry.as_of(sid, datetime.now(UTC)).version == 15
        assert registry.get(sid).difficulties[0].title == "Thiếu máy"
        with pytest.raises(NotFound):
            registry.as_of(sid, datetime(2000, 1, 1, tzinfo=UTC))
        with pytest.raises(NotFound):
            registry.get(sid, version=99)
    finally:
        registry.close()


def test_history_pages_carry_positions_and_actors(registry):
    sid = builders.deployed(registry).secondment.id
    page = registry.history(sid, after_version=1, limit=2)
    assert [e.event.originator_version for e in page] == [2, 3]
    assert [type(e.event).__name__ for e in page] == ["Approved", "Deployed"]
    assert page[0].position < page[1].position
    assert page[1].event.meta.actor.sub == "tester"


def test_the_record_survives_a_restart(store):
    first = open_registry(store)
    sid = builders.deployed(first).secondment.id
    first.close()
    second = open_registry(store)
    try:
        s = second.get(sid)
        assert (s.state, s.arrived_on, s.decision) == (
            "deployed",
            date(2025, 10, 21),
            DECISION_2446,
        )
        registry_end = second.recall(sid, meta(), date(2025, 11, 1), "x", Initiator.PROVINCE)
        assert registry_end.secondment.ending.initiated_by is Initiator.PROVINCE
    finally:
        second.close()


def test_end_with_host_evaluation(registry):
    sid = builders.deployed(registry).secondment.id
    registry.submit_report(
        sid, meta(), ReportKind.WEEKLY_PLAN, WEEK, "kế hoạch", submitted_on=WEEK.end
    )
    registry.start_handover(sid, meta(), date(2026, 4, 1), ["Chủ tịch xã"], ["Hồ sơ"])
    ended = registry.end(
        sid, meta(), date(2026, 4, 19), HostEvaluation(Rating.EXCELLENT, "Rất tốt")
    )
    reread = registry.get(sid)
    assert reread.ending == ended.secondment.ending
    assert reread.ending.host_evaluation.rating is Rating.EXCELLENT
    assert reread.handover_record.recipients == ("Chủ tịch xã",)
