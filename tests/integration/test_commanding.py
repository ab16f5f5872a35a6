"""The shared plumbing on a toy aggregate: a declared lifecycle decides, the runner saves once
per command id, refuses a stale version, and the declaration grants actions per role."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

import pytest
from eventsourcing.domain import event

from domain.application import SecondmentRegistry
from domain.commanding import Commanded, Commands, Guard
from domain.declaration import Lifecycle, Transition, roles
from domain.errors import IllegalTransition, RuleViolation, StaleVersion
from domain.values import Actor, CommandMeta, Role, Violation

TOY = Lifecycle(
    name="toy",
    states=("open", "shut"),
    initial="open",
    final=("shut",),
    table=(
        Transition("shut", ("open",), "shut", ("reason_given",), roles(Role.COMMUNE), "Đóng"),
        Transition("poke", ("open",), None),
    ),
    state_labels={"open": "Mở", "shut": "Đóng"},
    rights={Role.AUDITOR: frozenset({"read"})},
)


def _reason(toy: Any, data: Any) -> list[Violation]:
    return [] if data.get("reason") else [Violation("reason_given", "reason", "give a reason")]


class Toy(Commanded):
    LIFECYCLE = TOY
    GUARDS: ClassVar[Mapping[str, Guard]] = {"reason_given": _reason}

    @event("Opened")
    def __init__(self, meta: CommandMeta) -> None:
        self.state = TOY.initial
        self.command_ids = {meta.command_id: self.version}

    @staticmethod
    def create_id(meta: CommandMeta) -> UUID:
        return toy_id(meta)

    def shut(self, meta: CommandMeta, reason: str) -> None:
        self._shut(meta, self._decide("shut", {"reason": reason}))

    @event("Shut")
    def _shut(self, meta: CommandMeta, to_state: str) -> None:
        self.state = to_state
        self._remember(meta)


def meta(command: str) -> CommandMeta:
    return CommandMeta(Actor("u", Role.COMMUNE), command, "r")


def toy_id(m: CommandMeta) -> UUID:
    return uuid5(NAMESPACE_URL, f"toy:{m.command_id}")


@pytest.fixture
def commands(registry: SecondmentRegistry) -> Commands[Toy]:
    return Commands(registry, Toy)


def test_create_once_and_run_once_per_command(commands: Commands[Toy]) -> None:
    first = commands.create(meta("c1"), toy_id(meta("c1")), lambda: Toy(meta("c1")))
    again = commands.create(meta("c1"), toy_id(meta("c1")), lambda: Toy(meta("c1")))
    assert (first.version, again.version, again.replayed) == (1, 1, True)
    done = commands.run(first.record.id, meta("c2"), 1, lambda t: t.shut(meta("c2"), "xong"))
    replay = commands.run(first.record.id, meta("c2"), 1, lambda t: t.shut(meta("c2"), "xong"))
    assert (done.record.state, done.event_type, replay.replayed) == ("shut", "Shut", True)
    assert replay.position == done.position


def test_guards_stale_versions_and_illegal_actions(commands: Commands[Toy]) -> None:
    created = commands.create(meta("c1"), toy_id(meta("c1")), lambda: Toy(meta("c1")))
    with pytest.raises(RuleViolation) as refused:
        commands.run(created.record.id, meta("c2"), None, lambda t: t.shut(meta("c2"), ""))
    assert [v.rule for v in refused.value.violations] == ["reason_given"]
    with pytest.raises(StaleVersion):
        commands.run(created.record.id, meta("c3"), 7, lambda t: t.shut(meta("c3"), "x"))
    commands.run(created.record.id, meta("c4"), None, lambda t: t.shut(meta("c4"), "x"))
    with pytest.raises(IllegalTransition):
        commands.run(created.record.id, meta("c5"), None, lambda t: t.shut(meta("c5"), "x"))


def test_the_declaration_grants_by_role() -> None:
    assert TOY.permits(Role.COMMUNE, "shut") and not TOY.permits(Role.AGENCY, "shut")
    assert TOY.permissions(Role.AUDITOR) == {"read"}
    assert TOY.system_actions == ("poke",)
    assert TOY.allowed_for(Role.COMMUNE, "open") == ["shut"]
    assert "open --> shut: shut [reason_given]" in TOY.mermaid()


def test_a_lifecycle_must_label_and_check_what_it_declares() -> None:
    with pytest.raises(TypeError, match="without a label"):
        Lifecycle("x", ("a", "b"), "a", ("b",), (), state_labels={"a": "A"})
    with pytest.raises(TypeError, match="without a check"):
        type("Bad", (Commanded,), {"LIFECYCLE": TOY, "GUARDS": {}})
