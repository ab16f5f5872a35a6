"""The plan lifecycle table, read off its declaration: every action from every state is legal
exactly when a row says so, and only the declared roles may give it."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from domain.errors import IllegalTransition, RuleViolation
from domain.plan import Plan
from domain.plan_lifecycle import PLAN
from domain.plan_values import Candidate, Target
from domain.values import Actor, CommandMeta, Decision, Field, Kind, Role, Term

DAY = date(2025, 10, 1)
TERM = Term(date(2025, 10, 20), date(2026, 4, 19))
TARGETS = (Target(11, 3194, (Field.JUSTICE,), 1),)
DATA: dict[str, dict[str, Any]] = {
    "amend_targets": {"targets": TARGETS},
    "assign": {"assignments": []},
}


def meta() -> CommandMeta:
    return CommandMeta(Actor("hr", Role.HOME_AFFAIRS), uuid4().hex, "c")


def plan_in(state: str) -> Plan:
    plan = Plan(meta(), DAY, "Đợt 1", "Sở Nội vụ", 11, Kind.SECONDMENT, TERM, TARGETS)
    steps = ["nominating", "matched", "decided"]
    if state == "cancelled":
        plan.cancel(meta(), DAY, "Gộp đợt")
        return plan
    for reached in steps[: steps.index(state) + 1] if state in steps else []:
        if reached == "nominating":
            plan.open_nominations(meta(), DAY)
            nominee = Candidate(uuid4(), "k", "Sở Tư pháp", (Field.JUSTICE,), True, (), True)
            plan.nominate(meta(), DAY, nominee)
        elif reached == "matched":
            plan.match(meta(), DAY)
        else:
            plan.decide(meta(), Decision("1/QĐ", DAY, "UBND"), TERM, None, (uuid4(),))
    assert plan.state == state
    return plan


@pytest.mark.parametrize("state", PLAN.states)
@pytest.mark.parametrize("action", PLAN.actions)
def test_every_action_from_every_state_follows_the_table(state: str, action: str) -> None:
    legal = any(t.action == action and state in t.sources for t in PLAN.table)
    plan = plan_in(state)
    try:
        destination = plan._decide(action, DATA.get(action, {}))
    except IllegalTransition as refused:
        assert not legal
        assert refused.allowed_actions == PLAN.allowed_actions(state)
        return
    except RuleViolation:
        assert legal  # a guard refused: the move itself is legal
        return
    assert legal
    assert destination == PLAN.transition_for(state, action).destination(state)


def test_roles_come_from_the_declaration() -> None:
    assert PLAN.allowed_for(Role.AGENCY, "nominating") == ["nominate"]
    assert PLAN.allowed_for(Role.COMMUNE, "nominating") == []
    assert set(PLAN.allowed_for(Role.HOME_AFFAIRS, "matched")) == {
        "nominate",
        "match",
        "assign",
        "decide",
        "cancel",
    }
    assert PLAN.permits(Role.AUDITOR, "read_plan") and not PLAN.permits(Role.AUDITOR, "decide")
    assert "matched --> decided: decide [seats_given]" in PLAN.mermaid()


def test_guards_name_what_is_missing() -> None:
    plan = plan_in("nominating")
    plan.candidates = ()
    with pytest.raises(RuleViolation) as refused:
        plan.match(meta(), DAY)
    assert [v.rule for v in refused.value.violations] == ["nominations_required"]
