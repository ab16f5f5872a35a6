"""The application: one method per command (get → decide → save), history, and the commune needs."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate, DomainEventProtocol
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    Mapper,
    Recording,
    Transcoder,
)
from eventsourcing.utils import Environment

from domain import corrections, deadlines, history, lifecycle, rules, transcodings
from domain.batches import Approval, NewRequest, row_meta, within
from domain.commune import CommuneNeeds, commune_needs_id
from domain.deadlines import Cadence
from domain.engagement import Engagement, engagement_id, legacy_engagement_ids
from domain.errors import (
    Conflict,
    IllegalTransition,
    NotFound,
    RuleViolation,
    SecondmentNotFound,
    StaleVersion,
)
from domain.held import Held
from domain.history import VIETNAM
from domain.personal import ERASED, Keyring, KeyringMissing, MemoryKeyring
from domain.positions import positioned_page, positions
from domain.records import Handover, Report, Return
from domain.secondment import Secondment, secondment_id_for
from domain.units import host_violations
from domain.values import (
    Actor,
    Area,
    CommandMeta,
    Decision,
    EscalationLevel,
    Field,
    Host,
    HostEvaluation,
    Initiator,
    Kind,
    Official,
    Role,
    Term,
    Violation,
    personnel_key,
)

SYSTEM_ACTOR = Actor("timers", Role.SYSTEM)
RETRIES = 8
A = TypeVar("A", bound=Aggregate)
Clock = Callable[[], datetime]
Occupancy = tuple[bool, Term | None]
"""Whether a secondment occupied its official before a command, and for which term."""


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Recorded:
    """What a command returns: the record after it, its version, and the event's log position."""

    secondment: Secondment
    version: int
    position: int
    replayed: bool = False
    event_type: str = ""
    """The name of the event the command recorded, e.g. "Approved"."""


@dataclass(frozen=True)
class RecordedNeeds:
    """What a needs declaration returns."""

    needs: CommuneNeeds
    position: int
    replayed: bool = False


@dataclass(frozen=True)
class Dated:
    """A command's business date: the action it dates, the request field that carries it."""

    action: str
    field: str
    on: date


@dataclass(frozen=True)
class StoredEvent:
    """One event of a secondment's history, with its position in the global log."""

    position: int
    event: DomainEventProtocol[UUID]


