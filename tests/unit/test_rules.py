"""Each guard and rule with a passing and a failing case."""

from datetime import date

import pytest

from domain import rules
from domain.errors import NotFound, RuleViolation
from domain.secondment import Secondment
from domain.values import (
    Appraisal,
    Decision,
    EscalationLevel,
    Field,
    Host,
    HostEvaluation,
    Initiator,
    Rating,
    Term,
)
from tests import builders
from tests.unit.states import EXTENSION, TODAY, handover, in_state, new_secondment, report

DECISION = builders.DECISION_2446
TERM = builders.TERM


def rules_broken(call) -> list[str]:
    with pytest.raises(RuleViolation) as caught:
        call()
    return [v.rule for v in caught.value.violations]


def approve(
    s: Secondment, term: Term = TERM, override: str | None = None, decision: Decision = DECISION
):
    s.approve(builders.meta(), decision, term, override, 36)


class TestEligibility:
    def test_good_ratings_in_each_of_the_three_years_before_the_decision_year(self):
        assert rules.eligibility_failures(builders.official(), 2025) == []

    def test_a_year_rated_only_completed_fails(self):
        failures = rules.eligibility_failures(builders.official(eligible=False), 2025)
        assert failures == ["rated below 'good' (or not rated) in 2022"]

    def test_a_missing_year_fails(self):
        official = builders.official(
            appraisals=(Appraisal(2023, Rating.GOOD), Appraisal(2024, Rating.GOOD))
        )
        assert rules.eligibility_failures(official, 2025) == [
            "rated below 'good' (or not rated) in 2022"
        ]

    def test_the_years_are_counted_back_from_the_decision_year(self):
        assert rules.eligibility_failures(builders.official(), 2026) != []

    def test_neither_leader_nor_in_succession_plan_fails(self):
        official = builders.official(is_leader=False, in_succession_plan=False)
        assert rules.eligibility_failures(official, 2025) == [
            "neither a leader nor in a succession plan"
        ]

    def test_a_leader_outside_the_succession_plan_is_eligible(self):
        official = builders.official(is_leader=True, in_succession_plan=False)
        assert rules.eligibility_failures(official, 2025) == []

    def test_an_ineligible_official_is_refused_without_override(self):
        s = new_secondment(official=builders.official(eligible=False))
        assert rules_broken(lambda: approve(s)) == ["eligibility"]
        assert s.state == "requested"

    def test_a_blank_override_is_no_override(self):
        s = new_secondment(official=builders.official(eligible=False))
        assert rules_broken(lambda: approve(s, override="   ")) == ["eligibility"]

    def test_an_override_reason_lets_it_through_and_is_recorded(self):
        s = new_secondment(official=builders.official(eligible=False))
        approve(s, override="Thiếu người có chuyên môn phù hợp")
        assert s.state == "approved"
        assert s.override_reason == "Thiếu người có chuyên môn phù hợp"
        assert s.eligibility_failures == ("rated below 'good' (or not rated) in 2022",)

    def test_an_override_for_an_eligible_official_is_not_recorded(self):
        s = new_secondment()
        approve(s, override="không cần")
        assert s.override_reason is None and s.eligibility_failures == ()


