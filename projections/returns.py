"""Read model `returns`: ended secondments and whether the home agency took the official back
(the right of return, Decree 115/2020 Art. 27 and Decree 170/2025); the report lists those with
no return recorded, oldest end first, and the timers find the ones to flag there."""

from __future__ import annotations

import functools
from collections.abc import Sequence
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
        ("outcome", "TEXT"),
        ("ended_on", "TEXT"),
        ("returned_on", "TEXT"),
        ("post", "TEXT"),
        ("return_due_on", "TEXT"),
    ),
    ("secondment_id",),
    (("returned_on", "ended_on", "seq"), ("province_code", "ward_code"), ("agency_key",)),
)


class Returns(ReadModel):
    """How and when each secondment ended, and the official's return."""

    reads = frozenset({"Secondment"})

    name = "returns"
    revision = 2
    keyed_since = 2
    tables = (TABLE,)

    def apply(self, tx: Tx, t: Tables, events: Sequence[Event]) -> None:
        def new_row(e: Event) -> Row:
            return identity(e, ward_label)

        for e, row in followed(self.rows(tx, t), events, new_row):
            follow_stay(e.data, row, ("ended_on",))
            follow(e.data, row)


@functools.singledispatch
def follow(data: object, row: Row) -> None:
    """Updates how a secondment ended and the official's return from one of its events."""


@follow.register(ev.Ended)
@follow.register(ev.Recalled)
def _ended(data: Any, row: Row) -> None:
    row["outcome"] = data.ending.outcome.value


@follow.register(ev.Returned)
def _returned(data: Any, row: Row) -> None:
    row.update(returned_on=iso(data.record.returned_on), post=data.record.post)


@follow.register(ev.ReturnMissing)
def _return_missing(data: Any, row: Row) -> None:
    row["return_due_on"] = iso(data.effective_on)


class ReturnsView(View):
    """Ended secondments with no return recorded, oldest end first."""

    model = "returns"

    def missing(self, scope: Scope, after: tuple[str, int] | None, limit: int) -> Page:
        w = Where().scope(scope).add("ended_on IS NOT NULL").add("returned_on IS NULL")
        if after is not None:
            w.add("(ended_on > ? OR (ended_on = ? AND seq > ?))", after[0], after[0], after[1])
        with self.reading() as (tx, t):
            rows = tx.rows(
                f"SELECT * FROM {t.main}{w.sql} ORDER BY ended_on, seq LIMIT ?",
                [*w.params, limit + 1],
            )
        hidden = ("agency_key", "active", "returned_on", "post")
        items = [{k: v for k, v in r.items() if k not in hidden} for r in rows]
        return paged(items, limit, lambda r: {"end": r["ended_on"], "seq": r["seq"]})
