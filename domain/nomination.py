"""A nomination: one official proposed for a plan by their agency. It is its own record so
that the official's personal data is sealed under their key alone (erasing them makes it read
"[đã xóa]"); the plan keeps only what the matching needs."""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.evolution import versioned
from domain.values import CommandMeta, Field, Official


@versioned(snapshot=1, events={"Proposed": 1})
class Nomination(Aggregate):
    """One official proposed for a plan (đề cử), with their home agency and fields."""

    @event("Proposed")
    def __init__(
        self,
        meta: CommandMeta,
        effective_on: date,
        plan_id: UUID,
        official: Official,
        home_agency: str,
        fields: tuple[Field, ...],
    ) -> None:
        self.proposed_by = meta.actor
        self.proposed_on = effective_on
        self.plan_id = plan_id
        self.official = official
        self.home_agency = home_agency
        self.fields = tuple(fields)

    @staticmethod
    def create_id(meta: CommandMeta) -> UUID:
        return nomination_id_for(meta.command_id)


def nomination_id_for(command_id: str) -> UUID:
    """The nomination a command creates, so that a repeated command creates nothing new."""
    return uuid5(NAMESPACE_URL, f"secondment-registry:nomination:{command_id}")
