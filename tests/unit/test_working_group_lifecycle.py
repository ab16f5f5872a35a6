"""The working group's lifecycle, read off its declaration: every (state, action) pair of the
table is legal exactly where the declaration says, roles come from it, and a group replayed
from its events equals the group as it was built."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from domain.errors import IllegalTransition, RuleViolation
from domain.values import Actor, CommandMeta, Field, Role
from domain.working_group import WorkingGroup
from domain.working_group_lifecycle import WORKING_GROUP
from domain.working_group_records import Member, Visit, VisitIssue

DAY = date(2025, 10, 2)
LEADER = Member("Trần Văn An", "Phó Giám đốc Sở", "Sở Nội vụ")


def meta(n: str = "m") -> CommandMeta:
    return CommandMeta(Actor("snv-da-nang", Role.HOME_AFFAIRS), n, "r")


def group(state: str = "active") -> WorkingGroup:
    g = WorkingGroup(meta("form"), "active", date(2025, 9, 15), 48, "Tổ 1", LEADER, (), (20455,))
    if state == "closed":
        g.close(meta("close"), DAY, "Xong")
    return g


def visit(g: WorkingGroup) -> Visit:
    issue = VisitIssue("Hồ sơ tồn đọng", "Chi tiết", Field.LAND_MANAGEMENT)
    return Visit(g.next_visit, 20455, DAY, "Nhận xét", "Hướng dẫn", (issue,), meta().actor)


ACTIONS: dict[str, Callable[[WorkingGroup], Any]] = {
    "record_visit": lambda g: g.record_visit(meta("v"), visit(g)),
    "enlarge_working_group": lambda g: g.enlarge(meta("a"), [LEADER], [20458], DAY),
    "close_working_group": lambda g: g.close(meta("c"), DAY, "Xong"),
}


def test_the_declaration_names_every_action_the_aggregate_takes() -> None:
    assert set(WORKING_GROUP.actions) == set(ACTIONS)
    assert WORKING_GROUP.describe()["states"] == ["active", "closed"]
    assert "active --> closed: close_working_group" in WORKING_GROUP.mermaid()


@pytest.mark.parametrize("state", WORKING_GROUP.states)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_action_is_legal_exactly_where_the_table_says(state: str, action: str) -> None:
    g = group(state)
    legal = action in WORKING_GROUP.allowed_actions(state)
    if not legal:
        with pytest.raises(IllegalTransition):
            ACTIONS[action](g)
        return
    ACTIONS[action](g)
    row = WORKING_GROUP.transition_for(state, action)
    assert g.state == row.destination(state)


def test_roles_come_from_the_declaration() -> None:
    for role in (Role.HOME_AFFAIRS, Role.MINISTRY):
        assert WORKING_GROUP.allowed_for(role, "active") == list(ACTIONS)
        assert WORKING_GROUP.permits(role, "form_working_group")
    for role in (Role.AUDITOR, Role.COMMUNE):
        assert WORKING_GROUP.allowed_for(role, "active") == []
        assert WORKING_GROUP.permits(role, "read_working_groups")
    for role in (Role.AGENCY, Role.OFFICIAL, Role.ADMIN):
        assert WORKING_GROUP.permissions(role) == frozenset()


def test_guards_name_the_field() -> None:
    g = group()
    other = Visit(1, 20458, DAY, "f", "g", (), meta().actor)
    with pytest.raises(RuleViolation) as refused:
        g.record_visit(meta("x"), other)
    assert [(v.rule, v.field) for v in refused.value.violations] == [("ward_covered", "ward_code")]
    with pytest.raises(RuleViolation) as outside:
        g.enlarge(meta("y"), [], [3194], DAY)
    assert [v.rule for v in outside.value.violations] == ["ward_in_province"]
    with pytest.raises(RuleViolation) as nothing:
        g.enlarge(meta("z"), [], [], DAY)
    assert [v.rule for v in nothing.value.violations] == ["additions_required"]


def test_replay_equals_the_live_group() -> None:
    g = group()
    for action in ACTIONS:
        ACTIONS[action](g)
    events = g.collect_events()
    replayed = None
    for e in events:
        replayed = e.mutate(replayed)
    assert replayed is not None
    live = copy.copy(vars(g))
    assert {k: v for k, v in vars(replayed).items() if k != "_pending_events"} == {
        k: v for k, v in live.items() if k != "_pending_events"
    }
    assert g.visited == [20455] and g.not_visited == [20458]