class TestDates:
    def test_term_must_not_end_before_it_starts(self):
        s = new_secondment()
        assert rules_broken(lambda: approve(s, Term(date(2025, 10, 20), date(2025, 10, 19)))) == [
            "term_ordered"
        ]

    def test_a_one_day_term_is_ordered(self):
        s = new_secondment()
        approve(s, Term(date(2025, 10, 20), date(2025, 10, 20)))
        assert s.state == "approved"

    def test_term_limit_is_36_months(self):
        s = new_secondment()
        assert rules_broken(lambda: approve(s, Term(date(2025, 10, 20), date(2028, 10, 20)))) == [
            "term_limit"
        ]
        approve(s, Term(date(2025, 10, 20), date(2028, 10, 19)))
        assert s.state == "approved"

    def test_all_broken_rules_are_named_at_once(self):
        s = new_secondment(official=builders.official(eligible=False))
        broken = rules_broken(lambda: approve(s, Term(date(2029, 1, 1), date(2025, 1, 1))))
        assert broken == ["eligibility", "term_ordered"]

    def test_arrival_before_the_decision_is_refused(self):
        s = in_state("approved")
        early = Decision("1/QĐ", date(2025, 10, 25), "UBND")
        s2 = new_secondment()
        approve(s2, decision=early)
        assert rules_broken(lambda: s2.deploy(builders.meta(), date(2025, 10, 21))) == [
            "arrival_after_decision"
        ]
        s.deploy(builders.meta(), date(2025, 10, 20))
        assert s.arrived_on == date(2025, 10, 20)

    def test_arrival_outside_the_term_is_refused(self):
        s = in_state("approved")
        assert rules_broken(lambda: s.deploy(builders.meta(), date(2026, 4, 20))) == [
            "arrival_in_term"
        ]

    def test_report_period_inside_the_term(self):
        s = in_state("deployed")
        assert rules_broken(
            lambda: s.submit_report(builders.meta(), report(date(2025, 10, 13), date(2025, 10, 19)))
        ) == ["report_period_in_term"]
        assert rules_broken(
            lambda: s.submit_report(builders.meta(), report(date(2025, 10, 26), date(2025, 10, 20)))
        ) == ["period_ordered"]
        s.submit_report(builders.meta(), report(date(2026, 4, 13), date(2026, 4, 19)))
        assert s.state == "reporting"

    def test_new_end_must_be_after_the_current_end(self):
        s = in_state("reporting")
        assert rules_broken(
            lambda: s.extend(builders.meta(), date(2026, 4, 19), EXTENSION, 36)
        ) == ["new_end_after_current"]
        s.extend(builders.meta(), date(2026, 4, 20), EXTENSION, 36)
        assert s.term == Term(date(2025, 10, 20), date(2026, 4, 20))

    def test_extensions_count_towards_the_term_limit(self):
        s = in_state("reporting")
        assert rules_broken(
            lambda: s.extend(builders.meta(), date(2028, 10, 20), EXTENSION, 36)
        ) == ["term_limit"]

    def test_an_extension_moves_the_term_for_later_reports(self):
        s = in_state("reporting")
        s.extend(builders.meta(), date(2026, 6, 30), EXTENSION, 36)
        s.submit_report(builders.meta(), report(date(2026, 6, 22), date(2026, 6, 28)))
        assert len(s.reports) == 2

    def test_handover_and_end_not_before_arrival(self):
        s = in_state("reporting")
        assert rules_broken(
            lambda: s.start_handover(builders.meta(), handover(date(2025, 10, 1)))
        ) == ["planned_on_after_arrival"]
        assert rules_broken(
            lambda: s.recall(builders.meta(), date(2025, 10, 1), "x", Initiator.HOST)
        ) == ["ended_on_after_arrival"]
        s.start_handover(builders.meta(), handover())
        assert rules_broken(
            lambda: s.end(builders.meta(), date(2025, 10, 1), HostEvaluation(Rating.GOOD, ""))
        ) == ["ended_on_after_arrival"]


class TestDifficulties:
    def test_numbered_in_order(self):
        s = in_state("deployed")
        number = s.raise_difficulty(builders.meta(), "Hai", "chi tiết", Field.JUSTICE, TODAY)
        assert number == 2 and s.difficulty(2).title == "Hai"

    def test_escalation_only_goes_up(self):
        s = in_state("reporting")
        s.escalate_difficulty(builders.meta(), 1, EscalationLevel.PROVINCE, "", TODAY)
        assert s.difficulty(1).status.value == "escalated"
        assert rules_broken(
            lambda: s.escalate_difficulty(builders.meta(), 1, EscalationLevel.PROVINCE, "", TODAY)
        ) == ["escalation_goes_up"]
        s.escalate_difficulty(builders.meta(), 1, EscalationLevel.MINISTRY, "", TODAY)
        assert s.difficulty(1).escalated_to is EscalationLevel.MINISTRY

    def test_a_resolved_difficulty_is_closed(self):
        s = in_state("reporting")
        s.resolve_difficulty(builders.meta(), 1, "Đã xử lý", TODAY)
        assert s.difficulty(1).status.value == "resolved"
        assert rules_broken(lambda: s.resolve_difficulty(builders.meta(), 1, "lại", TODAY)) == [
            "difficulty_unresolved"
        ]
        assert rules_broken(
            lambda: s.escalate_difficulty(builders.meta(), 1, EscalationLevel.MINISTRY, "", TODAY)
        ) == ["difficulty_unresolved"]

    def test_an_unknown_difficulty_is_not_found(self):
        s = in_state("reporting")
        with pytest.raises(NotFound):
            s.resolve_difficulty(builders.meta(), 7, "x", TODAY)


class TestRequest:
    def validate(self, host: Host, fields=(Field.JUSTICE,), term=TERM, agency="Sở Tư pháp"):
        return rules_broken(lambda: Secondment.validate_request(host, fields, term, agency))

    def test_a_ward_must_belong_to_its_province(self):
        assert self.validate(Host(48, 3194)) == ["ward_in_province"]

    def test_unknown_codes(self):
        assert self.validate(Host(99, None)) == ["province_exists"]
        assert self.validate(Host(11, 999999)) == ["ward_exists"]

    def test_a_province_host_needs_no_ward(self):
        Secondment.validate_request(Host(79, None), (Field.HOME_AFFAIRS,), TERM, "Bộ Nội vụ")

    def test_fields_dates_and_agency(self):
        assert self.validate(
            builders.NAM_NEN, (), Term(date(2026, 1, 2), date(2026, 1, 1)), " "
        ) == ["fields_required", "term_ordered", "home_agency_required"]

    def test_add_months_clamps_to_the_end_of_the_month(self):
        assert rules.add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
        assert rules.add_months(date(2025, 10, 20), 36) == date(2028, 10, 20)
