"""Read model `allowances`: when each official was at the host (arrival to the end of the term as
extended, or to the day it ended or was recalled) and the hardship areas the province declared
for each commune; the report gives a month's days and amounts from the configured rates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain import events as ev
from domain.allowances import Rates, amounts, days_at_host, month_bounds
from domain.values import Area, Kind
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
    paged,
)
from projections.secondments import ward_label
from projections.stay import follow_stay
from projections.store import Row, Tx

STAYS = Table(
    "",
    (
        *IDENTITY,
        ("arrived_on", "TEXT"),
        ("term_end", "TEXT"),
        ("ended_on", "TEXT"),
    ),
    ("secondment_id",),
    (("arrived_on", "seq"), ("province_code", "ward_code"), ("agency_key",)),
)
AREAS = Table(
    "areas",
    (("aggregate_id", "TEXT NOT NULL"), ("ward_code", "INTEGER"), ("areas", "TEXT NOT NULL")),
    ("aggregate_id",),
    (("ward_code",),),
)


class Allowances(ReadModel):
    """Each official's stay at the host, and each commune's hardship areas."""

    reads = frozenset({"Secondment", "CommuneNeeds"})

    name = "allowances"
    revision = 2
    keyed_since = 2
    tables = (STAYS, AREAS)

    def apply(self, tx: Tx, t: Tables, events: Sequence[Event]) -> None:
        self._areas(tx, t, [e for e in events if e.aggregate == "CommuneNeeds"])
        for e, row in followed(self.rows(tx, t), events, lambda e: identity(e, ward_label)):
            follow_stay(e.data, row, ("arrived_on", "term_end", "ended_on"))

    def _areas(self, tx: Tx, t: Tables, events: Sequence[Event]) -> None:
        areas = self.rows(tx, t, "areas")
        areas.preload(e.sid for e in events)
        for e in events:
            if isinstance(e.data, ev.Opened):
                areas.put({"aggregate_id": e.sid, "ward_code": e.data.ward_code, "areas": ""})
            elif isinstance(e.data, ev.AreaDeclared) and (row := areas.get(e.sid)) is not None:
                row["areas"] = ",".join(a.value for a in e.data.areas)
                areas.put(row)
        areas.flush()


@dataclass(frozen=True)
class Month:
    """A calendar month, YYYY-MM."""

    year: int
    month: int

    @property
    def bounds(self) -> tuple[date, date]:
        return month_bounds(self.year, self.month)


class AllowancesView(View):
    """A month's allowances per secondment at the host in it."""

    model = "allowances"

    def month(
        self, month: Month, scope: Scope, rates: Rates | None, after: int, limit: int
    ) -> Page:
        first, last = (d.isoformat() for d in month.bounds)
        w = Where().scope(scope, "s.").add("s.seq > ?", after)
        w.add("s.arrived_on <= ?", last).add("COALESCE(s.ended_on, s.term_end) >= ?", first)
        with self.reading() as (tx, t):
            rows = tx.rows(
                f"SELECT s.*, a.areas FROM {t.main} s LEFT JOIN {t['areas']} a "
                f"ON a.ward_code = s.ward_code{w.sql} ORDER BY s.seq LIMIT ?",
                [*w.params, limit + 1],
            )
        items = [_allowance(r, month, rates) for r in rows]
        return paged(items, limit, lambda r: {"seq": r["seq"]})


def _allowance(row: Row, month: Month, rates: Rates | None) -> dict[str, Any]:
    areas = [Area(a) for a in (row["areas"] or "").split(",") if a]
    last_day = date.fromisoformat(row["ended_on"] or row["term_end"])
    days = days_at_host(date.fromisoformat(row["arrived_on"]), last_day, month.year, month.month)
    rate = rates.rate(row["province_code"], Kind(row["kind"])) if rates else None
    money = amounts(rate, days, areas)
    shown = ("secondment_id", "seq", "state", "kind", "full_name", "personnel_id", "home_agency")
    return {
        **{k: row[k] for k in shown},
        "province_code": row["province_code"],
        "ward_code": row["ward_code"],
        "ward_name": row["ward_name"],
        "arrived_on": row["arrived_on"],
        "last_day": last_day.isoformat(),
        "days": days,
        "area": [a.value for a in areas],
        "rate_configured": rate is not None,
        "per_diem": money.per_diem,
        "area_allowance": money.area_allowance,
        "total": money.total,
        "currency": rates.currency if rates else None,
    }
