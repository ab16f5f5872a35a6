"""Erasure of a person's data (Law 91/2025/QH15): one record per person, under their pseudonym,
that says who erased what and why, without the erased data."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.evolution import versioned
from domain.values import CommandMeta


@versioned(snapshot=1, events={"Registered": 1, "Erased": 1})
class Person(Aggregate):
    """The erasures of one person's data, by pseudonym."""

    @event("Registered")
    def __init__(self, pseudonym: str) -> None:
        self.pseudonym = pseudonym
        self.erased: tuple[UUID, ...] = ()
        self.last_erased_at: int | None = None

    @staticmethod
    def create_id(pseudonym: str) -> UUID:
        return person_id(pseudonym)

    @event("Erased")
    def erase(
        self,
        meta: CommandMeta,
        secondment_ids: tuple[UUID, ...],
        reason: str,
        legal_basis: str,
        erased_on: date,
        nomination_ids: tuple[UUID, ...] = (),
    ) -> None:
        """Their keys were destroyed: these secondments' and nominations' personal data reads
        as erased (events stored before nominations existed read with none)."""
        self.erased = tuple(dict.fromkeys((*self.erased, *secondment_ids)))


def person_id(pseudonym: str) -> UUID:
    """The person's record: the second half of their pseudonym (the first names engagements)."""
    return UUID(hex=pseudonym[32:64])
