"""Rules from the law, in the domain: maternity protection, consultation, the right of return,
Vietnam's working days and a month's allowances (hand-computed figures)."""

from datetime import date

import pytest

from api.ui import messages
from domain import rules
from domain.allowances import Rate, amounts, days_at_host, parse_rates
from domain.deadlines import Cadence, due_on, return_due_on
from domain.errors import RuleViolation
from domain.records import Return
from domain.values import Area, Category, HostEvaluation, Kind, Rating, Term
from domain.workdays import is_working_day, nth_working_day_after
from tests import builders
from tests.unit.states import in_state, new_secondment

DECISION = builders.DECISION_2446


def approve(s, consulted_on=None, civil_servants_too=True, override=None):
    s.approve(
        builders.meta(), DECISION, builders.TERM, override, 36, consulted_on, civil_servants_too
    )


def violations(call) -> list[tuple[str, str, str]]:
    with pytest.raises(RuleViolation) as caught:
        call()
    return [(v.rule, v.field, v.message) for v in caught.value.violations]


class TestMaternityProtection:
    def protected(self, category=Category.PUBLIC_EMPLOYEE, kind=Kind.SECONDMENT):
        who = builders.official(maternity_protected=True, category=category)
        return new_secondment(official=who, kind=kind)

    @pytest.mark.parametrize("kind", [Kind.SECONDMENT, Kind.REINFORCEMENT])
    def test_a_protected_public_employee_is_refused_even_with_an_override(self, kind):
        s = self.protected(kind=kind)
        found = violations(lambda: approve(s, override="cần gấp"))
        assert [(r, f) for r, f, _ in found] == [
            ("maternity_protection", "official.maternity_protected")
        ]
        assert "Luật Viên chức 2010 Art. 36(7)" in found[0][2]
        assert s.state == "requested" and s.version == 1

    def test_an_assignment_without_moving_is_not_barred(self):
        s = self.protected(kind=Kind.ASSIGNMENT)
        approve(s)
        assert s.state == "approved"

    def test_civil_servants_are_covered_unless_the_province_turns_it_off(self):
        barred = self.protected(category=Category.CIVIL_SERVANT)
        assert violations(lambda: approve(barred))[0][0] == "maternity_protection"
        allowed = self.protected(category=Category.CIVIL_SERVANT)
        approve(allowed, civil_servants_too=False)
        assert allowed.state == "approved"
        employee = self.protected()
        assert violations(lambda: approve(employee, civil_servants_too=False))

    def test_unprotected_official_passes(self):
        s = new_secondment()
        approve(s)
        assert s.state == "approved"


class TestConsultation:
    def test_recorded_when_before_the_decision(self):
        s = new_secondment()
        approve(s, consulted_on=date(2025, 10, 15))
        assert s.consulted_on == date(2025, 10, 15)

    def test_after_the_decision_is_refused(self):
        s = new_secondment()
        found = violations(lambda: approve(s, consulted_on=date(2025, 10, 18)))
        assert [(r, f) for r, f, _ in found] == [("consultation_before_decision", "consulted_on")]
        assert "Decree 115/2020" in found[0][2]

    def test_optional(self):
        s = new_secondment()
        approve(s)
        assert s.consulted_on is None


class TestReturn:
    def ended(self):
        s = in_state("handover")
        s.end(builders.meta(), date(2026, 4, 19), HostEvaluation(Rating.GOOD, "Tốt"))
        return s

    def test_recorded_on_or_after_the_end_once(self):
        s = self.ended()
        s.record_return(builders.meta(), Return(date(2026, 4, 20), "Phó phòng"))
        assert s.returned == Return(date(2026, 4, 20), "Phó phòng")
        again = violations(
            lambda: s.record_return(builders.meta(), Return(date(2026, 4, 21), "Trưởng phòng"))
        )
        assert [(r, f) for r, f, _ in again] == [("return_once", "returned_on")]

    def test_before_the_end_is_refused(self):
        s = self.ended()
        found = violations(
            lambda: s.record_return(builders.meta(), Return(date(2026, 4, 18), "Phó phòng"))
        )
        assert [(r, f) for r, f, _ in found] == [("return_after_end", "returned_on")]
        assert s.returned is None


