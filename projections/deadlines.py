"""Read model `deadlines`: active secondments by the end of their term, and whether handover
has started, and when the deadline worker recorded a handover due or an expired term."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date
from typing import Any

from domain import events as ev
from projections.base import (
    IDENTITY,
    Event,
    Page,
    ReadModel,
    Scope,
    Table,
    Tables,
    View,
    Where,
    followed,
    identity,
    iso,
    paged,
)
from projections.secondments import ward_label
from projections.stay import follow_stay
from projections.store import Row, Tx

TABLE = Table(
    "",
    (
        *IDENTITY,
        ("term_end", "TEXT"),
        ("handover_started", "INTEGER NOT NULL"),
        ("handover_planned_on", "TEXT"),
        ("handover_due_on", "TEXT"),
        ("expired_on", "TEXT"),
    ),
    ("secondment_id",),
    (("active", "term_end", "seq"), ("province_code", "ward_code"), ("agency_key",)),
)


class Deadlines(ReadModel):
    """When each active secondment ends."""

    reads = frozenset({"Secondment"})

    name = "deadlines"
    revision = 3
    keyed_since = 3
    tables = (TABLE,)

    def apply(self, tx: Tx, t: Tables, events: Sequence[Event]) -> None:
        def new_row(e: Event) -> Row:
            return {**identity(e, ward_label), "handover_started": 0}

        for e, row in followed(self.rows(tx, t), events, new_row):
            follow_stay(e.data, row, ("term_end",))
            follow(e.data, row)


@functools.singledispatch
def follow(data: object, row: Row) -> None:
    """Updates when a secondment ends, and what the timers flagged, from one of its events."""


@follow.register(ev.HandoverDue)
def _handover_due(data: Any, row: Row) -> None:
    row["handover_due_on"] = iso(data.effective_on)


@follow.register(ev.TermExpired)
def _term_expired(data: Any, row: Row) -> None:
    row["expired_on"] = iso(data.effective_on)


@follow.register(ev.Corrected)
def _corrected(data: Any, row: Row) -> None:
    if data.fact == "HandoverStarted" and "planned_on" in data.changes:
        row["handover_planned_on"] = iso(data.changes["planned_on"])


@follow.register(ev.HandoverStarted)
def _handover_started(data: Any, row: Row) -> None:
    row["handover_started"] = 1
    row["handover_planned_on"] = iso(data.handover.planned_on)


class DeadlinesView(View):
    """Active secondments ending on or before a day, soonest first."""

    model = "deadlines"

    def ending(
        self,
        scope: Scope,
        until: date,
        without_handover: bool,
        after: tuple[str, int] | None,
        limit: int,
    ) -> Page:
        w = Where().scope(scope).add("active = 1").add("term_end <= ?", until.isoformat())
        if without_handover:
            w.add("handover_started = 0")
        if after is not None:
            w.add("(term_end > ? OR (term_end = ? AND seq > ?))", after[0], after[0], after[1])
        with self.reading() as (tx, t):
            rows = tx.rows(
                f"SELECT * FROM {t.main}{w.sql} ORDER BY term_end, seq LIMIT ?",
                [*w.params, limit + 1],
            )
        items = [{k: v for k, v in r.items() if k not in ("agency_key", "active")} for r in rows]
        for item in items:
            item["handover_started"] = bool(item["handover_started"])
        return paged(items, limit, lambda r: {"end": r["term_end"], "seq": r["seq"]})
