"""Read model `difficulties`: each difficulty raised from a post, by status, field, commune and
escalation level."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
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
    iso,
    paged,
    remember,
)
from projections.secondments import ward_label
from projections.store import Tx

TABLE = Table(
    "",
    (
        ("secondment_id", "TEXT NOT NULL"),
        ("number", "INTEGER NOT NULL"),
        ("seq", "BIGINT NOT NULL"),
        ("title", "TEXT NOT NULL"),
        ("field", "TEXT NOT NULL"),
        ("status", "TEXT NOT NULL"),
        ("escalated_to", "TEXT"),
        ("raised_on", "TEXT"),
        ("escalated_on", "TEXT"),
        ("resolved_on", "TEXT"),
        ("raised_by_role", "TEXT"),
        ("full_name", "TEXT"),
        ("personnel_id", "TEXT"),
        ("personnel_key", "TEXT"),
        ("home_agency", "TEXT"),
        ("agency_key", "TEXT"),
        ("province_code", "INTEGER"),
        ("ward_code", "INTEGER"),
        ("ward_name", "TEXT"),
    ),
    ("secondment_id", "number"),
    (
        ("seq",),
        ("status", "seq"),
        ("status", "field", "escalated_to"),
        ("province_code", "ward_code"),
        ("agency_key",),
    ),
)
SCOPE_COLUMNS = (
    "full_name",
    "personnel_id",
    "personnel_key",
    "home_agency",
    "agency_key",
    "province_code",
    "ward_code",
)


DIFFICULTY_EVENTS = (ev.DifficultyRaised, ev.DifficultyEscalated, ev.DifficultyResolved)


class Difficulties(ReadModel):
    """Difficulties raised, escalated and resolved."""

    reads = frozenset({"Secondment"})

    name = "difficulties"
    revision = 3
    keyed_since = 3
    tables = (TABLE, FACTS)

    def apply(self, tx: Tx, t: Tables, events: Sequence[Event]) -> None:
        facts, rows = self.rows(tx, t, "facts"), self.rows(tx, t)
        wanted = [e.sid for e in events if isinstance(e.data, DIFFICULTY_EVENTS)]
        facts.preload(wanted)
        rows.preload(wanted)
        for e in events:
            remember(facts, e)
            data = e.data
            if isinstance(data, ev.DifficultyRaised):
                d, f = data.difficulty, facts.get(e.sid) or {}
                rows.put(
                    {
                        "secondment_id": e.sid,
                        "number": d.number,
                        "seq": e.position,
                        "title": d.title,
                        "field": d.field.value,
                        "status": "open",
                        "raised_on": iso(d.raised_on),
                        "raised_by_role": d.raised_by.role.value,
                        "ward_name": ward_label(f["ward_code"]) if f.get("ward_code") else None,
                        **{k: f.get(k) for k in SCOPE_COLUMNS},
                    }
                )
            elif isinstance(data, ev.DifficultyEscalated) and (row := rows.get(e.sid, data.number)):
                status = "resolved" if row["status"] == "resolved" else "escalated"
                row.update(
                    status=status,
                    escalated_to=data.to.value,
                    escalated_on=iso(data.effective_on),
                )
                rows.put(row)
            elif isinstance(data, ev.DifficultyResolved) and (row := rows.get(e.sid, data.number)):
                row.update(status="resolved", resolved_on=iso(data.effective_on))
                rows.put(row)
        facts.flush()
        rows.flush()


@dataclass(frozen=True)
class DifficultyFilter:
    """Filters of GET /v1/reports/difficulties."""

    status: str | None = None
    field: str | None = None
    province_code: int | None = None
    ward_code: int | None = None
    escalated_to: str | None = None


class DifficultiesView(View):
    """Counts by status, field, commune and level, and the difficulties page by page."""

    model = "difficulties"

    def report(
        self, f: DifficultyFilter, scope: Scope, after: int, limit: int
    ) -> tuple[dict[str, Any], Page]:
        w = Where().scope(scope).eq("status", f.status).eq("field", f.field)
        w.eq("province_code", f.province_code).eq("ward_code", f.ward_code)
        w.eq("escalated_to", f.escalated_to)
        with self.reading() as (tx, t):

            def count(*columns: str) -> list[dict[str, Any]]:
                cols = ", ".join(columns)
                found = tx.rows(
                    f"SELECT {cols}, COUNT(*) AS n FROM {t.main}{w.sql} "
                    f"GROUP BY {cols} ORDER BY {cols}",
                    w.params,
                )
                return [{**r, "n": int(r["n"])} for r in found]

            by_status: Counter[str] = Counter()
            by_field: Counter[str] = Counter()
            by_escalation: Counter[str] = Counter()
            for r in count("status", "field", "escalated_to"):  # one scan for three summaries
                by_status[r["status"]] += r["n"]
                by_field[r["field"]] += r["n"]
                by_escalation[r["escalated_to"] or "none"] += r["n"]
            summary = {
                "by_status": dict(sorted(by_status.items())),
                "by_field": dict(sorted(by_field.items())),
                "by_escalation": dict(sorted(by_escalation.items())),
                "by_commune": [
                    {
                        "ward_code": r["ward_code"],
                        "ward_name": ward_label(r["ward_code"]) if r["ward_code"] else None,
                        "count": r["n"],
                    }
                    for r in count("ward_code")
                ],
            }
            w.add("seq > ?", after)
            rows = tx.rows(
                f"SELECT * FROM {t.main}{w.sql} ORDER BY seq LIMIT ?", [*w.params, limit + 1]
            )
        items = [{k: v for k, v in r.items() if k != "agency_key"} for r in rows]
        return summary, paged(items, limit, lambda r: {"seq": r["seq"]})
