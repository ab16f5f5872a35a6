"""Read model `secondments`: one row per secondment as it stands now, searchable and scoped."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from domain import events as ev
from domain.lifecycle import ON_POST
from domain.units import province_name, ward_name
from domain.values import personnel_key
from projections import trigrams
from projections.base import (
    Event,
    Page,
    ReadModel,
    Rows,
    Scope,
    Table,
    Tables,
    View,
    Where,
    agency_key,
    field_list,
    fold,
    held_on,
    in_states,
    iso,
    paged,
    stamp,
)
from projections.store import ReadStore, Row, Tx

province_label = lru_cache(maxsize=None)(province_name)
ward_label = lru_cache(maxsize=None)(ward_name)

TABLE = Table(
    "",
    (
        ("secondment_id", "TEXT NOT NULL"),
        ("seq", "BIGINT NOT NULL"),
        ("state", "TEXT NOT NULL"),
        ("outcome", "TEXT"),
        ("full_name", "TEXT NOT NULL"),
        ("name_folded", "TEXT NOT NULL"),
        ("personnel_id", "TEXT NOT NULL"),
        ("personnel_key", "TEXT NOT NULL"),
        ("category", "TEXT"),
        ("home_agency", "TEXT NOT NULL"),
        ("agency_key", "TEXT NOT NULL"),
        ("province_code", "INTEGER NOT NULL"),
        ("province_name", "TEXT"),
        ("ward_code", "INTEGER"),
        ("ward_name", "TEXT"),
        ("kind", "TEXT NOT NULL"),
        ("fields", "TEXT NOT NULL"),
        ("planned_start", "TEXT"),
        ("planned_end", "TEXT"),
        ("requested_on", "TEXT"),
        ("decision_number", "TEXT"),
        ("decision_date", "TEXT"),
        ("decision_issuer", "TEXT"),
        ("term_start", "TEXT"),
        ("term_end", "TEXT"),
        ("ends_on", "TEXT"),
        ("arrived_on", "TEXT"),
        ("ended_on", "TEXT"),
        ("last_report_on", "TEXT"),
        ("reports", "INTEGER NOT NULL"),
        ("difficulties", "INTEGER NOT NULL"),
        ("open_difficulties", "INTEGER NOT NULL"),
        ("handover_started", "INTEGER NOT NULL"),
        ("extensions", "INTEGER NOT NULL"),
        ("version", "INTEGER NOT NULL"),
        ("position", "BIGINT NOT NULL"),
        ("updated_at", "TEXT NOT NULL"),
    ),
    ("secondment_id",),
    (
        ("seq",),
        ("state", "seq"),
        ("province_code", "state", "seq"),
        ("province_code", "ward_code", "seq"),
        ("agency_key", "seq"),
        ("personnel_key",),
        ("decision_number",),
        ("ends_on",),
    ),
)


def _requested(rows: Rows, e: Event) -> Row:
    data = e.data
    official, host, planned = data.official, data.host, data.planned
    return rows.put(
        {
            "secondment_id": e.sid,
            "seq": e.position,
            "state": data.to_state,
            "full_name": official.full_name,
            "name_folded": fold(official.full_name),
            "personnel_id": official.personnel_id,
            "personnel_key": personnel_key(official.personnel_id),
            "category": official.category.value,
            "home_agency": data.home_agency,
            "agency_key": agency_key(data.home_agency),
            "province_code": host.province_code,
            "province_name": province_label(host.province_code),
            "ward_code": host.ward_code,
            "ward_name": ward_label(host.ward_code) if host.ward_code else None,
            "kind": data.kind.value,
            "fields": field_list(data.fields),
            "planned_start": iso(planned.start),
            "planned_end": iso(planned.end),
            "ends_on": iso(planned.end),
            "requested_on": iso(data.effective_on),
            "reports": 0,
            "difficulties": 0,
            "open_difficulties": 0,
            "handover_started": 0,
            "extensions": 0,
        }
    )


@functools.singledispatch
def follow(data: object, row: Row) -> None:
    """Updates a secondment's row from one of its events (most change only its state)."""


@follow.register(ev.Approved)
def _approved(data: Any, row: Row) -> None:
    decision, term = data.decision, data.term
    row.update(
        decision_number=decision.number,
        decision_date=iso(decision.date),
        decision_issuer=decision.issuer,
        term_start=iso(term.start),
        term_end=iso(term.end),
        ends_on=iso(term.end),
    )


@follow.register(ev.Deployed)
def _deployed(data: Any, row: Row) -> None:
    row["arrived_on"] = iso(data.effective_on)


@follow.register(ev.ReportSubmitted)
def _reported(data: Any, row: Row) -> None:
    submitted = iso(data.report.submitted_on)
    row["reports"] += 1
    row["last_report_on"] = max(row["last_report_on"] or "", submitted or "") or None


@follow.register(ev.Extended)
def _extended(data: Any, row: Row) -> None:
    row["term_end"] = row["ends_on"] = iso(data.extension.new_end)
    row["extensions"] += 1


@follow.register(ev.Ended)
@follow.register(ev.Recalled)
def _ended(data: Any, row: Row) -> None:
    row.update(outcome=data.ending.outcome.value, ended_on=iso(data.ending.ended_on))


@follow.register(ev.DifficultyRaised)
def _raised(data: Any, row: Row) -> None:
    row["difficulties"] += 1
    row["open_difficulties"] += 1


