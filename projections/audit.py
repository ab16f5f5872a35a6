"""Read model `audit`: one row per event: who, when, from which state to which, why, what."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain import events as ev
from projections.base import (
    FACTS,
    Event,
    Page,
    ReadModel,
    Scope,
    Table,
    Tables,
    View,
    Where,
    dumps,
    iso,
    paged,
    redacted,
    remember,
    stamp,
)
from projections.store import Tx

COLUMNS = (
    ("position", "BIGINT NOT NULL"),
    ("secondment_id", "TEXT"),
    ("aggregate_id", "TEXT NOT NULL"),
    ("aggregate", "TEXT NOT NULL"),
    ("version", "INTEGER NOT NULL"),
    ("type", "TEXT NOT NULL"),
    ("recorded_at", "TEXT NOT NULL"),
    ("effective_on", "TEXT"),
    ("actor_sub", "TEXT"),
    ("actor_role", "TEXT"),
    ("from_state", "TEXT"),
    ("to_state", "TEXT"),
    ("reason", "TEXT"),
    ("command_id", "TEXT"),
    ("correlation_id", "TEXT"),
    ("data", "TEXT NOT NULL"),
    ("province_code", "INTEGER"),
    ("ward_code", "INTEGER"),
    ("home_agency", "TEXT"),
    ("agency_key", "TEXT"),
    ("personnel_id", "TEXT"),
    ("personnel_key", "TEXT"),
)
TABLE = Table(
    "",
    COLUMNS,
    ("position",),
    (
        ("actor_sub", "position"),
        ("type", "position"),
        ("secondment_id", "position"),
        ("province_code", "position"),
        ("ward_code", "position"),
        ("agency_key", "position"),
        ("personnel_key", "position"),
        ("recorded_at",),
    ),
)
ENVELOPE = {"meta", "from_state", "to_state", "effective_on", "originator_id"}
ENVELOPE |= {"originator_version", "timestamp", "originator_topic"}
AUDITED = frozenset({"Secondment", "CommuneNeeds", "Plan", "WorkingGroup"})
"""The aggregates whose every event is a row of the audit log."""


@functools.singledispatch
def reason_of(data: object) -> str | None:
    """Why it happened, where the event says (None for events that carry no reason)."""
    return None


@reason_of.register(ev.Requested)
@reason_of.register(ev.Corrected)
@reason_of.register(ev.Rejected)
@reason_of.register(ev.Withdrawn)
def _stated_reason(data: Any) -> str | None:
    return data.reason or None


@reason_of.register(ev.Ended)
@reason_of.register(ev.Recalled)
def _ending_reason(data: Any) -> str | None:
    return data.ending.reason or None


@reason_of.register(ev.Approved)
def _override_reason(data: Any) -> str | None:
    return data.override_reason or None


@reason_of.register(ev.DifficultyEscalated)
@reason_of.register(ev.NeedsDeclared)
def _note(data: Any) -> str | None:
    return data.note or None


@reason_of.register(ev.DifficultyResolved)
def _resolution(data: Any) -> str | None:
    return data.resolution or None


@functools.singledispatch
def states_of(data: Any) -> tuple[str | None, str | None]:
    """The states before and after an event of a secondment."""
    return data.from_state, data.to_state


@states_of.register(ev.Requested)
def _created(data: Any) -> tuple[str | None, str | None]:
    return None, data.to_state


@states_of.register(ev.NeedsDeclared)
@states_of.register(ev.AreaDeclared)
def _stateless(data: Any) -> tuple[str | None, str | None]:
    return None, None


def data_of(e: Event) -> str:
    names = [n for n in vars(e.data) if n not in ENVELOPE and not n.startswith("_")]
    return dumps(redacted({n: getattr(e.data, n) for n in sorted(names)}))


class Audit(ReadModel):
    """The audit log of every recorded fact about secondments and communes' needs."""

    name = "audit"
    revision = 4
    keyed_since = 3
    tables = (TABLE, FACTS)
    reads = frozenset(AUDITED)

    def apply(self, tx: Tx, t: Tables, events: Sequence[Event]) -> None:
        facts = self.rows(tx, t, "facts")
        facts.preload(e.sid for e in events if not isinstance(e.data, ev.Requested | ev.Opened))
        rows = []
        for e in events:
            remember(facts, e)
            if isinstance(e.data, ev.Opened):
                continue
            f = facts.get(e.sid) or {}
            meta = e.data.meta
            from_state, to_state = states_of(e.data)
            row: dict[str, Any] = {
                "position": e.position,
                "secondment_id": e.sid if e.aggregate == "Secondment" else None,
                "aggregate_id": e.sid,
                "aggregate": e.aggregate,
                "version": e.version,
                "type": e.type,
                "recorded_at": stamp(e.recorded_at),
                "effective_on": iso(e.data.effective_on),
                "actor_sub": meta.actor.sub,
                "actor_role": meta.actor.role.value,
                "from_state": from_state,
                "to_state": to_state,
                "reason": reason_of(e.data),
                "command_id": meta.command_id,
                "correlation_id": meta.correlation_id,
                "data": data_of(e),
                **{k: f.get(k) for k in FACT_COLUMNS},
            }
            rows.append(tuple(row[c] for c, _ in COLUMNS))
        facts.flush()
        tx.insert_many(t.main, [c for c, _ in COLUMNS], rows)


FACT_COLUMNS = (
    "province_code",
    "ward_code",
    "home_agency",
    "agency_key",
    "personnel_id",
    "personnel_key",
)


@dataclass(frozen=True)
class AuditFilter:
    """The filters of GET /v1/audit (times are recorded times)."""

    actor: str | None = None
    type: str | None = None
    secondment_id: str | None = None
    province_code: int | None = None
    ward_code: int | None = None
    since: datetime | None = None
    until: datetime | None = None


class AuditView(View):
    """The audit log, newest last, filtered and scoped."""

    model = "audit"

    def search(self, f: AuditFilter, scope: Scope, after: int, limit: int) -> Page:
        w = Where().scope(scope).add("position > ?", after)
        w.eq("actor_sub", f.actor).eq("type", f.type).eq("secondment_id", f.secondment_id)
        w.eq("province_code", f.province_code).eq("ward_code", f.ward_code)
        if f.since:
            w.add("recorded_at >= ?", stamp(f.since))
        if f.until:
            w.add("recorded_at <= ?", stamp(f.until))
        with self.reading() as (tx, t):
            rows = tx.rows(
                f"SELECT * FROM {t.main}{w.sql} ORDER BY position LIMIT ?", [*w.params, limit + 1]
            )
        return paged(rows, limit, lambda r: {"position": r["position"]})
