"""The command plumbing every aggregate shares, written once: get → decide → save, retries on a
conflicting write, idempotency by command id, the expected version, and the answer a command
gives (the record after it, its version, its log position, whether it was a replay).

An aggregate takes part by deriving from `Commanded` and declaring its `LIFECYCLE` and `GUARDS`;
its application methods hand `Commands.create` / `Commands.run` the decision to make.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, Recording

from domain.declaration import Lifecycle
from domain.errors import Conflict, NotFound, RuleViolation, StaleVersion
from domain.positions import positions
from domain.values import CommandMeta, Violation

RETRIES = 8
Guard = Callable[[Any, Mapping[str, Any]], list[Violation]]
"""A guard: the violations of an action's data against the aggregate (empty: it passes)."""


class Commanded(Aggregate):
    """An aggregate whose every event was caused by one command, remembered by its id, and
    whose state changes are decided by its declared lifecycle.

    Subclasses set `LIFECYCLE`, `GUARDS` (guard name → check) and, in their creating event,
    `self.state` and `self.command_ids = {meta.command_id: self.version}`; every later event
    calls `self._remember(meta)`."""

    LIFECYCLE: ClassVar[Lifecycle]
    GUARDS: ClassVar[Mapping[str, Guard]] = {}
    if TYPE_CHECKING:  # set by the creating event; not dataclass fields of the library's events
        state: str
        command_ids: dict[str, int]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        lifecycle = cls.__dict__.get("LIFECYCLE")
        if lifecycle is not None:
            missing = set(lifecycle.guards) - set(cls.GUARDS)
            if missing:
                raise TypeError(f"{cls.__name__}: guards declared without a check: {missing}")

    def has_processed(self, command_id: str) -> bool:
        return command_id in self.command_ids

    def _remember(self, meta: CommandMeta) -> None:
        """Called inside each event's apply: this command made the version being applied."""
        self.command_ids[meta.command_id] = self.version + 1

    def _decide(self, action: str, data: Mapping[str, Any] | None = None) -> str:
        """The state the action leads to; IllegalTransition from a state it is not legal in,
        RuleViolation naming every guard's violations when one refuses."""
        given = data or {}
        lifecycle = self.LIFECYCLE
        row = lifecycle.transition_for(self.state, action)
        destination = lifecycle.decide(
            self.state, action, lambda g: not self.GUARDS[g](self, given)
        )
        if destination is None:
            raise RuleViolation([v for g in row.guards for v in self.GUARDS[g](self, given)])
        return destination

    @property
    def allowed_actions(self) -> list[str]:
        return self.LIFECYCLE.allowed_actions(self.state)


C = TypeVar("C", bound=Commanded)
A = TypeVar("A", bound=Aggregate)
Act = Callable[[C], Iterable[Aggregate] | None]
"""A command's decision on the loaded record; it may return other aggregates to save with it."""


@dataclass(frozen=True)
class Done(Generic[C]):
    """What a command returns: the record after it, its version, the event's log position, the
    name of the event it recorded, and whether it was a replay of an earlier request."""

    record: C
    version: int
    position: int
    event_type: str = ""
    replayed: bool = False


class Commands(Generic[C]):
    """Commands on one kind of aggregate inside an application."""

    def __init__(
        self,
        app: Application[UUID],
        kind: type[C],
        not_found: Callable[[UUID], Exception] | None = None,
    ) -> None:
        self.app = app
        self.kind = kind
        self.not_found = not_found or (lambda i: NotFound(kind.__name__.lower(), str(i)))

    def get(self, record_id: UUID, version: int | None = None) -> C:
        try:
            found: Any = self.app.repository.get(record_id, version=version)
        except AggregateNotFoundError:
            raise self.not_found(record_id) from None
        if not isinstance(found, self.kind):
            raise self.not_found(record_id)
        if version is not None and found.version != version:
            raise NotFound("version", version)
        return found

    def get_or_create(self, record_id: UUID, create: Callable[[], C]) -> C:
        """The record, or `create()` (not yet saved) when there is none."""
        return get_or_create(self.app, self.kind, record_id, create)

    def exists(self, record_id: UUID) -> bool:
        return record_id in self.app.repository

    def create(
        self, meta: CommandMeta, record_id: UUID, make: Callable[[], C], also: Sequence[Any] = ()
    ) -> Done[C]:
        """Creates the record under an id derived from the command, once: a repeat of the same
        command answers with the record as it was created."""
        if self.exists(record_id):
            found = self.get(record_id)
            if found.has_processed(meta.command_id):
                return self.replay(found, meta.command_id)
            raise Conflict(f"{self.kind.__name__} {record_id} already exists")
        record = make()
        if record.id != record_id:
            raise TypeError(f"{self.kind.__name__} was created under another id than {record_id}")
        try:
            recordings = self.app.save(record, *also)
        except IntegrityError:
            return self.replay(self.get(record_id), meta.command_id)
        return self.answer(record, recordings)

    def run(
        self,
        record_id: UUID,
        meta: CommandMeta,
        expected_version: int | None,
        act: Callable[[C], Iterable[Aggregate] | None],
        load: Callable[[UUID, bool], C] | None = None,
        failed: Callable[[UUID], None] | None = None,
    ) -> Done[C]:
        """Loads the record, refuses a stale `expected_version`, gives the command and saves what
        it changed; retried from a fresh load when another writer got there first. `load(id,
        fresh)` may hand over a record the caller already holds; `failed(id)` hears of a
        command that raised after changing it."""
        for attempt in range(RETRIES):
            record = load(record_id, attempt > 0) if load else self.get(record_id)
            if record.has_processed(meta.command_id):
                return self.replay(record, meta.command_id)
            if expected_version is not None and record.version != expected_version:
                raise StaleVersion(expected_version, record.version)
            try:
                others = list(act(record) or ())
                recordings = self.app.save(record, *others)
            except IntegrityError:
                continue
            except Exception:
                if failed is not None:
                    failed(record_id)
                raise
            return self.answer(record, recordings)
        raise Conflict(f"the {self.kind.__name__.lower()} kept changing; try again")

    def replay(self, record: C, command_id: str) -> Done[C]:
        """The answer the first request under this command id got."""
        version = record.command_ids[command_id]
        at = positions(self.app.recorder, record.id, [version])[version]
        first = next(iter(self.app.events.get(record.id, gt=version - 1, lte=version)))
        past = self.get(record.id, version=version)
        return Done(past, version, at, type(first).__name__, replayed=True)

    @staticmethod
    def answer(record: C, recordings: Sequence[Recording[UUID]]) -> Done[C]:
        """The answer for one record saved among `recordings`."""
        mine = [r for r in recordings if r.domain_event.originator_id == record.id]
        event_type = type(mine[-1].domain_event).__name__
        return Done(record, record.version, mine[-1].notification.id, event_type)


def get_or_create(
    app: Application[UUID], kind: type[A], record_id: UUID, create: Callable[[], A]
) -> A:
    """The aggregate under this id, read once, or `create()` (not yet saved) when there is none."""
    try:
        found: Any = app.repository.get(record_id)
    except AggregateNotFoundError:
        return create()
    if not isinstance(found, kind):
        raise TypeError(f"{record_id} is not a {kind.__name__}")
    return found
