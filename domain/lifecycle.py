"""The secondment lifecycle: one table, one module-level state machine that decides every command.

The machine is never bound to an aggregate (see the library notes): a command fires the trigger on
a throw-away probe that carries the current state and asks the aggregate's guards.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from transitions import Machine, MachineError

from domain.errors import IllegalTransition

logging.getLogger("transitions").setLevel(logging.WARNING)

STATES = (
    "requested",
    "approved",
    "deployed",
    "reporting",
    "handover",
    "ended",
    "rejected",
    "withdrawn",
)
INITIAL = "requested"
FINAL = ("ended", "rejected", "withdrawn")
ON_POST = ("deployed", "reporting", "handover")
OCCUPYING = ("approved", *ON_POST)
"""States in which a secondment occupies its official (one such secondment per person)."""


@dataclass(frozen=True)
class Transition:
    """A row of the lifecycle table: an action, the states it is legal from, where it leads."""

    action: str
    sources: tuple[str, ...]
    dest: str | None
    guards: tuple[str, ...] = ()

    def destination(self, source: str) -> str:
        return self.dest or source


TABLE: tuple[Transition, ...] = (
    Transition(
        "approve",
        ("requested",),
        "approved",
        (
            "maternity_protection",
            "eligible_or_overridden",
            "consulted_before_decision",
            "term_ordered",
            "term_within_limit",
        ),
    ),
    Transition("reject", ("requested",), "rejected"),
    Transition("withdraw", ("requested", "approved"), "withdrawn"),
    Transition("deploy", ("approved",), "deployed", ("arrival_in_term",)),
    Transition(
        "report",
        ("deployed", "reporting"),
        "reporting",
        ("report_period_in_term", "report_period_unique"),
    ),
    Transition("raise_difficulty", ON_POST, None),
    Transition("escalate_difficulty", (*ON_POST, "ended"), None, ("difficulty_escalates_up",)),
    Transition("resolve_difficulty", (*ON_POST, "ended"), None, ("difficulty_unresolved",)),
    Transition(
        "extend", ("deployed", "reporting"), None, ("new_end_after_current", "term_within_limit")
    ),
    Transition("handover", ("reporting",), "handover", ("handover_after_arrival",)),
    Transition("end", ("handover",), "ended", ("end_after_arrival",)),
    Transition("recall", ON_POST, "ended", ("end_after_arrival",)),
    Transition("flag_report_overdue", ("deployed", "reporting"), None),
    Transition("flag_handover_due", ("deployed", "reporting"), None),
    Transition("flag_term_expired", ON_POST, None),
    Transition("return", ("ended",), None, ("not_yet_returned", "return_after_end")),
    Transition("flag_return_missing", ("ended",), None),
)
SYSTEM_ACTIONS = (
    "flag_report_overdue",
    "flag_handover_due",
    "flag_term_expired",
    "flag_return_missing",
)
"""Actions only the deadline worker takes; no person is ever offered them."""
ACTIONS: tuple[str, ...] = tuple(dict.fromkeys(t.action for t in TABLE))
GUARDS: tuple[str, ...] = tuple(dict.fromkeys(g for t in TABLE for g in t.guards))


def machine_transitions() -> list[dict[str, Any]]:
    """The table in the form `transitions` takes, one entry per source state."""
    return [
        {
            "trigger": t.action,
            "source": source,
            "dest": t.destination(source),
            "conditions": list(t.guards),
        }
        for t in TABLE
        for source in t.sources
    ]


MACHINE = Machine(
    model=None,
    states=list(STATES),
    transitions=machine_transitions(),
    initial=INITIAL,
    auto_transitions=False,
    send_event=True,
)

GuardCheck = Callable[[str], bool]


class _Probe:
    """A throw-away model for one decision: the current state, and guards answered by a callback."""

    def __init__(self, state: str, check: GuardCheck) -> None:
        self.state = state
        self._check = check

    def __getattr__(self, name: str) -> Callable[[object], bool]:
        if name not in GUARDS:
            raise AttributeError(name)
        return lambda _event_data: self._check(name)


def allowed_actions(state: str) -> list[str]:
    """Actions legal from a state, guards aside, in table order."""
    triggers = set(MACHINE.get_triggers(state))
    return [a for a in ACTIONS if a in triggers]


def transition_for(state: str, action: str) -> Transition:
    """The table row that applies to an action from a state; IllegalTransition if none."""
    for row in TABLE:
        if row.action == action and state in row.sources:
            return row
    raise IllegalTransition(state, action, allowed_actions(state))


def decide(state: str, action: str, check: GuardCheck) -> str | None:
    """Fires the action on the machine: the destination state, or None when a guard refused."""
    if action not in MACHINE.events:
        raise IllegalTransition(state, action, allowed_actions(state))
    probe = _Probe(state, check)
    try:
        accepted = MACHINE.events[action].trigger(probe)
    except MachineError:
        raise IllegalTransition(state, action, allowed_actions(state)) from None
    return probe.state if accepted else None


def mermaid() -> str:
    """The lifecycle as a Mermaid stateDiagram-v2, read off the machine built from the table."""
    lines = ["stateDiagram-v2", f"    [*] --> {MACHINE.initial}: request"]
    for action, machine_event in MACHINE.events.items():
        for source, moves in machine_event.transitions.items():
            for move in moves:
                guards = [str(c.func) for c in move.conditions]
                label = f"{action} [{', '.join(guards)}]" if guards else action
                lines.append(f"    {source} --> {move.dest}: {label}")
    lines.extend(f"    {state} --> [*]" for state in FINAL)
    return "\n".join(lines) + "\n"


def describe() -> dict[str, Any]:
    """States, transitions and guards as data, for the API and the docs."""
    return {
        "states": list(STATES),
        "initial": INITIAL,
        "final": list(FINAL),
        "transitions": [
            {"action": t.action, "from": list(t.sources), "to": t.dest, "guards": list(t.guards)}
            for t in TABLE
        ],
        "guards": list(GUARDS),
        "mermaid": mermaid(),
    }
