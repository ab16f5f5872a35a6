"""The lifecycle commands after approval: reject, withdraw, deploy, report, difficulties, extend,
handover, end, recall, return, and corrections of recorded facts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any
from uuid import UUID

from domain import corrections, history, rules
from domain.errors import RuleViolation
from domain.recorded import Dated, Recorded
from domain.records import Handover, Report, Return
from domain.registry_base import RegistryBase
from domain.secondment import Secondment
from domain.values import (
    CommandMeta,
    Decision,
    EscalationLevel,
    Field,
    HostEvaluation,
    Initiator,
    Term,
    Violation,
)


class LifecycleCommands(RegistryBase):
    """One method per command on one secondment (get → decide → save)."""

    def reject(
        self,
        secondment_id: UUID,
        meta: CommandMeta,
        reason: str,
        expected_version: int | None = None,
        effective_on: date | None = None,
    ) -> Recorded:
        return self._run_on(
            secondment_id,
            meta,
            expected_version,
            "reject",
            effective_on,
            lambda s, day: s.reject(meta, reason, day),
        )

    def withdraw(
        self,
        secondment_id: UUID,
        meta: CommandMeta,
        reason: str,
        expected_version: int | None = None,
        effective_on: date | None = None,
    ) -> Recorded:
        return self._run_on(
            secondment_id,
            meta,
            expected_version,
            "withdraw",
            effective_on,
            lambda s, day: s.withdraw(meta, reason, day),
        )

    def deploy(
        self,
        secondment_id: UUID,
        meta: CommandMeta,
        arrived_on: date,
        expected_version: int | None = None,
    ) -> Recorded:
        self._not_in_future({"arrived_on": arrived_on})
        dated = Dated("deploy", "arrived_on", arrived_on)
        return self._run(
            secondment_id, meta, expected_version, lambda s: s.deploy(meta, arrived_on), dated
        )

    def submit_report(
        self,
        secondment_id: UUID,
        meta: CommandMeta,
        kind: Any,
        period: Term,
        summary: str,
        procedures_handled: int = 0,
        staff_coached: int = 0,
        field_visits: int = 0,
        expected_version: int | None = None,
        submitted_on: date | None = None,
    ) -> Recorded:
        counts = (procedures_handled, staff_coached, field_visits)

        def act(s: Secondment, day: date) -> None:
            report = Report(kind, period.start, period.end, summary, *counts, day)
            s.submit_report(meta, report)

        return self._run_on(
            secondment_id, meta, expected_version, "report", submitted_on, act, "submitted_on"
        )

    def raise_difficulty(
        self,
        secondment_id: UUID,
        meta: CommandMeta,
        title: str,
        detail: str,
        field: Field,
        expected_version: int | None = None,
        effective_on: date | None = None,
    ) -> Recorded:
        return self._run_on(
            secondment_id,
            meta,
            expected_version,
            "raise_difficulty",
            effective_on,
            lambda s, day: s.raise_difficulty(meta, title, detail, field, day),
        )

    def escalate_difficulty(
        self,
        secondment_id: UUID,
        meta: CommandMeta,
        number: int,
        to: EscalationLevel,
        note: str,
        expected_version: int | None = None,
        effective_on: date | None = None,
    ) -> Recorded:
        return self._run_on(
            secondment_id,
            meta,
            expected_version,
            "escalate_difficulty",
            effective_on,
            lambda s, day: s.escalate_difficulty(meta, number, to, note, day),
        )

    def resolve_difficulty(
        self,
        secondment_id: UUID,
        meta: CommandMeta,
        number: int,
        resolution: str,
        expected_version: int | None = None,
        effective_on: date | None = None,
    ) -> Recorded:
        return self._run_on(
            secondment_id,
            meta,
            expected_version,
            "resolve_difficulty",
            effective_on,
            lambda s, day: s.resolve_difficulty(meta, number, resolution, day),
        )

    def extend(
        self,
        secondment_id: UUID,
        meta: CommandMeta,
        new_end: date,
        decision: Decision,
        expected_version: int | None = None,
    ) -> Recorded:
        self._not_in_future({"decision.date": decision.date})

        def act(s: Secondment) -> None:
            s.extend(meta, new_end, decision, self.max_term_months)

        dated = Dated("extend", "decision.date", decision.date)
        return self._run(secondment_id, meta, expected_version, act, dated)

    def start_handover(
        self,
        secondment_id: UUID,
        meta: CommandMeta,
        planned_on: date,
        recipients: Sequence[str],
        items: Sequence[str],
        expected_version: int | None = None,
    ) -> Recorded:
        handover = Handover(planned_on, tuple(recipients), tuple(items))
        dated = Dated("handover", "planned_on", planned_on)
        return self._run(
            secondment_id, meta, expected_version, lambda s: s.start_handover(meta, handover), dated
        )

    def end(
        self,
        secondment_id: UUID,
        meta: CommandMeta,
        ended_on: date,
        evaluation: HostEvaluation,
        expected_version: int | None = None,
    ) -> Recorded:
        self._not_in_future({"ended_on": ended_on})
        dated = Dated("end", "ended_on", ended_on)
        return self._run(
            secondment_id,
            meta,
            expected_version,
            lambda s: s.end(meta, ended_on, evaluation),
            dated,
        )

    def recall(
        self,
        secondment_id: UUID,
        meta: CommandMeta,
        ended_on: date,
        reason: str,
        by: Initiator,
        expected_version: int | None = None,
    ) -> Recorded:
        self._not_in_future({"ended_on": ended_on})
        dated = Dated("recall", "ended_on", ended_on)
        return self._run(
            secondment_id,
            meta,
            expected_version,
            lambda s: s.recall(meta, ended_on, reason, by),
            dated,
        )

    def correct(
        self,
        secondment_id: UUID,
        meta: CommandMeta,
        version: int,
        changes: Mapping[str, Any],
        reason: str,
        expected_version: int | None = None,
    ) -> Recorded:
        """Corrects data of the fact recorded at `version`: the corrected fact must pass the
        rules of its command, and the facts on the state path stay in business-date order."""

        def act(s: Secondment) -> None:
            every = list(self.events.get(secondment_id))
            original = self.fact_at(secondment_id, version)
            fact = type(original).__name__
            typed = corrections.read_changes(fact, changes)
            earlier = history.before(every, version)
            today = self.today()
            corrections.recheck(earlier, fact, original, typed, meta, today, self.max_term_months)
            index = sum(type(e).__name__ == "ReportSubmitted" for e in every[: version - 1])
            s.correct(meta, version, fact, typed, reason.strip(), index, today)
            if found := rules.path_in_order(s):
                field = f"changes.{corrections.DATE_OF[fact]}"
                raise RuleViolation([replace(v, field=field) for v in found])

        return self._run(secondment_id, meta, expected_version, act)

    def fact_at(self, secondment_id: UUID, version: int) -> Any:
        """The fact recorded at a version of a secondment; NotFound when there is none."""
        found = list(self.events.get(secondment_id, gt=version - 1, lte=version))
        if version < 1 or not found:
            raise RuleViolation([Violation("version_exists", "version", "no fact at this version")])
        return found[0]

    def record_return(
        self,
        secondment_id: UUID,
        meta: CommandMeta,
        returned_on: date,
        post: str,
        expected_version: int | None = None,
    ) -> Recorded:
        """The home agency took the official back after the end, to this post."""
        returned = Return(returned_on, post.strip())
        return self._run(
            secondment_id, meta, expected_version, lambda s: s.record_return(meta, returned)
        )
