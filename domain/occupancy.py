"""One active secondment per official at a time: the official's engagement moves with every
command that makes a secondment occupy them, changes its term, or releases them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.application import Application

from domain.commanding import get_or_create
from domain.engagement import Engagement, engagement_id, legacy_engagement_ids
from domain.errors import RuleViolation
from domain.secondment import Secondment
from domain.values import Term, Violation, personnel_key

if TYPE_CHECKING:
    from domain.personal import Keyring

Before = tuple[bool, Term | None]
"""Whether a secondment occupied its official before a command, and for which term."""


class Occupancy(Application[UUID]):
    """The engagement part of the registry."""

    if TYPE_CHECKING:
        keyring: Keyring

        def get(self, secondment_id: UUID, version: int | None = None) -> Secondment: ...

    def active_secondment_of(self, personnel_id: str) -> UUID | None:
        return self._engagement(personnel_id).active

    def _occupancy(
        self, s: Secondment, before: Before, engagements: dict[str, Engagement]
    ) -> list[Engagement]:
        """Engages the official for the secondment's term, or releases them when it stops
        occupying them; refuses a term that overlaps another of the official's secondments."""
        was_occupying, old_term = before
        if s.occupies_official == was_occupying and (not was_occupying or s.term == old_term):
            return []
        key = personnel_key(s.official.personnel_id)
        if key not in engagements:
            engagements[key] = self._engagement(s.official.personnel_id)
        engagement = engagements[key]
        if not s.occupies_official:
            engagement.release(s.id)
            return [engagement]
        assert s.term is not None
        field = "new_end" if was_occupying else "official.personnel_id"
        for other, term in engagement.held.items():
            if other != s.id and (term or self.get(other).term or s.term).overlaps(s.term):
                message = (
                    f"official {s.official.personnel_id} already holds secondment {other}"
                    " for an overlapping term"
                )
                raise RuleViolation(
                    [Violation("one_active_secondment", field, message, about=other)]
                )
        engagement.engage(s.id, s.term.start, s.term.end)
        return [engagement]

    def _engagement(self, personnel_id: str) -> Engagement:
        """The official's engagement, under their pseudonym; a new one starts from the records
        kept under a uuid5 of their id, if an earlier release wrote them."""
        pseudonym = self.keyring.pseudonym(personnel_id)

        def create() -> Engagement:
            engagement = Engagement(pseudonym)
            for legacy in legacy_engagement_ids(personnel_id):
                if legacy in self.repository:
                    earlier: Any = self.repository.get(legacy)
                    for held, term in earlier.held.items():
                        start, end = (term.start, term.end) if term else (None, None)
                        engagement.engage(held, start, end)
            return engagement

        return get_or_create(self, Engagement, engagement_id(pseudonym), create)
