"""Every state × every command: the documented destination, or IllegalTransition naming
what is legal."""

import pytest

from domain.errors import IllegalTransition
from domain.lifecycle import SECONDMENT
from tests.unit.states import COMMANDS, in_state


def test_every_action_of_the_table_has_a_command():
    assert set(COMMANDS) == set(SECONDMENT.actions)


@pytest.mark.parametrize("action", SECONDMENT.actions)
@pytest.mark.parametrize("state", SECONDMENT.states)
def test_state_by_command(state, action):
    secondment = in_state(state)
    rows = [row for row in SECONDMENT.table if row.action == action and state in row.sources]
    version = secondment.version
    if rows:
        COMMANDS[action](secondment)
        assert secondment.state == rows[0].destination(state)
        assert secondment.version == version + 1
    else:
        with pytest.raises(IllegalTransition) as caught:
            COMMANDS[action](secondment)
        assert caught.value.state == state
        assert caught.value.allowed_actions == SECONDMENT.allowed_actions(state)
        assert action not in caught.value.allowed_actions
        assert secondment.version == version
        assert not secondment.collect_events()[version:]


@pytest.mark.parametrize("state", SECONDMENT.final[1:])
def test_rejected_and_withdrawn_allow_nothing(state):
    assert SECONDMENT.allowed_actions(state) == []


def test_allowed_actions_follow_the_table():
    assert SECONDMENT.allowed_actions("requested") == ["approve", "reject", "withdraw"]
    assert SECONDMENT.allowed_actions("approved") == ["withdraw", "deploy"]
    assert "recall" in SECONDMENT.allowed_actions("handover")
    assert "report" not in SECONDMENT.allowed_actions("handover")


def test_every_state_is_reachable_from_the_initial_state():
    reached, frontier = {SECONDMENT.initial}, [SECONDMENT.initial]
    while frontier:
        state = frontier.pop()
        for row in SECONDMENT.table:
            if state in row.sources and row.destination(state) not in reached:
                reached.add(row.destination(state))
                frontier.append(row.destination(state))
    assert reached == set(SECONDMENT.states)


def test_events_record_where_the_state_came_from_and_went():
    secondment = in_state("approved")
    event = secondment.collect_events()[-1]
    assert (event.from_state, event.to_state) == ("requested", "approved")
    assert event.effective_on == event.decision.date
    assert event.meta.actor.sub == "tester"
