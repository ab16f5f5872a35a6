"""Read model `agencies`: per home agency, officials sent, active, ended and recalled.

One row per secondment (its agency, host and where it stands), summed per agency at query time,
so that every caller's scope (province, commune, agency, official) applies before the sums.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain import events as ev
from domain.lifecycle import INITIAL, OCCUPYING
from domain.values import Outcome, personnel_key
from projections.base import (
    Event,
    Page,
    ReadModel,
    Scope,
    Table,
    Tables,
    View,
    Where,
    agency_key,
    paged,
)
from projections.store import Tx

TABLE = Table(
    "",
    (
        ("secondment_id", "TEXT NOT NULL"),
        ("agency_key", "TEXT NOT NULL"),
        ("home_agency", "TEXT NOT NULL"),
        ("province_code", "INTEGER NOT NULL"),
        ("ward_code", "INTEGER"),
        ("personnel_id", "TEXT NOT NULL"),
        ("personnel_key", "TEXT NOT NULL"),
        ("bucket", "TEXT NOT NULL"),
        ("sent", "INTEGER NOT NULL"),
    ),
    ("secondment_id",),
    (("agency_key", "province_code"), ("province_code", "ward_code"), ("personnel_key",)),
)
BUCKETS = ("pending", "active", "ended", "recalled", "rejected", "withdrawn")


def bucket(to_state: str, ending: Any, current: str) -> str:
    """Where a secondment counts: pending, active, ended (completed), recalled, rejected…
    An ended secondment counts by the outcome of its ending; the events recorded after it
    (a difficulty escalated or resolved) carry no ending and leave it where it is."""
    if to_state in OCCUPYING:
        return "active"
    if ending is not None:
        return "recalled" if ending.outcome is Outcome.RECALLED else "ended"
    if to_state == "ended":
        return current
    return "pending" if to_state == INITIAL else to_state


def ending_of(data: Any) -> Any:
    """The ending an event records (None for the events that record none)."""
    return data.ending if isinstance(data, ev.Ended | ev.Recalled) else None


class Agencies(ReadModel):
    """How many officials each home agency sent, and where they stand."""

    reads = frozenset({"Secondment"})

    name = "agencies"
    revision = 3
    keyed_since = 3
    tables = (TABLE,)

    def apply(self, tx: Tx, t: Tables, events: Sequence[Event]) -> None:
        rows = self.rows(tx, t)
        rows.preload(e.sid for e in events)
        for e in events:
            if isinstance(e.data, ev.Requested):
                host, agency = e.data.host, e.data.home_agency
                rows.put(
                    {
                        "secondment_id": e.sid,
                        "agency_key": agency_key(agency),
                        "home_agency": agency,
                        "province_code": host.province_code,
                        "ward_code": host.ward_code,
                        "personnel_id": e.data.official.personnel_id,
                        "personnel_key": personnel_key(e.data.official.personnel_id),
                        "bucket": "pending",
                        "sent": 0,
                    }
                )
                continue
            row = rows.get(e.sid)
            if row is None:
                continue
            row["bucket"] = bucket(e.data.to_state, ending_of(e.data), row["bucket"])
            if isinstance(e.data, ev.Approved):
                row["sent"] = 1
            rows.put(row)
        rows.flush()


class AgenciesView(View):
    """The per-agency report."""

    model = "agencies"

    def report(self, scope: Scope, province_code: int | None, after: str, limit: int) -> Page:
        w = Where().scope(scope).add("agency_key > ?", after).eq("province_code", province_code)
        with self.reading() as (tx, t):
            return agency_sums(tx, t.main, w, limit)


def agency_sums(tx: Tx, table: str, w: Where, limit: int) -> Page:
    """A page of per-agency sums over rows with `bucket`, `sent` and `personnel_key` (one row
    per secondment) that match `w`."""
    sums = ", ".join(f"SUM(CASE WHEN bucket = '{b}' THEN 1 ELSE 0 END) AS {b}" for b in BUCKETS)
    rows = tx.rows(
        f"SELECT agency_key, MIN(home_agency) AS home_agency, COUNT(*) AS requested, "
        f"SUM(sent) AS sent, "
        f"COUNT(DISTINCT CASE WHEN sent = 1 THEN personnel_key END) AS officials_sent, "
        f"{sums} FROM {table}{w.sql} GROUP BY agency_key ORDER BY agency_key LIMIT ?",
        [*w.params, limit + 1],
    )
    items = [
        {k: (int(v) if k not in ("agency_key", "home_agency") else v) for k, v in r.items()}
        for r in rows
    ]
    return paged(items, limit, lambda r: {"agency": r["agency_key"]})
