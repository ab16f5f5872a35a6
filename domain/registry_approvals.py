"""Approving secondments: one by one, or many by one decision (all or none), each through the
same rules and the official's engagement."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain.commanding import RETRIES, Commands
from domain.engagement import Engagement
from domain.errors import Conflict, IllegalTransition, RuleViolation, SecondmentNotFound
from domain.recorded import Dated, Recorded
from domain.registry_base import RegistryBase
from domain.secondment import Secondment
from domain.values import (
    CommandMeta,
    Decision,
    Term,
    Violation,
)


class Approvals(RegistryBase):
    """The approval commands of the registry."""

    def approve(
        self,
        secondment_id: UUID,
        meta: CommandMeta,
        decision: Decision,
        term: Term,
        override_reason: str | None = None,
        expected_version: int | None = None,
        consulted_on: date | None = None,
    ) -> Recorded:
        self._not_in_future({"decision.date": decision.date})

        def act(s: Secondment) -> None:
            self._approve(s, meta, decision, term, override_reason, consulted_on)

        dated = Dated("approve", "decision.date", decision.date)
        return self._run(secondment_id, meta, expected_version, act, dated)

    def _approve(
        self,
        s: Secondment,
        meta: CommandMeta,
        decision: Decision,
        term: Term,
        override_reason: str | None,
        consulted_on: date | None,
    ) -> None:
        """Every approval path goes through here, with the same rules and settings."""
        s.approve(
            meta,
            decision,
            term,
            override_reason,
            self.max_term_months,
            consulted_on,
            self.maternity_rule_civil_servants,
        )

    def approve_many(
        self,
        meta: CommandMeta,
        secondment_ids: Sequence[UUID],
        decision: Decision,
        term: Term,
        consulted_on: date | None = None,
        overrides: Mapping[UUID, str] | None = None,
        dry_run: bool = False,
    ) -> list[Recorded]:
        """Approves every listed secondment by one decision, all or none; `overrides` gives the
        reason to approve an official who is not eligible. `dry_run` checks and records nothing."""
        self._not_in_future({"decision.date": decision.date})
        for attempt in range(RETRIES):
            loaded = self._load_batch(secondment_ids, fresh=attempt > 0)
            processed = [s.has_processed(meta.command_id) for s in loaded]
            if all(processed):
                return [self._replay(s, meta.command_id) for s in loaded]
            if any(processed):
                message = "this command was already applied to a different list"
                raise RuleViolation(
                    [Violation("idempotency_key_reused", "secondment_ids", message)]
                )
            engagements: dict[str, Engagement] = {}
            violations: list[Violation] = []
            for index, s in enumerate(loaded):
                override = (overrides or {}).get(s.id)
                violations.extend(
                    self._approve_in_batch(
                        s, index, meta, decision, term, consulted_on, engagements, override
                    )
                )
            if violations:
                for s in loaded:
                    self.held.drop(s.id)
                raise RuleViolation(violations)
            if dry_run:
                for s in loaded:
                    self.held.drop(s.id)  # approved here in memory only
                return [Recorded(s, s.version, 0) for s in loaded]
            try:
                recordings = self.save(*loaded, *engagements.values())
            except IntegrityError:
                continue
            return [Recorded.of(Commands.answer(s, recordings)) for s in loaded]
        raise Conflict("the secondments kept changing while the decision was applied")

    def _load_batch(self, secondment_ids: Sequence[UUID], fresh: bool) -> list[Secondment]:
        violations: list[Violation] = []
        loaded: list[Secondment] = []
        if not secondment_ids:
            violations.append(
                Violation("secondments_required", "secondment_ids", "name at least one")
            )
        for index, secondment_id in enumerate(secondment_ids):
            field = f"secondment_ids[{index}]"
            if secondment_id in secondment_ids[:index]:
                violations.append(Violation("distinct_secondments", field, "listed twice"))
                continue
            try:
                loaded.append(self.held.load(secondment_id, fresh, self.get))
            except SecondmentNotFound:
                violations.append(Violation("secondment_exists", field, "no such secondment"))
        if violations:
            raise RuleViolation(violations)
        return loaded

    def _approve_in_batch(
        self,
        s: Secondment,
        index: int,
        meta: CommandMeta,
        decision: Decision,
        term: Term,
        consulted_on: date | None,
        engagements: dict[str, Engagement],
        override_reason: str | None = None,
        listed_as: str = "secondment_ids",
    ) -> list[Violation]:
        field = f"{listed_as}[{index}]"
        try:
            s.check_business_date("approve", "decision.date", decision.date, self.today())
            self._approve(s, meta, decision, term, override_reason, consulted_on)
            self._occupancy(s, (False, None), engagements)
        except IllegalTransition as e:
            return [Violation("state", field, f"{s.id} is {e.state}; cannot approve")]
        except RuleViolation as e:
            return [
                Violation(v.rule, f"{field}.{v.field}", f"{s.id}: {v.message}", v.about)
                for v in e.violations
            ]
        return []