@follow.register(ev.DifficultyResolved)
def _resolved(data: Any, row: Row) -> None:
    row["open_difficulties"] -= 1


@follow.register(ev.Corrected)
def _corrected(data: Any, row: Row) -> None:
    changes = data.changes
    columns = {
        "full_name": "full_name",
        "requested_on": "requested_on",
        "decision.number": "decision_number",
        "decision.date": "decision_date",
        "decision.issuer": "decision_issuer",
        "arrived_on": "arrived_on",
        "ended_on": "ended_on",
    }
    for name, column in columns.items():
        if name in changes:
            value = changes[name]
            row[column] = iso(value) if isinstance(value, date) else value
    if "full_name" in changes:
        row["name_folded"] = fold(changes["full_name"])
    if "submitted_on" in changes:
        row["last_report_on"] = max(row["last_report_on"] or "", iso(changes["submitted_on"]) or "")


@follow.register(ev.HandoverStarted)
def _handover_started(data: Any, row: Row) -> None:
    row["handover_started"] = 1


class Secondments(ReadModel):
    """Each secondment's current state, who, where, which decision and term."""

    reads = frozenset({"Secondment"})

    name = "secondments"
    revision = 4
    """4: a trigram index on `name_folded` for the name search (PostgreSQL)."""
    keyed_since = 3
    tables = (TABLE,)

    def index_ddl(self, store: ReadStore, version: int) -> list[str]:
        """The query indexes, and on PostgreSQL a trigram index for the substring search by
        name (`projections.trigrams`)."""
        found = super().index_ddl(store, version)
        ops = trigrams.operator_class(store)
        if ops is not None:
            t = Tables(store, self.name, version)
            found.append(
                f"CREATE INDEX IF NOT EXISTS ix_{t.raw()}_name_trgm "
                f"ON {t.main} USING gin (name_folded {ops})"
            )
        return found

    def apply(self, tx: Tx, t: Tables, events: Sequence[Event]) -> None:
        rows = self.rows(tx, t)
        rows.preload(e.sid for e in events)
        for e in events:
            requested = isinstance(e.data, ev.Requested)
            row = _requested(rows, e) if requested else rows.get(e.sid)
            if row is None:
                continue
            follow(e.data, row)
            row.update(
                state=e.data.to_state,
                version=e.version,
                position=e.position,
                updated_at=stamp(e.recorded_at),
            )
            rows.put(row)
        rows.flush()


@dataclass(frozen=True)
class SecondmentFilter:
    """The filters of GET /v1/secondments."""

    state: Sequence[str] = ()
    province_code: int | None = None
    ward_code: int | None = None
    home_agency: str | None = None
    field: str | None = None
    kind: str | None = None
    decision_number: str | None = None
    ends_before: date | None = None
    q: str | None = None
    ids: Sequence[str] = ()
    active_on: date | None = None
    """Only those deployed, reporting or in handover at the end of this business day."""


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SecondmentsView(View):
    """Search over the secondments read model."""

    model = "secondments"

    def search(self, f: SecondmentFilter, scope: Scope, after: int, limit: int) -> Page:
        w = self._where(f, scope).add("seq > ?", after)
        with self.reading() as (tx, t):
            self._active_on(tx, w, f)
            rows = tx.rows(
                f"SELECT * FROM {t.main}{w.sql} ORDER BY seq LIMIT ?", [*w.params, limit + 1]
            )
        return paged(rows, limit, lambda r: {"seq": r["seq"]})

    def count(self, f: SecondmentFilter, scope: Scope) -> int:
        """How many secondments match, on every page."""
        w = self._where(f, scope)
        with self.reading() as (tx, t):
            self._active_on(tx, w, f)
            rows = tx.rows(f"SELECT COUNT(*) AS n FROM {t.main}{w.sql}", w.params)
        return int(rows[0]["n"])

    def _where(self, f: SecondmentFilter, scope: Scope) -> Where:
        w = Where().scope(scope)
        if f.state:
            w.add(f"state IN ({','.join('?' * len(f.state))})", *f.state)
        w.eq("province_code", f.province_code).eq("ward_code", f.ward_code)
        w.eq("kind", f.kind).eq("decision_number", f.decision_number)
        if f.home_agency:
            w.add("agency_key = ?", agency_key(f.home_agency))
        if f.field:
            w.add("fields LIKE ?", f"%,{f.field},%")
        if f.ends_before:
            w.add("ends_on < ?", f.ends_before.isoformat())
        for word in fold(f.q or "").split():
            w.add("name_folded LIKE ? ESCAPE '\\'", f"%{like_escape(word)}%")
        if f.ids:
            w.add(f"secondment_id IN ({','.join('?' * len(f.ids))})", *f.ids)
        return w

    def _active_on(self, tx: Any, w: Where, f: SecondmentFilter) -> None:
        """Those on post on `f.active_on` (from the history model's spans)."""
        if f.active_on is not None:
            spans = held_on(in_states(Where(), ON_POST), f.active_on)
            table = self.live(tx, "history")["spans"]
            w.add(f"secondment_id IN (SELECT secondment_id FROM {table}{spans.sql})")
            w.params.extend(spans.params)

    def count_by_state(self, scope: Scope) -> dict[str, Any]:
        w = Where().scope(scope)
        with self.reading() as (tx, t):
            rows = tx.rows(
                f"SELECT state, COUNT(*) AS n FROM {t.main}{w.sql} GROUP BY state", w.params
            )
        return {r["state"]: int(r["n"]) for r in rows}
