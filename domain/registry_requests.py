"""Requesting secondments: one, or a list in one save (all or none), optionally approved under
one decision."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from domain import lifecycle, rules
from domain.batches import Approval, NewRequest, row_meta, within
from domain.commanding import Commands
from domain.engagement import Engagement
from domain.errors import RuleViolation
from domain.recorded import Recorded
from domain.registry_approvals import Approvals
from domain.secondment import Secondment, secondment_id_for
from domain.values import (
    CommandMeta,
    Field,
    Host,
    Kind,
    Official,
    Term,
    Violation,
)


class Requests(Approvals):
    """The request commands of the registry."""

    def request(
        self,
        meta: CommandMeta,
        official: Official,
        home_agency: str,
        host: Host,
        kind: Kind,
        fields: Sequence[Field],
        planned: Term,
        reason: str,
        requested_on: date | None = None,
    ) -> Recorded:
        """Records a request; `requested_on` is its business date (None: undated, and then it
        does not constrain the dates of later facts)."""
        new = NewRequest(
            official, home_agency, host, kind, tuple(fields), planned, reason, None, requested_on
        )
        self._validate(new)
        secondment_id = secondment_id_for(meta.command_id)
        return Recorded.of(
            self.secondments.create(meta, secondment_id, lambda: self._new(meta, new))
        )

    def _validate(self, new: NewRequest) -> None:
        unique_fields = tuple(dict.fromkeys(new.fields))
        Secondment.validate_request(
            new.host, unique_fields, new.planned, new.home_agency, self.max_term_months
        )
        future = rules.not_in_future("requested_on", new.requested_on, self.today())
        if future:
            raise RuleViolation(future)

    def _new(self, meta: CommandMeta, new: NewRequest) -> Secondment:
        unique_fields = tuple(dict.fromkeys(new.fields))
        return Secondment(
            meta=meta,
            to_state=lifecycle.INITIAL,
            effective_on=new.requested_on,
            official=new.official,
            home_agency=new.home_agency.strip(),
            host=new.host,
            kind=new.kind,
            fields=unique_fields,
            planned=new.planned,
            reason=new.reason,
            plan=new.plan,
        )

    def request_many(
        self,
        meta: CommandMeta,
        requests: Sequence[NewRequest],
        approval: Approval | None = None,
        dry_run: bool = False,
    ) -> list[Recorded]:
        """Records every request of a list (approved under one decision when `approval` is
        given) in one save, all or none; RuleViolation names each failing row. `dry_run` checks
        everything and records nothing."""
        metas = [row_meta(meta, i) for i in range(len(requests))]
        if metas and secondment_id_for(metas[0].command_id) in self.repository:
            return self._replay_many(metas)
        prepared = self.prepare_many(meta, requests, approval)
        secondments = [s for s in prepared if isinstance(s, Secondment)]
        if dry_run:
            return [Recorded(s, s.version, 0) for s in secondments]
        try:
            recordings = self.save(*prepared)
        except IntegrityError:
            return self._replay_many(metas)
        return [Recorded.of(Commands.answer(s, recordings)) for s in secondments]

    def prepare_many(
        self,
        meta: CommandMeta,
        requests: Sequence[NewRequest],
        approval: Approval | None = None,
        listed_as: str = "rows",
    ) -> list[Aggregate]:
        """The secondments of a list (approved under `approval` when given) and the
        engagements they take, unsaved, so that a caller can save them with its own record in
        one transaction; RuleViolation names each failing row as `listed_as[i]`."""
        metas = [row_meta(meta, i) for i in range(len(requests))]
        created, violations = self._batch(metas, requests, approval, listed_as)
        if violations:
            raise RuleViolation(violations)
        return [*(s for s, _ in created), *{e.id: e for _, e in created if e}.values()]

    def _batch(
        self,
        metas: Sequence[CommandMeta],
        requests: Sequence[NewRequest],
        approval: Approval | None,
        listed_as: str = "rows",
    ) -> tuple[list[tuple[Secondment, Engagement | None]], list[Violation]]:
        violations: list[Violation] = []
        if not requests:
            violations.append(Violation("rows_required", "rows", "name at least one request"))
        created: list[tuple[Secondment, Engagement | None]] = []
        engagements: dict[str, Engagement] = {}
        for index, (row, new) in enumerate(zip(metas, requests, strict=True)):
            try:
                self._validate(new)
                s = self._new(row, new)
            except RuleViolation as e:
                violations.extend(within(f"{listed_as}[{index}]", e.violations))
                continue
            if approval is not None:
                violations.extend(
                    self._approve_in_batch(
                        s,
                        index,
                        row,
                        approval.decision,
                        approval.term,
                        None,
                        engagements,
                        new.override_reason,
                        listed_as,
                    )
                )
            created.append((s, engagements.get(new.official.personnel_id)))
        return created, violations

    def _replay_many(self, metas: Sequence[CommandMeta]) -> list[Recorded]:
        return [
            self._replay(self.get(secondment_id_for(m.command_id)), m.command_id) for m in metas
        ]
