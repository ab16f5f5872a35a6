"""Read model `deadlines`: active secondments by the end of their term, and whether handover
has started, and when the deadline worker recorded a handover due or an expired term."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

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

    name = "deadlines"
    revision = 2
    tables = (TABLE,)

    def apply(self, tx: Tx, t: Tables, events: Sequence[Event]) -> None:
        def new_row(e: Event) -> Row:
            return {**identity(e, ward_label), "handover_started": 0}

        for e, row in followed(self.rows(tx, t), events, new_row):
            if e.type == "Approved":
                row["term_end"] = iso(e.attr("term").end)
            elif e.type == "Extended":
                row["term_end"] = iso(e.attr("extension").new_end)
            elif e.type == "HandoverDue":
                row["handover_due_on"] = iso(e.attr("effective_on"))
            elif e.type == "TermExpired":
                row["expired_on"] = iso(e.attr("effective_on"))
            elif e.type == "HandoverStarted":
                row["handover_started"] = 1
                row["handover_planned_on"] = iso(e.attr("handover").planned_on)


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
