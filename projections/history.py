"""Read model `history`: validity intervals by business date, so that "on D" is a range query.

- `spans`: one row per stretch of a secondment's life in one state, from the business date of
  the fact that moved it there (`valid_from`) to that of the next such fact (`valid_to`, open
  while it lasts), with who, where, which fields and how it counts for its home agency.
- `needs`: one row per needs declaration of a commune, valid until the next one by date.

A record holds on D when `valid_from <= D < valid_to` (or `valid_to` is open): the same "end of
business day D" as the domain's fold (`domain.history`). Undated requests start on the day they
were recorded. Intervals are recomputed per secondment (or commune) from its rows, so facts
dated out of recorded order (needs, corrections) still give ordered intervals.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from domain import events as ev
from domain.corrections import DATE_OF
from domain.history import effective_on
from domain.lifecycle import OCCUPYING
from domain.values import personnel_key
from projections.agencies import agency_sums, bucket, ending_of
from projections.base import (
    FACTS,
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
    held_on,
    in_states,
    iso,
    paged,
    remember,
)
from projections.communes import CommuneFilter, coverage, summary_row
from projections.store import Row, Tx

SPANS = Table(
    "spans",
    (
        ("secondment_id", "TEXT NOT NULL"),
        ("opened", "INTEGER NOT NULL"),
        ("seq", "BIGINT NOT NULL"),
        ("valid_from", "TEXT NOT NULL"),
        ("valid_to", "TEXT"),
        ("state", "TEXT NOT NULL"),
        ("bucket", "TEXT NOT NULL"),
        ("sent", "INTEGER NOT NULL"),
        ("province_code", "INTEGER NOT NULL"),
        ("ward_code", "INTEGER"),
        ("kind", "TEXT NOT NULL"),
        ("fields", "TEXT NOT NULL"),
        ("full_name", "TEXT NOT NULL"),
        ("personnel_id", "TEXT NOT NULL"),
        ("personnel_key", "TEXT NOT NULL"),
        ("home_agency", "TEXT NOT NULL"),
        ("agency_key", "TEXT NOT NULL"),
    ),
    ("secondment_id", "opened"),
    (("ward_code", "valid_from"), ("agency_key", "valid_from"), ("valid_from",)),
)
NEEDS = Table(
    "needs",
    (
        ("ward_code", "INTEGER NOT NULL"),
        ("opened", "INTEGER NOT NULL"),
        ("province_code", "INTEGER NOT NULL"),
        ("valid_from", "TEXT NOT NULL"),
        ("valid_to", "TEXT"),
        ("fields", "TEXT NOT NULL"),
        ("note", "TEXT"),
    ),
    ("ward_code", "opened"),
    (("valid_from",),),
)


def reinterval(rows: list[Row], order: Any) -> list[Row]:
    """Sets each row's `valid_to` to the next row's `valid_from`, in `order`; the last is open."""
    ordered = sorted(rows, key=order)
    for row, following in zip(ordered, [*ordered[1:], None], strict=True):
        row["valid_to"] = following["valid_from"] if following else None
    return ordered


class History(ReadModel):
    """Secondments and communes' needs by business date."""

    reads = frozenset({"Secondment", "CommuneNeeds"})

    name = "history"
    revision = 2
    keyed_since = 2
    tables = (SPANS, NEEDS, FACTS)

    def apply(self, tx: Tx, t: Tables, events: Sequence[Event]) -> None:
        spans, needs = self.rows(tx, t, "spans"), self.rows(tx, t, "needs")
        facts = self.rows(tx, t, "facts")
        spans.preload(e.sid for e in events if e.aggregate == "Secondment")
        facts.preload(e.sid for e in events if isinstance(e.data, ev.NeedsDeclared))
        for e in events:
            data = e.data
            if e.aggregate == "CommuneNeeds":
                remember(facts, e)
                if isinstance(data, ev.NeedsDeclared):
                    self._declared(facts, needs, e)
                continue
            if e.aggregate != "Secondment":
                continue
            if isinstance(data, ev.Requested):
                self._open(spans, e, _identity(e))
            elif isinstance(data, ev.Corrected):
                self._corrected(spans, e)
            elif data.from_state != data.to_state and (mine := spans.group(e.sid)):
                last = max(mine, key=lambda r: r["opened"])
                self._open(spans, e, {k: v for k, v in last.items() if k in IDENTITY})
        spans.flush()
        needs.flush()
        facts.flush()

    def _open(self, spans: Rows, e: Event, identity: Row) -> None:
        data = e.data
        row = {
            **identity,
            "secondment_id": e.sid,
            "opened": e.version,
            "seq": identity.get("seq", e.position),
            "valid_from": iso(effective_on(data)),
            "state": data.to_state,
            "bucket": bucket(data.to_state, ending_of(data), data.to_state),
            "sent": int(isinstance(data, ev.Approved) or bool(identity.get("sent"))),
        }
        spans.put(row)
        for r in reinterval(spans.group(e.sid), lambda r: r["opened"]):
            spans.put(r)

    def _corrected(self, spans: Rows, e: Event) -> None:
        """A corrected date moves the start of the span its fact opened; a corrected name is
        the name of every span."""
        data, mine = e.data, spans.group(e.sid)
        name = DATE_OF.get(data.fact)
        for row in mine:
            if name in data.changes and row["opened"] == data.corrects_version:
                row["valid_from"] = iso(data.changes[name])
            if "full_name" in data.changes:
                row["full_name"] = data.changes["full_name"]
        for row in reinterval(mine, lambda r: r["opened"]):
            spans.put(row)

    def _declared(self, facts: Rows, needs: Rows, e: Event) -> None:
        f = facts.get(e.sid)
        if f is None:
            return
        ward = int(f["ward_code"])
        needs.put(
            {
                "ward_code": ward,
                "opened": e.version,
                "province_code": f["province_code"],
                "valid_from": iso(e.data.effective_on),
                "fields": field_list(e.data.fields),
                "note": e.data.note,
            }
        )
        for r in reinterval(needs.group(ward), lambda r: (r["valid_from"], r["opened"])):
            needs.put(r)


