"""What a list of requests carries (a spreadsheet turned into commands): one `NewRequest` per
row, and optionally one `Approval` that approves them all under one decision."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from domain.plan_values import PlanLink
from domain.values import CommandMeta, Decision, Field, Host, Kind, Official, Term, Violation


@dataclass(frozen=True)
class NewRequest:
    """One request of a batch: what `SecondmentRegistry.request` takes, and, when the batch is
    approved at once, the reason for approving this official although not eligible."""

    official: Official
    home_agency: str
    host: Host
    kind: Kind
    fields: tuple[Field, ...]
    planned: Term
    reason: str
    override_reason: str | None = None
    requested_on: date | None = None
    """The request's business date (None: undated, as `SecondmentRegistry.request` takes it)."""
    plan: PlanLink | None = None
    """The plan whose decision creates this request (None: a request of its own)."""


@dataclass(frozen=True)
class Approval:
    """The decision that approves a whole batch, and the approved term."""

    decision: Decision
    term: Term


def row_meta(meta: CommandMeta, index: int) -> CommandMeta:
    """Row `index`'s own command: its id names the secondment the row creates, so a repeated
    batch creates nothing new."""
    return CommandMeta(meta.actor, f"{meta.command_id}:{index}", meta.correlation_id)


def within(prefix: str, violations: Sequence[Violation]) -> list[Violation]:
    """The violations of one row, with the row named in front of each field."""
    return [
        Violation(v.rule, f"{prefix}.{v.field}" if v.field else prefix, v.message)
        for v in violations
    ]