class TestWorkingDays:
    def test_tet_2026_keeps_offices_closed_16_to_20_february(self):
        assert [is_working_day(date(2026, 2, d)) for d in range(13, 24)] == [
            True,  # Fri 13
            *[False] * 9,  # Sat 14 to Sun 22
            True,  # Mon 23
        ]

    def test_the_tet_example_due_dates(self):
        cadence = Cadence(7, 2)
        week = [Term(date(2026, 2, 2 + 7 * i), date(2026, 2, 8 + 7 * i)) for i in range(3)]
        assert [due_on(p, cadence) for p in week] == [
            date(2026, 2, 10),
            date(2026, 2, 24),
            date(2026, 2, 24),
        ]

    def test_30_april_and_1_may_2026(self):
        # Mon 27 April is the observed Hùng Kings day; Thu 30 April and Fri 1 May are off.
        assert nth_working_day_after(date(2026, 4, 26), 2) == date(2026, 4, 29)
        assert nth_working_day_after(date(2026, 4, 29), 2) == date(2026, 5, 5)
        assert nth_working_day_after(date(2026, 4, 29), 1) == date(2026, 5, 4)

    def test_the_2025_swapped_day(self):
        assert is_working_day(date(2025, 4, 26))  # a Saturday worked
        assert not is_working_day(date(2025, 5, 2))  # a Friday off in exchange
        assert nth_working_day_after(date(2025, 4, 25), 1) == date(2025, 4, 26)
        assert nth_working_day_after(date(2025, 4, 25), 2) == date(2025, 4, 28)
        assert nth_working_day_after(date(2025, 4, 29), 2) == date(2025, 5, 6)

    def test_return_due_15_working_days_after_the_end(self):
        # 20–24 Apr (5), 27 Apr off, 28–29 (7), 30 Apr and 1 May off, 4–8 May (12), 11–13 (15)
        assert return_due_on(date(2026, 4, 19), Cadence()) == date(2026, 5, 13)


class TestAllowances:
    RATES = parse_rates(
        {
            "currency": "VND",
            "provinces": {
                "11": {
                    "secondment": {
                        "per_day": 100_000,
                        "area_per_day": {"mountain": 50_000, "border": 70_000},
                    }
                }
            },
        }
    )

    def test_days_in_a_month_from_arrival_to_the_last_day(self):
        assert days_at_host(date(2025, 10, 21), date(2026, 2, 28), 2025, 12) == 31
        assert days_at_host(date(2025, 10, 21), date(2025, 12, 15), 2025, 12) == 15
        assert days_at_host(date(2025, 12, 22), date(2026, 6, 19), 2025, 12) == 10
        assert days_at_host(date(2025, 10, 21), date(2025, 11, 30), 2025, 12) == 0
        assert days_at_host(date(2024, 2, 1), date(2024, 12, 31), 2024, 2) == 29

    def test_amounts_take_the_highest_area_rate(self):
        rate = self.RATES.rate(11, Kind.SECONDMENT)
        assert rate == Rate(100_000, {Area.MOUNTAIN: 50_000, Area.BORDER: 70_000})
        money = amounts(rate, 31, [Area.MOUNTAIN, Area.BORDER])
        assert (money.per_diem, money.area_allowance, money.total) == (
            3_100_000,
            2_170_000,
            5_270_000,
        )
        assert amounts(rate, 15, []).total == 1_500_000
        assert amounts(self.RATES.rate(11, Kind.REINFORCEMENT), 10, []).total is None

    @pytest.mark.parametrize(
        ("data", "where"),
        [
            ({"provinces": {}}, "currency"),
            ({"currency": "VND", "provinces": {"11": {"secondment": {"per_day": -1}}}}, "per_day"),
            ({"currency": "VND", "provinces": {"11": {"tour": {"per_day": 1}}}}, "tour"),
            (
                {"currency": "VND", "provinces": {"11": {"secondment": {"per_day": 1.5}}}},
                "per_day",
            ),
        ],
    )
    def test_a_malformed_rates_file_is_refused(self, data, where):
        with pytest.raises(ValueError, match=where):
            parse_rates(data)


def test_eligibility_messages_name_their_source_in_english_and_vietnamese():
    s = new_secondment(official=builders.official(eligible=False))
    found = violations(lambda: approve(s))
    assert found[0][0] == "eligibility" and rules.ELIGIBILITY_SOURCE in found[0][2]
    assert "Quyết định 2446/QĐ-UBND" in messages.RULES["eligibility"]
    assert "Luật Viên chức 2010" in messages.RULES["maternity_protection"]
    assert "Nghị định 138/2020" in messages.RULES["term_limit"]
    assert "Nghị định 115/2020" in messages.RULES["consultation_before_decision"]
