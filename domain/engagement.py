"""One record per official, so that a person holds at most one active secondment at a time.

Approval saves the secondment and this record in one atomic write: two approvals for the same
person race on this record's version, and the loser retries and finds the person taken.

The record's id and its `personnel_id` field hold the person's pseudonym (a keyed HMAC of the
personnel id, see domain/personal.py), not the id itself. Records stored before that are found
by `legacy_engagement_id` (a uuid5 of the plain id) and keep serving the person.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.evolution import versioned


@versioned(snapshot=1, events={"Registered": 1, "Engaged": 1, "Released": 1})
class Engagement(Aggregate):
    """Which secondment, if any, currently occupies an official."""

    @event("Registered")
    def __init__(self, personnel_id: str) -> None:
        """`personnel_id`: the person's pseudonym (older records: the plain id)."""
        self.personnel_id = personnel_id
        self.active: UUID | None = None

    @staticmethod
    def create_id(personnel_id: str) -> UUID:
        return engagement_id(personnel_id)

    @event("Engaged")
    def engage(self, secondment_id: UUID) -> None:
        self.active = secondment_id

    @event("Released")
    def release(self, secondment_id: UUID) -> None:
        if self.active == secondment_id:
            self.active = None


def engagement_id(pseudonym: str) -> UUID:
    """The record of the person with this pseudonym (a hex HMAC)."""
    return UUID(hex=pseudonym[:32])


def legacy_engagement_id(personnel_id: str) -> UUID:
    """Where a record stored before pseudonyms lives (uuid5 of the personnel id as given)."""
    return uuid5(NAMESPACE_URL, f"secondment-registry:official:{personnel_id}")
