"""A person's data as a whole (Law 91/2025/QH15): which secondments hold it, and its erasure.

A person is found by the pseudonym of their personnel id: the secondments whose personal data
is sealed under a live key of theirs. Erasure destroys those keys (their events then read
"[đã xóa]" where the personal data was) and records `Person.Erased`, which the read models
follow by removing the person's data from their rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.application import SecondmentRegistry, position_in
from domain.erasure import Person, person_id
from domain.errors import NotFound, RuleViolation
from domain.nomination import Nomination
from domain.secondment import Secondment
from domain.values import CommandMeta, Violation


class PersonNotFound(NotFound):
    """Raised when the registry holds nothing (readable) about a personnel id."""

    def __init__(self) -> None:
        super().__init__("person", "")
        self.args = ("person not found",)


@dataclass(frozen=True)
class Erasure:
    """What an erasure request found and did."""

    person: Person
    secondment_ids: tuple[UUID, ...]
    keys_destroyed: int
    position: int | None
    """The Erased event's position; None when the person had already been erased."""


def secondments_of(app: SecondmentRegistry, personnel_id: str) -> list[Secondment]:
    """The secondments whose personal data is sealed under a live key of this person."""
    return [s for s in _holding(app, personnel_id) if isinstance(s, Secondment)]


def nominations_of(app: SecondmentRegistry, personnel_id: str) -> list[Nomination]:
    """The plans' nominations whose personal data is sealed under a live key of this person."""
    return [n for n in _holding(app, personnel_id) if isinstance(n, Nomination)]


def _holding(app: SecondmentRegistry, personnel_id: str) -> list[Any]:
    subject = app.keyring.pseudonym(personnel_id)
    return [app.repository.get(i) for i in app.keyring.aggregates(subject)]


def erased_person(app: SecondmentRegistry, personnel_id: str) -> Person | None:
    """The person's erasure record, if their data was ever erased."""
    try:
        found: Any = app.repository.get(person_id(app.keyring.pseudonym(personnel_id)))
    except AggregateNotFoundError:
        return None
    assert isinstance(found, Person)
    return found


def erase(
    app: SecondmentRegistry,
    meta: CommandMeta,
    personnel_id: str,
    found: list[Secondment],
    reason: str,
    legal_basis: str,
    nominations: Sequence[Nomination] = (),
) -> Erasure:
    """Destroys the person's keys and records the erasure; refused while a secondment of theirs
    holds them (approved, deployed, reporting, handover). With nothing left to erase, the last
    erasure is the answer and nothing is recorded."""
    active = [s for s in found if s.occupies_official]
    if active:
        message = (
            "the official has a secondment that is approved, deployed, reporting or in handover"
        )
        raise RuleViolation([Violation("person_has_active_secondment", "personnel_id", message)])
    subject = app.keyring.pseudonym(personnel_id)
    person = erased_person(app, personnel_id)
    if not found and not nominations:
        if person is None:
            raise PersonNotFound()
        return Erasure(person, person.erased, 0, None)
    destroyed = app.keyring.destroy(subject)
    person = person or Person(subject)
    ids = tuple(s.id for s in found)
    nominated = tuple(n.id for n in nominations)
    person.erase(meta, ids, reason, legal_basis, app.today(), nominated)
    recordings = app.save(person)
    return Erasure(person, ids, destroyed, position_in(recordings, person.id))
