"""The demo's plans: Điện Biên's proposal of 86 closed with the decision of 97 named; the
Ministry's pilot as batch 1 and Đà Nẵng's two batches placed on the postings their decisions
made."""

from __future__ import annotations

from collections import Counter
from typing import Any

from api.settings import Settings, open_registry
from domain.plan import Plan
from domain.plans import Plans
from workers import demo
from workers.demo_kit import Demo


def _plan(registry: Any, key: str) -> Plan:
    loader = Demo(registry)
    meta = loader.meta(loader.actor("ministry", "x"), f"{key}:draft")
    return Plans(registry).get(Plan.create_id(meta))


def _posted(registry: Any) -> dict[tuple[str, str], tuple[int, int | None]]:
    """Each demo secondment's host, by (personnel id, decision number)."""
    found = {}
    for n in registry.recorder.select_notifications(1, 100_000):
        if n.topic.endswith("Secondment.Requested"):
            s = registry.get(n.originator_id)
            number = s.decision.number if s.decision else ""
            found[s.official.personnel_id, number] = (s.host.province_code, s.host.ward_code)
    return found


def _placed(plans: Plans, plan: Plan) -> dict[str, tuple[int, int | None]]:
    """Where the plan places each official (by personnel id)."""
    found = {}
    for p in plan.placements:
        target = plan.targets[p.target]
        pid = plans.nomination(p.nomination_id).official.personnel_id
        found[pid] = (target.province_code, target.ward_code)
    return found


def test_the_demo_plans_follow_the_three_cases(store: Settings) -> None:
    registry = open_registry(store)
    try:
        demo.load(registry)
        plans, posted = Plans(registry), _posted(registry)
        dien_bien = _plan(registry, "plan:db")
        assert len(dien_bien.candidates) == 86
        assert len(dien_bien.targets) == 45
        assert sum(t.seats for t in dien_bien.targets) == 52
        assert len(dien_bien.placements) == 52
        assert dien_bien.state == "cancelled"
        assert "2446/QĐ-UBND" in (dien_bien.cancel_reason or "")
        names = [plans.nomination(c.nomination_id).official.full_name for c in dien_bien.candidates]
        assert sum(n.endswith("(mẫu)") for n in names) == 34
        assert "Đào Duy Hưng" in names

        ministry = _plan(registry, "plan:bnv")
        assert (len(ministry.candidates), len(ministry.targets)) == (34, 33)
        assert {t.ward_code for t in ministry.targets} == {None}
        placed = _placed(plans, ministry)
        assert len(placed) == 34
        assert placed == {pid: posted[pid, "DEMO-BNV/QĐ-BNV"] for pid in placed}
        assert "đợt 1" in ministry.title and ministry.state == "cancelled"

        officials: Counter[str] = Counter()
        wards: set[int | None] = set()
        for key, seats in (("dn1", 10), ("dn2", 9)):
            batch = _plan(registry, f"plan:{key}")
            placed = _placed(plans, batch)
            assert len(placed) == seats == sum(t.seats for t in batch.targets)
            number = f"DEMO-{key.upper()}/QĐ-SNV"
            assert placed == {pid: posted[pid, number] for pid in placed}
            officials.update(placed.keys())
            wards |= {w for _, w in placed.values()}
        assert (len(officials), len(wards)) == (15, 19)
    finally:
        registry.close()