class SecondmentRegistry(Application[UUID]):
    """Requests, approves, deploys, follows and ends secondments; answers for their history."""

    name = "Secondments"

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        snapshot_interval: int = 50,
        max_term_months: int = 36,
        clock: Clock = utc_now,
        maternity_rule_civil_servants: bool = True,
    ) -> None:
        self.snapshotting_intervals = (  # type: ignore[misc]
            {Secondment: snapshot_interval} if snapshot_interval else {}
        )
        env = dict(env or {})
        if snapshot_interval:
            env.setdefault("IS_SNAPSHOTTING_ENABLED", "y")
        self.max_term_months = max_term_months
        self.maternity_rule_civil_servants = maternity_rule_civil_servants
        """Whether Luật Viên chức 2010 Art. 36(7)'s bar applies to civil servants too."""
        self.clock = clock
        self.held: Held[Secondment] = Held()
        in_memory = env.get("PERSISTENCE_MODULE") == "eventsourcing.popo"
        self.keyring: Keyring = MemoryKeyring() if in_memory else _NoKeyring()
        """The per-person keys; a stored application gets its store's (see `api.keyring`)."""
        super().__init__(env)

    def construct_mapper(self) -> Mapper[UUID]:
        return self.factory.mapper(
            transcoder=self.construct_transcoder(), mapper_class=transcodings.ShapeCheckingMapper
        )

    def construct_env(self, name: str, env: dict[str, str] | None = None) -> Environment:  # type: ignore[override]
        """Only the configuration given here, never the process environment: the library would
        read SECONDMENTS_SQLITE_DBNAME, SECONDMENTS_CIPHER_KEY, POSTGRES_SCHEMA… (our prefix is
        its prefix for an application named Secondments) and move the store behind our back."""
        return Environment(name, {**type(self).env, **(env or {})})

    def construct_transcoder(self) -> Transcoder:
        transcoder = transcodings.Transcoder()
        self.register_transcodings(transcoder)
        return transcoder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcodings.register(transcoder, lambda: self.keyring)

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """Saves, after linking each secondment to the key of its official."""
        for obj in objs:
            if isinstance(obj, Secondment) and obj.pending_events:
                if obj.official.personnel_id == ERASED:
                    message = "the official's personal data was erased: no new facts"
                    raise RuleViolation([Violation("person_erased", "secondment", message)])
                self.keyring.link(obj.id, self.keyring.pseudonym(obj.official.personnel_id))
        return super().save(*objs, **kwargs)

    def today(self) -> date:
        return self.clock().astimezone(VIETNAM).date()

    # -- commands ----------------------------------------------------------------------------

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
        if secondment_id in self.repository:
            return self._replay(self.get(secondment_id), meta.command_id)
        secondment = self._new(meta, new)
        try:
            recordings = self.save(secondment)
        except IntegrityError:
            return self._replay(self.get(secondment_id), meta.command_id)
        return _recorded(secondment, recordings)

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
        return [_recorded(s, recordings) for s in secondments]

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
            return [_recorded(s, recordings) for s in loaded]
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

    def reject(
        self,
        secondment_id: UUID,
        meta: CommandMeta,
        reason: str,
        expected_version: int | None = None,
        effective_on: date | None = None,
    ) -> Recorded:
        day = effective_on or self.today()
        dated = Dated("reject", "effective_on", day)
        return self._run(
            secondment_id, meta, expected_version, lambda s: s.reject(meta, reason, day), dated
        )

    def withdraw(
        self,
        secondment_id: UUID,
        meta: CommandMeta,
        reason: str,
        expected_version: int | None = None,
        effective_on: date | None = None,
    ) -> Recorded:
        day = effective_on or self.today()
        dated = Dated("withdraw", "effective_on", day)
        return self._run(
            secondment_id, meta, expected_version, lambda s: s.withdraw(meta, reason, day), dated
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
        day = submitted_on or self.today()

        def act(s: Secondment) -> None:
            report = Report(
                kind,
                period.start,
                period.end,
                summary,
                procedures_handled,
                staff_coached,
                field_visits,
                day,
            )
            s.submit_report(meta, report)

        return self._run(
            secondment_id, meta, expected_version, act, Dated("report", "submitted_on", day)
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
        day = effective_on or self.today()

        def act(s: Secondment) -> None:
            s.raise_difficulty(meta, title, detail, field, day)

        dated = Dated("raise_difficulty", "effective_on", day)
        return self._run(secondment_id, meta, expected_version, act, dated)

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
        day = effective_on or self.today()

        def act(s: Secondment) -> None:
            s.escalate_difficulty(meta, number, to, note, day)

        dated = Dated("escalate_difficulty", "effective_on", day)
        return self._run(secondment_id, meta, expected_version, act, dated)

    def resolve_difficulty(
        self,
        secondment_id: UUID,
        meta: CommandMeta,
        number: int,
        resolution: str,
        expected_version: int | None = None,
        effective_on: date | None = None,
    ) -> Recorded:
        day = effective_on or self.today()

        def act(s: Secondment) -> None:
            s.resolve_difficulty(meta, number, resolution, day)

        dated = Dated("resolve_difficulty", "effective_on", day)
        return self._run(secondment_id, meta, expected_version, act, dated)

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

    def declare_needs(
        self,
        meta: CommandMeta,
        host: Host,
        fields: Sequence[Field],
        note: str,
        areas: Sequence[Area] | None = None,
        effective_on: date | None = None,
    ) -> RecordedNeeds:
        """Replaces a commune's declared needs and, when given, its hardship areas; each kept
        as an event (`effective_on`: the declaration's business date, default today)."""
        day = effective_on or self.today()
        if future := rules.not_in_future("effective_on", day, self.today()):
            raise RuleViolation(future)

        def change(needs: CommuneNeeds) -> None:
            needs.declare(meta, day, tuple(dict.fromkeys(fields)), note)
            if areas is not None:
                needs.declare_area(meta, day, tuple(dict.fromkeys(areas)))

        return self._declare(meta, host, change)

    def declare_area(self, meta: CommandMeta, host: Host, areas: Sequence[Area]) -> RecordedNeeds:
        """The province classifies a commune's hardship areas (replacing the last one)."""
        return self._declare(
            meta, host, lambda n: n.declare_area(meta, self.today(), tuple(dict.fromkeys(areas)))
        )

    def _declare(
        self, meta: CommandMeta, host: Host, change: Callable[[CommuneNeeds], None]
    ) -> RecordedNeeds:
        found = host_violations(host)
        if host.ward_code is None:
            found.append(Violation("ward_required", "ward_code", "needs are declared by a commune"))
        if found:
            raise RuleViolation(found)
        ward_code, province_code = host.ward_code, host.province_code
        assert ward_code is not None
        for _ in range(RETRIES):
            needs = self._get_or_create(
                CommuneNeeds,
                commune_needs_id(ward_code),
                lambda: CommuneNeeds(ward_code, province_code),
            )
            if meta.command_id in needs.command_ids:
                version = needs.command_ids[meta.command_id]
                at = positions(self.recorder, needs.id, [version])[version]
                return RecordedNeeds(self.repository.get(needs.id, version=version), at, True)
            change(needs)
            try:
                recordings = self.save(needs)
            except IntegrityError:
                continue
            return RecordedNeeds(needs, position_in(recordings, needs.id))
        raise Conflict("the commune's needs kept changing")

    def record_due(
        self, secondment_id: UUID, now: datetime, cadence: Cadence | Callable[[Kind], Cadence]
    ) -> list[Recorded]:
        """Records, as the system, each deadline missed at `now` that is not yet on the record
        (`cadence` may depend on the secondment's kind). The record is loaded once: deadlines
        it already holds are skipped, and each flag starts from the record the last one saved.

        Command ids are derived from the secondment, the deadline and its period, so however
        often and however many timers run, each deadline is recorded once.
        """
        today = now.astimezone(VIETNAM).date()
        s = self.get(secondment_id)
        if not isinstance(cadence, Cadence):
            cadence = cadence(s.kind)
        due: list[tuple[str, Callable[[Secondment, CommandMeta], None]]] = [
            (f"overdue:{p.start}", _overdue_flag(p, deadlines.due_on(p, cadence)))
            for p in deadlines.overdue_periods(s, today, cadence)
        ]
        if deadlines.handover_due(s, today, cadence) and s.term:
            notice_from = s.term.end - timedelta(days=cadence.handover_notice_days)
            due.append((f"handover:{s.term.end}", lambda x, m: x.flag_handover_due(m, notice_from)))
        if deadlines.term_expired(s, today) and s.term:
            due.append((f"expired:{s.term.end}", lambda x, m: x.flag_term_expired(m)))
        if deadlines.return_missing(s, today, cadence) and s.ending:
            return_due = deadlines.return_due_on(s.ending.ended_on, cadence)
            due.append((f"return:{return_due}", lambda x, m: x.flag_return_missing(m, return_due)))
        recorded = []
        with self.holding(s):
            for key, flag in due:
                meta = CommandMeta(SYSTEM_ACTOR, f"timer:{secondment_id}:{key}", f"timer:{today}")
                if s.has_processed(meta.command_id):
                    continue
                try:
                    act = functools.partial(_apply_flag, flag, meta)
                    recorded.append(self._run(secondment_id, meta, None, act))
                except IllegalTransition:
                    break
        return [r for r in recorded if not r.replayed]

    # -- reads ---------------------------------------------------------------------------------

    def get(self, secondment_id: UUID, version: int | None = None) -> Secondment:
        try:
            secondment: Any = self.repository.get(secondment_id, version=version)
        except AggregateNotFoundError:
            raise SecondmentNotFound(secondment_id) from None
        if not isinstance(secondment, Secondment):
            raise SecondmentNotFound(secondment_id)
        if version is not None and secondment.version != version:
            raise NotFound("version", version)
        return secondment

    def as_of(self, secondment_id: UUID, at: datetime) -> Secondment:
        """The secondment as it was recorded at a moment (the latest event at or before it).

        Finds that event's version by bisecting on the recorded times, decoding one small event
        per step, then rebuilds that version (from a snapshot when there is one)."""
        if at.tzinfo is None:
            raise ValueError("as_of needs an aware timestamp")
        last = list(self.events.get(secondment_id, desc=True, limit=1))
        if not last:
            raise SecondmentNotFound(secondment_id)
        low, high = 0, last[0].originator_version
        while low < high:
            middle = (low + high + 1) // 2
            if self._recorded_at(secondment_id, middle) <= at:
                low = middle
            else:
                high = middle - 1
        if low == 0:
            raise NotFound("secondment as of", at.isoformat())
        return self.get(secondment_id, version=low)

    def on(self, secondment_id: UUID, day: date, known_at: datetime | None = None) -> Secondment:
        """The secondment at the end of business day `day`, with everything known now (or as
        recorded by `known_at`); NotFound when it did not exist yet."""
        if known_at is not None and known_at.tzinfo is None:
            raise ValueError("known_at needs an aware timestamp")
        found = history.on_day(self.events.get(secondment_id), day, known_at)
        if found is None:
            self.get(secondment_id)
            raise NotFound("secondment on", day.isoformat())
        assert isinstance(found, Secondment)
        return found

    def _recorded_at(self, secondment_id: UUID, version: int) -> datetime:
        stored: Any = next(iter(self.events.get(secondment_id, gt=version - 1, lte=version)))
        recorded: datetime = stored.timestamp
        return recorded

    def history(
        self, secondment_id: UUID, after_version: int = 0, limit: int = 50
    ) -> list[StoredEvent]:
        """A page of one secondment's events, oldest first, with their log positions.

        One query reads the page and its positions; the first version is read only when the
        page is empty or not a secondment's, to tell a missing record."""
        page = [
            (at, self.mapper.to_domain_event(row))
            for at, row in positioned_page(self.recorder, secondment_id, after_version, limit)
        ]
        if not page or not all(isinstance(e, Secondment.Event) for _, e in page):
            self.get(secondment_id, version=1)
            if page:
                raise SecondmentNotFound(secondment_id)
        return [StoredEvent(at, e) for at, e in page]

    def commune_needs(self, ward_code: int) -> CommuneNeeds | None:
        try:
            needs: Any = self.repository.get(commune_needs_id(ward_code))
        except AggregateNotFoundError:
            return None
        assert isinstance(needs, CommuneNeeds)
        return needs

    def active_secondment_of(self, personnel_id: str) -> UUID | None:
        return self._engagement(personnel_id).active

    # -- machinery -----------------------------------------------------------------------------

    def _not_in_future(self, dates: dict[str, date]) -> None:
        found = rules.future_dates(self.today(), dates)
        if found:
            raise RuleViolation(found)

    def _run(
        self,
        secondment_id: UUID,
        meta: CommandMeta,
        expected_version: int | None,
        act: Callable[[Secondment], None],
        dated: Dated | None = None,
    ) -> Recorded:
        for attempt in range(RETRIES):
            s = self.held.load(secondment_id, attempt > 0, self.get)
            if s.has_processed(meta.command_id):
                return self._replay(s, meta.command_id)
            if expected_version is not None and s.version != expected_version:
                raise StaleVersion(expected_version, s.version)
            before = (s.occupies_official, s.term)
            try:
                _acting(s, act, dated, self.today())
                engagements = self._occupancy(s, before, {})
                recordings = self.save(s, *engagements)
            except IntegrityError:
                continue
            except Exception:
                self.held.drop(secondment_id)
                raise
            return _recorded(s, recordings)
        raise Conflict("the secondment kept changing; try again")

    def holding(self, s: Secondment) -> AbstractContextManager[None]:
        """Commands on `s` in this thread start from this loaded record (and the record as
        each of them saved it) instead of loading it again; a conflict still reloads it."""
        return self.held.holding(s.id, s)

    def _occupancy(
        self, s: Secondment, before: Occupancy, engagements: dict[str, Engagement]
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

        return self._get_or_create(Engagement, engagement_id(pseudonym), create)

    def _get_or_create(self, kind: type[A], aggregate_id: UUID, create: Callable[[], A]) -> A:
        try:
            found: Any = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return create()
        assert isinstance(found, kind)
        return found

    def _replay(self, s: Secondment, command_id: str) -> Recorded:
        version = s.command_ids[command_id]
        at = positions(self.recorder, s.id, [version])[version]
        first = next(iter(self.events.get(s.id, gt=version - 1, lte=version)))
        past = self.get(s.id, version=version)
        return Recorded(past, version, at, replayed=True, event_type=type(first).__name__)


class _NoKeyring:
    """The keyring of an application not yet given its store's: every use fails loudly."""

    def __getattr__(self, name: str) -> Any:
        raise KeyringMissing("this application was opened without its keyring (master key)")


def _acting(
    s: Secondment, act: Callable[[Secondment], None], dated: Dated | None, today: date
) -> None:
    """Gives the command; the rules it breaks are named first, then those of its business date
    (in the future, or out of order)."""
    found = (
        []
        if dated is None
        else s.business_date_violations(dated.action, dated.field, dated.on, today)
    )
    try:
        act(s)
    except RuleViolation as e:
        raise RuleViolation([*e.violations, *found]) from None
    if found:
        raise RuleViolation(found)


def _apply_flag(
    flag: Callable[[Secondment, CommandMeta], None], meta: CommandMeta, s: Secondment
) -> None:
    flag(s, meta)


def _overdue_flag(period: Term, due_on: date) -> Callable[[Secondment, CommandMeta], None]:
    return lambda s, meta: s.flag_report_overdue(meta, period, due_on)


def _recorded(s: Secondment, recordings: Sequence[Recording[UUID]]) -> Recorded:
    mine = [r for r in recordings if r.domain_event.originator_id == s.id]
    event_type = type(mine[-1].domain_event).__name__
    return Recorded(s, s.version, mine[-1].notification.id, event_type=event_type)


def position_in(recordings: Iterable[Recording[UUID]], aggregate_id: UUID) -> int:
    found = [r.notification.id for r in recordings if r.domain_event.originator_id == aggregate_id]
    return found[-1]
