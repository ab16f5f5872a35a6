"""Every read model by name, decoding of the log, and the read-side facade (status, waiting)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from projections import versions
from projections.agencies import Agencies
from projections.allowances import Allowances
from projections.audit import Audit
from projections.base import ReadModel
from projections.communes import Communes
from projections.compliance import Compliance
from projections.deadlines import Deadlines
from projections.decisions import Decisions
from projections.difficulties import Difficulties
from projections.erasure import ERASURE
from projections.history import History
from projections.plans import Plans
from projections.returns import Returns
from projections.secondments import Secondments
from projections.store import ReadStore
from projections.visits import StudyVisits
from projections.working_groups import WorkingGroups

MODELS: tuple[ReadModel, ...] = (
    Secondments(),
    Audit(),
    Communes(),
    Agencies(),
    Decisions(),
    Compliance(),
    Deadlines(),
    Difficulties(),
    History(),
    Returns(),
    Allowances(),
    Plans(),
    WorkingGroups(),
    StudyVisits(),
)
BY_NAME = {m.name: m for m in MODELS}
DECODED = frozenset({ERASURE}).union(*(m.reads for m in MODELS))
"""The aggregates whose events the read models read, and the erasures the runner applies to
every read model (the others are skipped before decoding)."""


class Log(Protocol):
    """What the projections need from the event store (the application satisfies it)."""

    @property
    def recorder(self) -> Any: ...

    @property
    def mapper(self) -> Any: ...

    @property
    def keyring(self) -> Any:
        """The per-person keys (forgotten after an erasure, see projections/erasure.py)."""


def select(models: Sequence[str] | str) -> list[ReadModel]:
    """Models by name ("all" for every one); KeyError for an unknown name."""
    if models == "all" or models == ["all"]:
        return list(MODELS)
    names = [models] if isinstance(models, str) else list(models)
    return [BY_NAME[n] for n in names]


def head(log: Log) -> int:
    return int(log.recorder.max_notification_id() or 0)


@dataclass(frozen=True)
class Status:
    """One read model as GET /v1/projections shows it."""

    name: str
    version: int
    position: int
    events_behind: int
    last_update: str | None
    state: str
    """live, rebuilding (a new version beside the live one), building (no live version yet:
    its queries answer 503) or quarantined (stopped by an error)."""
    rebuilding: dict[str, Any] | None
    error: str | None = None
    """The exception type that quarantined the live (or only) version."""


def _state(live: versions.Version | None, building: versions.Version | None) -> str:
    shown = live or building
    if shown is not None and shown.error:
        return "quarantined"
    if live is None:
        return "building"
    return "rebuilding" if building else "live"


def _progress(building: versions.Version, at_head: int) -> dict[str, Any]:
    return {
        "version": building.version,
        "position": building.position,
        "events_behind": max(at_head - building.position, 0),
        "started_at": building.started_at,
        "error": building.error,
    }


class ReadModels:
    """The read side as the API sees it: status, and waiting for a position (read-your-writes)."""

    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def setup(self, log: Log) -> None:
        """The registry, and a first version of each model not yet in it (see versions.setup)."""
        versions.setup(self.store, MODELS, head(log))

    def positions(self) -> dict[str, int]:
        with self.store.read() as tx:
            return {name: v.position for name, v in versions.live(tx, self.store).items()}

    def wait(
        self, position: int, timeout: float, names: Sequence[str] = (), poll: float = 0.05
    ) -> bool:
        """True once the named live read models (every one if none is named) have processed
        `position`; False after `timeout`."""
        wanted = list(names) or list(BY_NAME)
        deadline = time.monotonic() + timeout
        while True:
            found = self.positions()
            if all(found.get(n, -1) >= position for n in wanted):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(poll)

    def status(self, at_head: int) -> list[Status]:
        with self.store.read() as tx:
            every = versions.all_versions(tx, self.store)
        found = []
        for model in MODELS:
            mine = [v for v in every if v.name == model.name]
            live = next((v for v in mine if v.status == versions.LIVE), None)
            building = next((v for v in mine if v.status == versions.BUILDING), None)
            shown = live or building
            if shown is None:
                continue
            found.append(
                Status(
                    name=model.name,
                    version=shown.version,
                    position=shown.position,
                    events_behind=max(at_head - shown.position, 0),
                    last_update=shown.updated_at,
                    state=_state(live, building),
                    rebuilding=None if building is None else _progress(building, at_head),
                    error=shown.error,
                )
            )
        return found

    def request_rebuild(self, name: str) -> int:
        """Starts a blue/green rebuild (the runner that holds the model does the work)."""
        return versions.request_rebuild(self.store, BY_NAME[name])
