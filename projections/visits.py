"""Read model `study_visits`: one row per study visit (who comes from which commune, to which
unit, in which week, how many, where it stands), and the reports over it: visits per commune
and unit, participants per month, and the communes of a province that have sent nobody."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from domain.units import all_wards
from domain.visit import StudyVisit
from domain.visit_values import unit_key, week_of
from projections.base import Event, Page, ReadModel, Scope, Table, Tables, View, Where, iso, paged
from projections.secondments import ward_label
from projections.store import Row, Tx

EVENTS: dict[str, type[Any]] = {
    name: getattr(StudyVisit, name)
    for name in ("Proposed", "Scheduled", "Rescheduled", "Attended", "Completed", "Cancelled")
}
LEARNED = ("attended", "completed")
"""States of a visit whose participants came."""

TABLE = Table(
    "",
    (
        ("visit_id", "TEXT NOT NULL"),
        ("seq", "BIGINT NOT NULL"),
        ("state", "TEXT NOT NULL"),
        ("province_code", "INTEGER NOT NULL"),
        ("ward_code", "INTEGER NOT NULL"),
        ("ward_name", "TEXT"),
        ("host_unit", "TEXT NOT NULL"),
        ("unit", "TEXT"),
        ("unit_key", "TEXT"),
        ("week", "TEXT"),
        ("start_on", "TEXT"),
        ("end_on", "TEXT"),
        ("participants", "INTEGER NOT NULL"),
        ("present", "INTEGER"),
        ("proposed_on", "TEXT"),
        ("attended_on", "TEXT"),
        ("completed_on", "TEXT"),
        ("reschedules", "INTEGER NOT NULL"),
        ("preferred_weeks", "TEXT"),
    ),
    ("visit_id",),
    (("province_code", "seq"), ("ward_code", "seq"), ("state", "seq"), ("unit_key", "week")),
)


@functools.singledispatch
def fold(data: object, row: Row) -> None:
    """What an event of a study visit changes in its row (the state is followed by the caller)."""


@fold.register(EVENTS["Proposed"])
def _proposed(data: Any, row: Row) -> None:
    for name in ("province_code", "ward_code", "host_unit"):
        row[name] = getattr(data, name)
    row.update(ward_name=ward_label(data.ward_code), participants=len(data.participants))
    row.update(proposed_on=iso(data.effective_on), reschedules=0)
    row["preferred_weeks"] = ",".join(data.preferred_weeks)


@fold.register(EVENTS["Scheduled"])
@fold.register(EVENTS["Rescheduled"])
def _scheduled(data: Any, row: Row) -> None:
    row.update(
        unit=data.unit,
        unit_key=unit_key(data.unit),
        week=week_of(data.start),
        start_on=iso(data.start),
        end_on=iso(data.end),
    )
    if type(data) is EVENTS["Rescheduled"]:
        row["reschedules"] = int(row["reschedules"] or 0) + 1


@fold.register(EVENTS["Attended"])
def _attended(data: Any, row: Row) -> None:
    row.update(attended_on=iso(data.effective_on), present=data.present)


@fold.register(EVENTS["Completed"])
def _completed(data: Any, row: Row) -> None:
    row["completed_on"] = iso(data.effective_on)


class StudyVisits(ReadModel):
    """Study visits, one row each."""

    reads = frozenset({"StudyVisit"})

    name = "study_visits"
    tables = (TABLE,)

    def apply(self, tx: Tx, t: Tables, events: Sequence[Event]) -> None:
        rows = self.rows(tx, t)
        rows.preload(e.sid for e in events)
        for e in events:
            row = rows.get(e.sid) or {"visit_id": e.sid, "seq": e.position}
            fold(e.data, row)
            row["state"] = e.data.to_state
            rows.put(row)
        rows.flush()


class StudyVisitsView(View):
    """The list of visits and the reports, within the caller's scope."""

    model = "study_visits"

    def search(self, scope: Scope, after: int, limit: int, **filters: Any) -> Page:
        """Visits after `after` (by log position); `filters` are `state`, `ward_code`, `week`
        and `unit` (compared without case), None for any."""
        unit = filters.pop("unit", None)
        w = Where().scope(scope).add("seq > ?", after).eq("unit_key", unit and unit_key(unit))
        for column in ("state", "ward_code", "week"):
            w.eq(column, filters.get(column))
        with self.reading() as (tx, t):
            rows = tx.rows(
                f"SELECT * FROM {t.main}{w.sql} ORDER BY seq LIMIT ?", [*w.params, limit + 1]
            )
        return paged(rows, limit, lambda r: {"seq": r["seq"]})

    def by_commune_and_unit(self, scope: Scope, province_code: int | None) -> list[Row]:
        """Per commune and receiving unit (the host unit until scheduled): visits not cancelled,
        those attended, and their participants."""
        w = Where().scope(scope).eq("province_code", province_code).add("state <> ?", "cancelled")
        with self.reading() as (tx, t):
            return tx.rows(
                "SELECT province_code, ward_code, ward_name, COALESCE(unit, host_unit) AS unit, "
                "COUNT(*) AS visits, "
                "SUM(CASE WHEN state IN ('attended', 'completed') THEN 1 ELSE 0 END) AS attended, "
                "SUM(participants) AS participants, COALESCE(SUM(present), 0) AS present "
                f"FROM {t.main}{w.sql} "
                "GROUP BY province_code, ward_code, ward_name, COALESCE(unit, host_unit) "
                "ORDER BY province_code, ward_code, unit",
                w.params,
            )

    def participants_by_month(self, scope: Scope, province_code: int | None) -> list[Row]:
        """Per month of attendance: visits attended and the participants present."""
        w = Where().scope(scope).eq("province_code", province_code)
        w.add("attended_on IS NOT NULL")
        with self.reading() as (tx, t):
            return tx.rows(
                "SELECT SUBSTR(attended_on, 1, 7) AS month, COUNT(*) AS visits, "
                f"SUM(present) AS participants FROM {t.main}{w.sql} "
                "GROUP BY SUBSTR(attended_on, 1, 7) ORDER BY month",
                w.params,
            )

    def silent_communes(self, scope: Scope, province_code: int) -> list[Row]:
        """The communes and wards of a province none of whose officials has come to learn."""
        w = Where().scope(scope).eq("province_code", province_code)
        w.add(f"state IN ({','.join('?' * len(LEARNED))})", *LEARNED)
        with self.reading() as (tx, t):
            sent = {
                r["ward_code"]
                for r in tx.rows(f"SELECT DISTINCT ward_code FROM {t.main}{w.sql}", w.params)
            }
        return [
            {"province_code": province, "ward_code": code, "ward_name": name}
            for code, name, province in sorted(all_wards())
            if province == province_code and scope.ward_code in (None, code) and code not in sent
        ]
