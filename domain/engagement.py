"""One record per official, so that a person never holds two secondments with overlapping terms.

Approval saves the secondment and this record in one atomic write: two approvals for the same
person race on this record's version, and the loser retries and finds the term taken.

The record's id and its `personnel_id` field hold the person's pseudonym (a keyed HMAC of the
normalised personnel id, see domain/personal.py), not the id itself. Records stored before that
were keyed by a uuid5 of the id (normalised, or earlier as typed): they are still read (see
`legacy_engagement_ids`) and keep serving the person.
"""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.evolution import versioned
from domain.values import Term, personnel_key


@versioned(snapshot=1, events={"Registered": 1, "Engaged": 1, "Released": 1})
class Engagement(Aggregate):
    """Which secondments, with which terms, occupy an official."""

    @event("Registered")
    def __init__(self, personnel_id: str) -> None:
        """`personnel_id`: the person's pseudonym (older records: the plain id)."""
        self.personnel_id = personnel_id
        self.active: UUID | None = None
        self.held: dict[UUID, Term | None] = {}
        """Each occupying secondment's term (None: engaged before terms were recorded)."""

    @staticmethod
    def create_id(personnel_id: str) -> UUID:
        return engagement_id(personnel_id)

    @event("Engaged")
    def engage(
        self, secondment_id: UUID, start: date | None = None, end: date | None = None
    ) -> None:
        self.active = secondment_id
        self.held[secondment_id] = Term(start, end) if start and end else None

    @event("Released")
    def release(self, secondment_id: UUID) -> None:
        self.held.pop(secondment_id, None)
        if self.active == secondment_id:
            self.active = next(reversed(self.held), None)


def engagement_id(pseudonym: str) -> UUID:
    """The record of the person with this pseudonym (a hex HMAC)."""
    return UUID(hex=pseudonym[:32])


def legacy_engagement_id(personnel_id: str) -> UUID:
    """Where an engagement was kept when ids were keyed as typed (read, never written again)."""
    return uuid5(NAMESPACE_URL, f"secondment-registry:official:{personnel_id}")


def legacy_engagement_ids(personnel_id: str) -> tuple[UUID, ...]:
    """Where records stored before pseudonyms live (read, never written again): a uuid5 of the
    normalised id, and before that of the id as typed."""
    keyed = dict.fromkeys((personnel_key(personnel_id), personnel_id))
    return tuple(legacy_engagement_id(k) for k in keyed)
