"""What every part of the registry stands on: the store's configuration, saving, today's date in
Vietnam, loading a secondment, and running one command on it through the shared plumbing
(`domain.commanding.Commands`) with the official's engagement kept in step."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import Application, Repository
from eventsourcing.persistence import JSONTranscoder, Mapper, Recording, Transcoder
from eventsourcing.utils import Environment

from domain import rules, transcodings
from domain.commanding import Commands
from domain.decoded_snapshots import DecodedSnapshots
from domain.errors import RuleViolation, SecondmentNotFound
from domain.held import Held
from domain.history import VIETNAM
from domain.occupancy import Occupancy
from domain.past import PastRepository
from domain.personal import ERASED, Keyring, KeyringMissing, MemoryKeyring
from domain.recorded import Clock, Dated, Recorded, utc_now
from domain.secondment import Secondment
from domain.values import CommandMeta, Violation

DatedAct = Callable[[Secondment, date], object]
"""A command given its business date."""


class RegistryBase(Occupancy, Application[UUID]):
    """The registry's store and command runner; the commands and reads are its mixins."""

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
        self.secondments = Commands(self, Secondment, SecondmentNotFound)
        self.decoded_snapshots = DecodedSnapshots()
        """Secondments' snapshots as decoded for past reads (see `domain.past`)."""
        in_memory = env.get("PERSISTENCE_MODULE") == "eventsourcing.popo"
        self.keyring = MemoryKeyring() if in_memory else _NoKeyring()
        super().__init__(env)

    @property
    def keyring(self) -> Keyring:
        """The per-person keys; a stored application gets its store's (see `api.keyring`).
        When it forgets its keys, the decoded snapshots are forgotten with them."""
        return self._keyring

    @keyring.setter
    def keyring(self, keyring: Keyring) -> None:
        self._keyring = keyring
        self.decoded_snapshots.clear()
        if not isinstance(keyring, _NoKeyring):
            keyring.on_forget(self.decoded_snapshots.clear)

    def construct_repository(self) -> Repository[UUID]:
        """The library's repository (no aggregate cache, as its default), reading past
        secondments from their decoded snapshots kept in memory."""
        return PastRepository(
            self.events, self.snapshots, self.decoded_snapshots, self._trusted_until, (Secondment,)
        )

    def _trusted_until(self, aggregate_id: UUID) -> float | None:
        try:
            return self.keyring.trusted_until(aggregate_id)
        except KeyringMissing:
            return None

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

    def get(self, secondment_id: UUID, version: int | None = None) -> Secondment:
        return self.secondments.get(secondment_id, version)

    def holding(self, s: Secondment) -> AbstractContextManager[None]:
        """Commands on `s` in this thread start from this loaded record (and the record as
        each of them saved it) instead of loading it again; a conflict still reloads it."""
        return self.held.holding(s.id, s)

    def _not_in_future(self, dates: dict[str, date]) -> None:
        found = rules.future_dates(self.today(), dates)
        if found:
            raise RuleViolation(found)

    def _run(
        self,
        secondment_id: UUID,
        meta: CommandMeta,
        expected_version: int | None,
        act: Callable[[Secondment], object],
        dated: Dated | None = None,
    ) -> Recorded:
        """One command on one secondment: the held record if any, the command, the official's
        engagement moved with it, saved together (retried from a fresh load on a conflict)."""

        def command(s: Secondment) -> list[Any]:
            before = (s.occupies_official, s.term)
            _acting(s, act, dated, self.today())
            return self._occupancy(s, before, {})

        done = self.secondments.run(
            secondment_id,
            meta,
            expected_version,
            command,
            load=lambda i, fresh: self.held.load(i, fresh, self.get),
            failed=self.held.drop,
        )
        return Recorded.of(done)

    def _run_on(
        self,
        secondment_id: UUID,
        meta: CommandMeta,
        expected_version: int | None,
        action: str,
        on: date | None,
        act: DatedAct,
        field: str = "effective_on",
    ) -> Recorded:
        """A command dated by an optional business date (`field`; default today in Vietnam)."""
        day = on or self.today()
        dated = Dated(action, field, day)
        return self._run(secondment_id, meta, expected_version, lambda s: act(s, day), dated)

    def _replay(self, s: Secondment, command_id: str) -> Recorded:
        return Recorded.of(self.secondments.replay(s, command_id))


class _NoKeyring:
    """The keyring of an application not yet given its store's: every use fails loudly."""

    def __getattr__(self, name: str) -> Any:
        raise KeyringMissing("this application was opened without its keyring (master key)")


def _acting(
    s: Secondment, act: Callable[[Secondment], object], dated: Dated | None, today: date
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
