"""Random command sequences: the record rebuilt from its stored events equals the live one, every
recorded move is a row of the lifecycle table, and versions are contiguous."""

import contextlib
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain import lifecycle
from domain.errors import DomainError
from domain.values import (
    Decision,
    EscalationLevel,
    Field,
    HostEvaluation,
    Initiator,
    Rating,
    ReportKind,
    Term,
)
from tests import builders
from tests.builders import meta

START = date(2025, 10, 20)
days = st.integers(min_value=-30, max_value=250).map(lambda n: START + timedelta(days=n))


def command(registry, sid, action, draw):
    if action == "approve":
        end = draw(days)
        override = draw(st.sampled_from([None, "Thiếu người"]))
        return registry.approve(sid, meta(), builders.DECISION_2446, Term(START, end), override)
    if action == "deploy":
        return registry.deploy(sid, meta(), draw(days))
    if action == "report":
        start = draw(days)
        return registry.submit_report(
            sid, meta(), ReportKind.PROGRESS, Term(start, start + timedelta(days=6)), "tuần"
        )
    if action == "raise_difficulty":
        return registry.raise_difficulty(
            sid, meta(), "Khó khăn", "chi tiết", draw(st.sampled_from(list(Field)))
        )
    if action == "escalate_difficulty":
        level = draw(st.sampled_from(list(EscalationLevel)))
        return registry.escalate_difficulty(sid, meta(), draw(st.integers(1, 3)), level, "ghi chú")
    if action == "resolve_difficulty":
        return registry.resolve_difficulty(sid, meta(), draw(st.integers(1, 3)), "đã xử lý")
    if action == "extend":
        decision = Decision("9/QĐ", START, "UBND")
        return registry.extend(sid, meta(), draw(days) + timedelta(days=200), decision)
    if action == "handover":
        return registry.start_handover(sid, meta(), draw(days), ["Xã"], ["Hồ sơ"])
    if action == "end":
        return registry.end(sid, meta(), draw(days), HostEvaluation(Rating.GOOD, "tốt"))
    if action == "recall":
        return registry.recall(sid, meta(), draw(days), "lý do", Initiator.HOST)
    if action == "reject":
        return registry.reject(sid, meta(), "lý do")
    return registry.withdraw(sid, meta(), "lý do")


def comparable(secondment):
    state = dict(vars(secondment))
    state.pop("_pending_events", None)
    return state


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_replay_equals_live(registry, data):
    live = builders.request(registry).secondment
    actions = data.draw(st.lists(st.sampled_from(lifecycle.ACTIONS), max_size=14))
    for action in actions:
        with contextlib.suppress(DomainError):
            live = command(registry, live.id, action, data.draw).secondment
    stored = list(registry.events.get(live.id))
    assert [e.originator_version for e in stored] == list(range(1, len(stored) + 1))
    rows = {(row.action, s, row.destination(s)) for row in lifecycle.TABLE for s in row.sources}
    moves = {(e.from_state, e.to_state) for e in stored[1:]}
    assert moves <= {(s, d) for _, s, d in rows}
    rebuilt = registry.get(live.id)
    assert rebuilt.state in lifecycle.STATES
    assert comparable(rebuilt) == comparable(live)
