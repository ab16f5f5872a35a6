"""Plans under concurrent writers, on both backends: nominations from many agencies at once
all land; two decisions at once make one decision and one set of secondments."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

from domain.application import SecondmentRegistry
from domain.errors import IllegalTransition
from domain.plan_values import Target
from domain.plans import NewPlan, PlanDecision, Plans
from domain.secondment import Secondment
from domain.values import Decision, Field, Kind
from tests.builders import TERM, meta, official

IT = (Field.INFORMATION_TECHNOLOGY,)


def test_concurrent_nominations_all_land_and_one_decision_wins(
    registry: SecondmentRegistry,
) -> None:
    plans = Plans(registry)
    new = NewPlan("Đợt 1", "Sở Nội vụ", 11, Kind.SECONDMENT, TERM, (Target(11, 3194, IT, 4),))
    plan_id = plans.draft(meta(), new).record.id
    plans.step(plan_id, meta(), None, take=lambda p, m, on: p.open_nominations(m, on))

    def nominate(n: int) -> None:
        plans.nominate(plan_id, meta(), None, official(), "Sở Khoa học và Công nghệ", IT)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(nominate, range(4)))
    assert len(plans.get(plan_id).candidates) == 4
    plans.step(plan_id, meta(), None, take=lambda p, m, on: p.match(m, on))
    given = PlanDecision(Decision("1/QĐ-UBND", date(2025, 10, 17), "UBND tỉnh"), TERM)

    def decide(_: int) -> str:
        try:
            plans.decide(plan_id, meta(), None, given)
        except IllegalTransition:
            return "refused"
        return "decided"

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(decide, range(2)))
    assert outcomes == ["decided", "refused"]
    decided = plans.get(plan_id)
    created = [registry.get(i) for i in decided.secondment_ids]
    assert [s.state for s in created] == ["approved"] * 4
    assert all(isinstance(s, Secondment) and s.plan and s.plan.plan_id == plan_id for s in created)
