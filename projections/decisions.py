"""Read model `decisions`: per decision number, the secondments it approved (kind, field, host)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from domain import events as ev
from domain.values import personnel_key
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
    field_list,
    iso,
    paged,
    split_fields,
)
from projections.secondments import province_label, ward_label
from projections.store import Row, Tx

TABLE = Table(
    "",
    (
        ("secondment_id", "TEXT NOT NULL"),
        ("seq", "BIGINT NOT NULL"),
        ("approved_at", "BIGINT"),
        ("decision_number", "TEXT"),
        ("decision_date", "TEXT"),
        ("decision_issuer", "TEXT"),
        ("term_start", "TEXT"),
        ("term_end", "TEXT"),
        ("kind", "TEXT NOT NULL"),
        ("fields", "TEXT NOT NULL"),
        ("province_code", "INTEGER NOT NULL"),
        ("province_name", "TEXT"),
        ("ward_code", "INTEGER"),
        ("ward_name", "TEXT"),
        ("home_agency", "TEXT NOT NULL"),
        ("agency_key", "TEXT NOT NULL"),
        ("personnel_id", "TEXT NOT NULL"),
        ("personnel_key", "TEXT NOT NULL"),
        ("full_name", "TEXT NOT NULL"),
    ),
    ("secondment_id",),
    (("decision_number", "seq"),),
)


class Decisions(ReadModel):
    """Which secondments each decision approved."""

    reads = frozenset({"Secondment"})

    name = "decisions"
    revision = 2
    keyed_since = 2
    tables = (TABLE,)

    def apply(self, tx: Tx, t: Tables, events: Sequence[Event]) -> None:
        rows = self.rows(tx, t)
        rows.preload(e.sid for e in events if isinstance(e.data, ev.Approved))
        for e in events:
            data = e.data
            if isinstance(data, ev.Requested):
                host, official = data.host, data.official
                rows.put(
                    {
                        "secondment_id": e.sid,
                        "seq": e.position,
                        "kind": data.kind.value,
                        "fields": field_list(data.fields),
                        "province_code": host.province_code,
                        "province_name": province_label(host.province_code),
                        "ward_code": host.ward_code,
                        "ward_name": ward_label(host.ward_code) if host.ward_code else None,
                        "home_agency": data.home_agency,
                        "agency_key": agency_key(data.home_agency),
                        "personnel_id": official.personnel_id,
                        "personnel_key": personnel_key(official.personnel_id),
                        "full_name": official.full_name,
                    }
                )
            elif isinstance(data, ev.Corrected) and (row := rows.get(e.sid)) is not None:
                corrected(row, data.changes)
                rows.put(row)
            elif isinstance(data, ev.Approved) and (row := rows.get(e.sid)) is not None:
                decision, term = data.decision, data.term
                row.update(
                    approved_at=e.position,
                    decision_number=decision.number,
                    decision_date=iso(decision.date),
                    decision_issuer=decision.issuer,
                    term_start=iso(term.start),
                    term_end=iso(term.end),
                )
                rows.put(row)
        rows.flush()


def corrected(row: Row, changes: dict[str, Any]) -> None:
    """A corrected name or decision, in the secondment's row."""
    if "full_name" in changes:
        row["full_name"] = changes["full_name"]
    for part in ("number", "date", "issuer"):
        if (value := changes.get(f"decision.{part}")) is not None and row.get("approved_at"):
            row[f"decision_{part}"] = iso(value) if part == "date" else value


class DecisionsView(View):
    """One decision: totals by kind, field and host, and the secondments page by page."""

    model = "decisions"

    def decision(
        self, number: str, scope: Scope, after: int, limit: int
    ) -> tuple[dict[str, Any] | None, Page]:
        w = Where().scope(scope).add("decision_number = ?", number)
        with self.reading() as (tx, t):
            kinds = tx.rows(
                f"SELECT kind, COUNT(*) AS officials, COUNT(DISTINCT ward_code) AS communes, "
                f"MIN(decision_date) AS decision_date, MIN(decision_issuer) AS issuer "
                f"FROM {t.main}{w.sql} GROUP BY kind ORDER BY kind",
                w.params,
            )
            if not kinds:
                return None, Page([], None)
            hosts = tx.rows(
                f"SELECT province_code, province_name, ward_code, ward_name, COUNT(*) AS officials "
                f"FROM {t.main}{w.sql} GROUP BY province_code, province_name, ward_code, ward_name "
                "ORDER BY province_code, ward_code",
                w.params,
            )
            fields = tx.rows(f"SELECT fields FROM {t.main}{w.sql}", w.params)
            communes = tx.one(
                f"SELECT COUNT(DISTINCT ward_code) AS n FROM {t.main}{w.sql}", w.params
            )
            w.add("seq > ?", after)
            rows = tx.rows(
                f"SELECT * FROM {t.main}{w.sql} ORDER BY seq LIMIT ?", [*w.params, limit + 1]
            )
        by_field = Counter(f for r in fields for f in split_fields(r["fields"]))
        summary = {
            "number": number,
            "date": kinds[0]["decision_date"],
            "issuer": kinds[0]["issuer"],
            "officials": sum(int(k["officials"]) for k in kinds),
            "communes": int(communes["n"]) if communes else 0,
            "by_kind": [
                {
                    "kind": k["kind"],
                    "officials": int(k["officials"]),
                    "communes": int(k["communes"]),
                }
                for k in kinds
            ],
            "by_field": dict(sorted(by_field.items())),
            "by_host": [{**h, "officials": int(h["officials"])} for h in hosts],
        }
        return summary, paged(rows, limit, lambda r: {"seq": r["seq"]})