IDENTITY = (
    "seq",
    "province_code",
    "ward_code",
    "kind",
    "fields",
    "full_name",
    "personnel_id",
    "personnel_key",
    "home_agency",
    "agency_key",
    "sent",
)


def _identity(e: Event) -> Row:
    data = e.data
    host, official = data.host, data.official
    return {
        "seq": e.position,
        "province_code": host.province_code,
        "ward_code": host.ward_code,
        "kind": data.kind.value,
        "fields": field_list(data.fields),
        "full_name": official.full_name,
        "personnel_id": official.personnel_id,
        "personnel_key": personnel_key(official.personnel_id),
        "home_agency": data.home_agency,
        "agency_key": agency_key(data.home_agency),
        "sent": 0,
    }


class HistoryView(View):
    """Communes and home agencies as they stood on a business day."""

    model = "history"

    def agencies(
        self, scope: Scope, province_code: int | None, day: date, after: str, limit: int
    ) -> Page:
        w = Where().scope(scope).add("agency_key > ?", after).eq("province_code", province_code)
        with self.reading() as (tx, t):
            return agency_sums(tx, t["spans"], held_on(w, day), limit)

    def commune(self, ward_code: int, scope: Scope, day: date) -> tuple[Row | None, list[Row]]:
        """The commune on `day` (None if it has no record at all) and its postings then."""
        with self.reading() as (tx, t):
            known = tx.one(
                f"SELECT 1 AS x FROM {t['needs']} WHERE ward_code = ? UNION "
                f"SELECT 1 AS x FROM {t['spans']} WHERE ward_code = ?",
                (ward_code, ward_code),
            )
            if known is None:
                return None, []
            rows = self._summaries(tx, t, [ward_code], scope, day)
        return rows[ward_code]

    def communes(self, f: CommuneFilter, scope: Scope, day: date, after: int, limit: int) -> Page:
        """The communes report on `day`, over the postings in the caller's scope."""
        w = held_on(Where().scope(scope).add("ward_code > ?", after), day)
        w.eq("province_code", f.province_code).eq("ward_code", f.ward_code)
        postings = in_states(Where(clauses=list(w.clauses), params=list(w.params)), OCCUPYING)
        union = f"SELECT ward_code FROM {{spans}}{postings.sql}"
        params = list(postings.params)
        if scope.home_agency is None and scope.personnel_id is None:
            needs = held_on(Where().add("ward_code > ?", after), day)
            needs.eq("province_code", scope.province_code).eq("ward_code", scope.ward_code)
            needs.eq("province_code", f.province_code).eq("ward_code", f.ward_code)
            union += f" UNION SELECT ward_code FROM {{needs}}{needs.sql}"
            params += needs.params
        items: list[Row] = []
        with self.reading() as (tx, t):
            sql = union.format(spans=t["spans"], needs=t["needs"])
            wards = [int(r["ward_code"]) for r in tx.rows(f"{sql} ORDER BY ward_code", params)]
            for i in range(0, len(wards), 200):
                found = self._summaries(tx, t, wards[i : i + 200], scope, day)
                items += [s for ward, (s, _) in found.items() if s and _wanted(s, f)]
                if len(items) > limit:
                    break
        return paged(items, limit, lambda r: {"ward": r["ward_code"]})

    def _summaries(
        self, tx: Tx, t: Tables, wards: list[int], scope: Scope, day: date
    ) -> dict[int, tuple[Row | None, list[Row]]]:
        marks = ",".join("?" * len(wards))
        w = in_states(held_on(Where().scope(scope), day), OCCUPYING)
        w.add(f"ward_code IN ({marks})", *wards)
        postings = tx.rows(f"SELECT * FROM {t['spans']}{w.sql} ORDER BY seq", w.params)
        n = held_on(Where().add(f"ward_code IN ({marks})", *wards), day)
        needs = {
            int(r["ward_code"]): r for r in tx.rows(f"SELECT * FROM {t['needs']}{n.sql}", n.params)
        }
        found: dict[int, tuple[Row | None, list[Row]]] = {}
        for ward in wards:
            mine = [p for p in postings if p["ward_code"] == ward]
            row = summary_row(ward, None)
            if (latest := needs.get(ward)) is not None:
                row.update(needs=latest["fields"], note=latest["note"])
                row["declared_on"] = latest["valid_from"]
            by_field, uncovered = coverage(row["needs"], (p["fields"] for p in mine))
            row.update(
                active=len(mine),
                active_by_field=json.dumps(by_field, sort_keys=True),
                uncovered=field_list(uncovered),
            )
            found[ward] = (row, mine)
        return found


def _wanted(row: Row, f: CommuneFilter) -> bool:
    if f.uncovered_only and not row["uncovered"]:
        return False
    if f.field:
        return f",{f.field}," in (row["needs"] or "") or f'"{f.field}"' in row["active_by_field"]
    return True
