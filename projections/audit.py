"""Read model `audit`: one row per event: who, when, from which state to which, why, what."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

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
        ("personnel_id", "position"),
        ("recorded_at",),
    ),
)
ENVELOPE = {"meta", "from_state", "to_state", "effective_on", "originator_id"}
ENVELOPE |= {"originator_version", "timestamp", "originator_topic"}
AUDITED = {"Secondment", "CommuneNeeds"}


def reason_of(e: Event) -> str | None:
    """Why it happened, where the event says."""
    ending = e.attr("ending")
    for candidate in (
        e.attr("reason"),
        getattr(ending, "reason", None),
        e.attr("override_reason"),
        e.attr("note"),
        e.attr("resolution"),
    ):
        if isinstance(candidate, str) and candidate:
            return candidate
    return None


def data_of(e: Event) -> str:
    names = [n for n in vars(e.data) if n not in ENVELOPE and not n.startswith("_")]
    return dumps(redacted({n: getattr(e.data, n) for n in sorted(names)}))


class Audit(ReadModel):
    """The audit log of every recorded fact about secondments and communes' needs."""

    name = "audit"
    revision = 2
    tables = (TABLE, FACTS)

    def apply(self, tx: Tx, t: Tables, events: Sequence[Event]) -> None:
        facts = self.rows(tx, t, "facts")
        mine = [e for e in events if e.aggregate in AUDITED]
        facts.preload(e.sid for e in mine if e.type not in ("Requested", "Opened"))
        rows = []
        for e in mine:
            remember(facts, e)
            if e.type == "Opened":
                continue
            f = facts.get(e.sid) or {}
            meta = e.attr("meta")
            row: dict[str, Any] = {
                "position": e.position,
                "secondment_id": e.sid if e.aggregate == "Secondment" else None,
                "aggregate_id": e.sid,
                "aggregate": e.aggregate,
                "version": e.version,
                "type": e.type,
                "recorded_at": stamp(e.recorded_at),
                "effective_on": iso(e.attr("effective_on")),
                "actor_sub": meta.actor.sub if meta else None,
                "actor_role": meta.actor.role.value if meta else None,
                "from_state": e.attr("from_state"),
                "to_state": e.attr("to_state"),
                "reason": reason_of(e),
                "command_id": meta.command_id if meta else None,
                "correlation_id": meta.correlation_id if meta else None,
                "data": data_of(e),
                **{k: f.get(k) for k in FACT_COLUMNS},
            }
            rows.append(tuple(row[c] for c, _ in COLUMNS))
        facts.flush()
        tx.insert_many(t.main, [c for c, _ in COLUMNS], rows)


FACT_COLUMNS = ("province_code", "ward_code", "home_agency", "agency_key", "personnel_id")


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
