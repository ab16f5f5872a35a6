"""Read model `communes`: per commune, the fields it declared it lacks, the active secondments
by field, and the needed fields that no active secondment covers."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from domain import events as ev
from domain.lifecycle import OCCUPYING
from domain.units import ward_province
from domain.values import personnel_key
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
    iso,
    paged,
    remember,
    split_fields,
)
from projections.secondments import province_label, ward_label
from projections.store import Row, Tx

SUMMARY = Table(
    "",
    (
        ("ward_code", "INTEGER NOT NULL"),
        ("province_code", "INTEGER NOT NULL"),
        ("ward_name", "TEXT"),
        ("province_name", "TEXT"),
        ("needs", "TEXT NOT NULL"),
        ("note", "TEXT"),
        ("declared_on", "TEXT"),
        ("active", "INTEGER NOT NULL"),
        ("active_by_field", "TEXT NOT NULL"),
        ("uncovered", "TEXT NOT NULL"),
        ("uncovered_count", "INTEGER NOT NULL"),
    ),
    ("ward_code",),
    (("province_code", "ward_code"), ("uncovered_count",)),
)
POSTINGS = Table(
    "postings",
    (
        ("secondment_id", "TEXT NOT NULL"),
        ("seq", "BIGINT NOT NULL"),
        ("ward_code", "INTEGER NOT NULL"),
        ("province_code", "INTEGER NOT NULL"),
        ("state", "TEXT NOT NULL"),
        ("active", "INTEGER NOT NULL"),
        ("kind", "TEXT NOT NULL"),
        ("fields", "TEXT NOT NULL"),
        ("full_name", "TEXT NOT NULL"),
        ("personnel_id", "TEXT NOT NULL"),
        ("personnel_key", "TEXT NOT NULL"),
        ("home_agency", "TEXT NOT NULL"),
        ("agency_key", "TEXT NOT NULL"),
    ),
    ("secondment_id",),
    (("agency_key", "ward_code"), ("personnel_key",)),
    applying=(("ward_code", "active"),),
)


def summary_row(ward_code: int, previous: Row | None) -> Row:
    province = ward_province(ward_code) or 0
    row: Row = previous or {
        "ward_code": ward_code,
        "province_code": province,
        "ward_name": ward_label(ward_code),
        "province_name": province_label(province),
        "needs": "",
        "note": None,
        "declared_on": None,
    }
    return row


def coverage(needs: str, fields_of_active: Iterable[str]) -> tuple[dict[str, int], list[str]]:
    """Active secondments by field, and the needed fields none of them covers."""
    by_field = Counter(f for stored in fields_of_active for f in split_fields(stored))
    uncovered = [f for f in split_fields(needs) if f not in by_field]
    return dict(sorted(by_field.items())), uncovered


class Communes(ReadModel):
    """What each commune lacks and who is there now."""

    reads = frozenset({"Secondment", "CommuneNeeds"})

    name = "communes"
    revision = 2
    keyed_since = 2
    tables = (SUMMARY, POSTINGS, FACTS)

    def apply(self, tx: Tx, t: Tables, events: Sequence[Event]) -> None:
        facts, postings = self.rows(tx, t, "facts"), self.rows(tx, t, "postings")
        summary = self.rows(tx, t)
        postings.preload(e.sid for e in events if e.aggregate == "Secondment")
        touched: set[int] = set()
        for e in events:
            if e.aggregate == "CommuneNeeds":
                self._needs(facts, summary, e, touched)
            elif e.aggregate == "Secondment":
                self._posting(postings, e, touched)
        postings.flush()
        facts.flush()
        self._recount(tx, t, summary, touched)
        summary.flush()

    def _needs(self, facts: Rows, summary: Rows, e: Event, touched: set[int]) -> None:
        remember(facts, e)
        f = facts.get(e.sid)
        if not isinstance(e.data, ev.NeedsDeclared) or f is None:
            return
        ward = int(f["ward_code"])
        row = summary_row(ward, summary.get(ward))
        row.update(
            needs=field_list(e.data.fields),
            note=e.data.note,
            declared_on=iso(e.data.effective_on),
        )
        summary.put(row)
        touched.add(ward)

    def _posting(self, postings: Rows, e: Event, touched: set[int]) -> None:
        data = e.data
        if isinstance(data, ev.Requested):
            host, official = data.host, data.official
            if host.ward_code is None:
                return
            postings.put(
                {
                    "secondment_id": e.sid,
                    "seq": e.position,
                    "ward_code": host.ward_code,
                    "province_code": host.province_code,
                    "state": data.to_state,
                    "active": 0,
                    "kind": data.kind.value,
                    "fields": field_list(data.fields),
                    "full_name": official.full_name,
                    "personnel_id": official.personnel_id,
                    "personnel_key": personnel_key(official.personnel_id),
                    "home_agency": data.home_agency,
                    "agency_key": agency_key(data.home_agency),
                }
            )
            touched.add(host.ward_code)
            return
        row = postings.get(e.sid)
        if row is not None and isinstance(data, ev.Corrected) and "full_name" in data.changes:
            row["full_name"] = data.changes["full_name"]
            postings.put(row)
        to_state = data.to_state
        if row is None or to_state == row["state"]:
            return
        active = int(to_state in OCCUPYING)
        if active != row["active"]:
            touched.add(int(row["ward_code"]))
        row.update(state=to_state, active=active)
        postings.put(row)

    def _recount(self, tx: Tx, t: Tables, summary: Rows, touched: set[int]) -> None:
        wards = sorted(touched)
        active: dict[int, list[str]] = {w: [] for w in wards}
        for i in range(0, len(wards), 500):
            chunk = wards[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for r in tx.rows(
                f"SELECT ward_code, fields FROM {t['postings']} "
                f"WHERE active = 1 AND ward_code IN ({marks})",
                chunk,
            ):
                active[int(r["ward_code"])].append(r["fields"])
        summary.preload(wards)
        for ward in wards:
            row = summary_row(ward, summary.get(ward))
            by_field, uncovered = coverage(row["needs"], active[ward])
            row.update(
                active=len(active[ward]),
                active_by_field=json.dumps(by_field, sort_keys=True),
                uncovered=field_list(uncovered),
                uncovered_count=len(uncovered),
            )
            summary.put(row)


@dataclass(frozen=True)
class CommuneFilter:
    """Filters of GET /v1/reports/communes."""

    province_code: int | None = None
    ward_code: int | None = None
    uncovered_only: bool = False
    field: str | None = None


def present(row: Row) -> dict[str, Any]:
    """A summary row as the API shows it."""
    return {
        "ward_code": row["ward_code"],
        "ward_name": row["ward_name"],
        "province_code": row["province_code"],
        "province_name": row["province_name"],
        "needs": split_fields(row.get("needs")),
        "note": row.get("note"),
        "declared_on": row.get("declared_on"),
        "active": int(row.get("active") or 0),
        "active_by_field": json.loads(row.get("active_by_field") or "{}"),
        "uncovered": split_fields(row.get("uncovered")),
    }


class CommunesView(View):
    """One commune, and the report over all communes."""

    model = "communes"

    def commune(self, ward_code: int, scope: Scope) -> tuple[Row | None, list[Row]]:
        """The commune's summary (None if it has no record) and its active postings in scope."""
        w = Where().scope(scope).add("active = 1").add("ward_code = ?", ward_code)
        with self.reading() as (tx, t):
            summary = tx.one(f"SELECT * FROM {t.main} WHERE ward_code = ?", (ward_code,))
            postings = tx.rows(f"SELECT * FROM {t['postings']}{w.sql} ORDER BY seq", w.params)
        return summary, postings

    def report(self, f: CommuneFilter, scope: Scope, after: int, limit: int) -> Page:
        if scope.home_agency is not None or scope.personnel_id is not None:
            return self._report_of_postings(f, scope, after, limit)
        w = Where().scope(scope).add("ward_code > ?", after)
        w.eq("province_code", f.province_code).eq("ward_code", f.ward_code)
        if f.uncovered_only:
            w.add("uncovered_count > 0")
        if f.field:
            w.add("(needs LIKE ? OR active_by_field LIKE ?)", f"%,{f.field},%", f'%"{f.field}"%')
        with self.reading() as (tx, t):
            rows = tx.rows(
                f"SELECT * FROM {t.main}{w.sql} ORDER BY ward_code LIMIT ?",
                [*w.params, limit + 1],
            )
        return paged(rows, limit, lambda r: {"ward": r["ward_code"]})

    def _report_of_postings(self, f: CommuneFilter, scope: Scope, after: int, limit: int) -> Page:
        """For a caller who sees only some officials: communes where they are active, counted
        over those officials only."""
        w = Where().scope(scope).add("active = 1").add("ward_code > ?", after)
        w.eq("province_code", f.province_code).eq("ward_code", f.ward_code)
        with self.reading() as (tx, t):
            wards = [
                int(r["ward_code"])
                for r in tx.rows(
                    f"SELECT DISTINCT ward_code FROM {t['postings']}{w.sql} "
                    "ORDER BY ward_code LIMIT ?",
                    [*w.params, limit + 1],
                )
            ]
            rows = []
            for ward in wards[:limit]:
                mine = Where().scope(scope).add("active = 1").add("ward_code = ?", ward)
                fields = tx.rows(f"SELECT fields FROM {t['postings']}{mine.sql}", mine.params)
                summary = tx.one(f"SELECT * FROM {t.main} WHERE ward_code = ?", (ward,))
                row = dict(summary_row(ward, summary))
                by_field, _ = coverage(row.get("needs", ""), (r["fields"] for r in fields))
                row.update(
                    active=len(fields),
                    active_by_field=json.dumps(by_field, sort_keys=True),
                    uncovered=row.get("uncovered", ""),
                )
                rows.append(row)
        after_ward = {"ward": wards[limit - 1]} if len(wards) > limit else None
        return Page(rows, after_ward)
