"""One declaration per aggregate: its lifecycle (states, actions, guards), who may act, and the
words people read, in one place that the machine, the API's permission check, the dashboard's
actions, the diagram and the tests all read.

The `transitions` machine is never bound to an aggregate (see the library notes): a command fires
the trigger on a throw-away probe that carries the current state and asks the aggregate's guards.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from transitions import Machine, MachineError

from domain.errors import IllegalTransition
from domain.values import Role

logging.getLogger("transitions").setLevel(logging.WARNING)

GuardCheck = Callable[[str], bool]


@dataclass(frozen=True)
class Transition:
    """A row of a lifecycle table: an action, the states it is legal from, where it leads
    (None: it stays), the guards it asks, the roles that may give it and its Vietnamese label.
    A row with no roles is taken only by the system (timers)."""

    action: str
    sources: tuple[str, ...]
    dest: str | None
    guards: tuple[str, ...] = ()
    roles: frozenset[Role] = frozenset()
    label: str = ""

    def destination(self, source: str) -> str:
        return self.dest or source

    @property
    def system(self) -> bool:
        return not self.roles


@dataclass(frozen=True)
class Lifecycle:
    """An aggregate's lifecycle table and everything read off it.

    `rights` grants actions outside the table (reading, creating, reporting…) to roles;
    `state_labels` and the rows' labels are the Vietnamese words the dashboard shows."""

    name: str
    states: tuple[str, ...]
    initial: str
    final: tuple[str, ...]
    table: tuple[Transition, ...]
    state_labels: Mapping[str, str] = field(default_factory=dict)
    rights: Mapping[Role, frozenset[str]] = field(default_factory=dict)
    create_label: str = "create"
    right_labels: Mapping[str, str] = field(default_factory=dict)
    """The words for actions outside the table (e.g. creating the record)."""

    def __post_init__(self) -> None:
        unknown = {s for t in self.table for s in (*t.sources, t.dest or t.sources[0])} - set(
            self.states
        )
        if unknown or self.initial not in self.states or set(self.final) - set(self.states):
            raise TypeError(f"{self.name}: states not declared: {sorted(unknown)}")
        missing = set(self.states) - set(self.state_labels)
        if self.state_labels and missing:
            raise TypeError(f"{self.name}: states without a label: {sorted(missing)}")

    # -- read off the table ---------------------------------------------------------------------

    @property
    def what(self) -> str:
        """The kind of record, as messages name it ("study visit")."""
        return self.name.replace("_", " ")

    @cached_property
    def actions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.action for t in self.table))

    @cached_property
    def guards(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(g for t in self.table for g in t.guards))

    @cached_property
    def system_actions(self) -> tuple[str, ...]:
        """Actions only the system takes; no person is ever offered them."""
        return tuple(dict.fromkeys(t.action for t in self.table if t.system))

    @cached_property
    def person_actions(self) -> frozenset[str]:
        return frozenset(a for a in self.actions if a not in self.system_actions)

    @cached_property
    def action_labels(self) -> dict[str, str]:
        """Every action's words: the table's rows, then the rights outside it."""
        found: dict[str, str] = {}
        for row in self.table:
            if row.label:
                found.setdefault(row.action, row.label)
        return {**found, **self.right_labels}

    def action_label(self, action: str) -> str:
        return self.action_labels.get(action, action)

    def sources(self, action: str) -> tuple[str, ...]:
        """The states an action is legal from (guards aside), in declared order."""
        found = {s for t in self.table if t.action == action for s in t.sources}
        return tuple(s for s in self.states if s in found)

    @cached_property
    def _granted(self) -> dict[Role, frozenset[str]]:
        """Each role's actions, read off the rows and the rights once per declaration."""
        return {
            role: frozenset(
                {t.action for t in self.table if role in t.roles} | self.rights.get(role, set())
            )
            for role in Role
        }

    def permissions(self, role: Role) -> frozenset[str]:
        """Every action (in the table or among the rights) this role may take."""
        return self._granted[role]

    def permits(self, role: Role, action: str) -> bool:
        return action in self.permissions(role)

    # -- the machine -------------------------------------------------------------------------

    def machine_transitions(self) -> list[dict[str, Any]]:
        """The table in the form `transitions` takes, one entry per source state."""
        return [
            {
                "trigger": t.action,
                "source": source,
                "dest": t.destination(source),
                "conditions": list(t.guards),
            }
            for t in self.table
            for source in t.sources
        ]

    @cached_property
    def machine(self) -> Machine:
        return Machine(
            model=None,
            states=list(self.states),
            transitions=self.machine_transitions(),
            initial=self.initial,
            auto_transitions=False,
            send_event=True,
        )

    def allowed_actions(self, state: str) -> list[str]:
        """Actions legal from a state, guards aside, in table order."""
        triggers = set(self.machine.get_triggers(state))
        return [a for a in self.actions if a in triggers]

    def allowed_for(self, role: Role, state: str) -> list[str]:
        """The actions legal from a state that this role may take."""
        granted = self.permissions(role)
        return [a for a in self.allowed_actions(state) if a in granted]

    def transition_for(self, state: str, action: str) -> Transition:
        """The table row that applies to an action from a state; IllegalTransition if none."""
        for row in self.table:
            if row.action == action and state in row.sources:
                return row
        raise IllegalTransition(state, action, self.allowed_actions(state), self.what)

    def decide(self, state: str, action: str, check: GuardCheck) -> str | None:
        """Fires the action on the machine: the destination state, or None when a guard refused."""
        if action not in self.machine.events:
            raise IllegalTransition(state, action, self.allowed_actions(state), self.what)
        probe = _Probe(state, check, self.guards)
        try:
            accepted = self.machine.events[action].trigger(probe)
        except MachineError:
            raise IllegalTransition(state, action, self.allowed_actions(state), self.what) from None
        return probe.state if accepted else None

    # -- for people and documents ------------------------------------------------------------

    def mermaid(self) -> str:
        """The lifecycle as a Mermaid stateDiagram-v2, read off the machine built from the table."""
        lines = ["stateDiagram-v2", f"    [*] --> {self.initial}: {self.create_label}"]
        for action, machine_event in self.machine.events.items():
            for source, moves in machine_event.transitions.items():
                for move in moves:
                    guards = [str(c.func) for c in move.conditions]
                    label = f"{action} [{', '.join(guards)}]" if guards else action
                    lines.append(f"    {source} --> {move.dest}: {label}")
        lines.extend(f"    {state} --> [*]" for state in self.final)
        return "\n".join(lines) + "\n"

    def describe(self) -> dict[str, Any]:
        """States, transitions, guards and roles as data, for the API and the docs."""
        return {
            "states": list(self.states),
            "initial": self.initial,
            "final": list(self.final),
            "transitions": [
                {
                    "action": t.action,
                    "from": list(t.sources),
                    "to": t.dest,
                    "guards": list(t.guards),
                    "roles": sorted(r.value for r in t.roles),
                }
                for t in self.table
            ],
            "guards": list(self.guards),
            "mermaid": self.mermaid(),
        }


def roles(*granted: Role) -> frozenset[Role]:
    return frozenset(granted)


def grant(pairs: Iterable[tuple[Iterable[Role], Iterable[str]]]) -> dict[Role, frozenset[str]]:
    """Rights outside the table, from (roles, actions) pairs."""
    found: dict[Role, set[str]] = {}
    for granted_roles, actions in pairs:
        for role in granted_roles:
            found.setdefault(role, set()).update(actions)
    return {role: frozenset(actions) for role, actions in found.items()}


class _Probe:
    """A throw-away model for one decision: the current state, and guards answered by a callback."""

    def __init__(self, state: str, check: GuardCheck, guards: tuple[str, ...]) -> None:
        self.state = state
        self._check = check
        self._guards = guards

    def __getattr__(self, name: str) -> Callable[[object], bool]:
        if name.startswith("_") or name not in self._guards:
            raise AttributeError(name)
        return lambda _event_data: self._check(name)
