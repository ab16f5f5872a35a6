"""Read model `compliance`: per active secondment, reporting periods due, submitted and overdue.

The rules are the domain's (`domain.deadlines`): periods run from the approved term's start in a
fixed cadence, the last cut at the end of the term, counted from the official's arrival; a period
is due once it has ended, submitted if a report's period overlaps it, and overdue once its grace
has passed without one (grace counts Vietnam's working days). What is due is worked out when
asked, for the day asked, with each missing period's due date. The overdue
periods the deadline worker recorded (`ReportOverdue`) are kept per row until a late report
covers them; the report lists the secondments with such open periods first. Public employees
approved without a recorded consultation (Decree 115/2020) are marked `consultation_missing`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson

from domain import deadlines
from domain import events as ev
from domain.deadlines import Cadence
from domain.records import Report
from domain.values import Category, ReportKind, Term
from projections.base import (
    IDENTITY,
    Event,
    NotLive,
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
)
from projections.secondments import ward_label
from projections.stay import follow_stay
from projections.store import Row, Tx

TABLE = Table(
    "",
    (
        *IDENTITY,
        ("term_start", "TEXT"),
        ("term_end", "TEXT"),
        ("arrived_on", "TEXT"),
        ("reports", "TEXT NOT NULL"),
        ("last_report_on", "TEXT"),
        ("flagged", "TEXT NOT NULL"),
        ("flagged_open", "INTEGER NOT NULL"),
        ("category", "TEXT"),
        ("consultation_missing", "INTEGER NOT NULL"),
    ),
    ("secondment_id",),
    (
        ("active", "flagged_open", "seq"),
        ("province_code", "ward_code"),
        ("agency_key",),
        ("personnel_key",),
    ),
)


class Compliance(ReadModel):
    """Terms and reported periods of each secondment."""

    reads = frozenset({"Secondment"})

    name = "compliance"
    revision = 4
    keyed_since = 4
    tables = (TABLE,)

    def apply(self, tx: Tx, t: Tables, events: Sequence[Event]) -> None:
        def new_row(e: Event) -> Row:
            category = e.data.official.category.value
            return {
                **identity(e, ward_label),
                "reports": "[]",
                "category": category,
                "consultation_missing": 0,
                **_flagged([]),
            }

        def lists(row: Row) -> Row:
            """The row's periods as lists, parsed once per batch (`finish` writes them back)."""
            if "_reports" not in row:
                row["_reports"] = orjson.loads(row["reports"])
                row["_flagged"] = orjson.loads(row["flagged"])
            return row

        def finish(row: Row) -> None:
            if "_reports" in row:
                row["reports"] = orjson.dumps(row.pop("_reports")).decode()
                row.update(_flagged(row.pop("_flagged")))

        for e, row in followed(self.rows(tx, t), events, new_row, finish):
            follow_stay(e.data, row, ("term_end", "arrived_on"))
            follow(e.data, row, lists)


Lists = Callable[[Row], Row]


@functools.singledispatch
def follow(data: object, row: Row, lists: Lists) -> None:
    """Updates a secondment's terms and reported periods from one of its events."""


@follow.register(ev.Approved)
def _approved(data: Any, row: Row, lists: Lists) -> None:
    row["term_start"] = iso(data.term.start)
    unheard = row["category"] == PUBLIC_EMPLOYEE and data.consulted_on is None
    row["consultation_missing"] = int(unheard)


@follow.register(ev.ReportSubmitted)
def _reported(data: Any, row: Row, lists: Lists) -> None:
    report = data.report
    start, end = iso(report.period_start), iso(report.period_end)
    lists(row)["_reports"].append([start, end])
    submitted = iso(report.submitted_on) or ""
    row["last_report_on"] = max(row["last_report_on"] or "", submitted) or None
    row["_flagged"] = [p for p in row["_flagged"] if not (p[0] <= end and p[1] >= start)]


@follow.register(ev.Corrected)
def _corrected(data: Any, row: Row, lists: Lists) -> None:
    changes = data.changes
    if data.fact == "ReportSubmitted" and ("period_start" in changes or "period_end" in changes):
        period = lists(row)["_reports"][data.index]
        period[0] = iso(changes.get("period_start")) or period[0]
        period[1] = iso(changes.get("period_end")) or period[1]
    if "submitted_on" in changes:
        submitted = iso(changes["submitted_on"]) or ""
        row["last_report_on"] = max(row["last_report_on"] or "", submitted) or None


@follow.register(ev.ReportOverdue)
def _flagged_overdue(data: Any, row: Row, lists: Lists) -> None:
    lists(row)["_flagged"].append([iso(data.period.start), iso(data.period.end)])


PUBLIC_EMPLOYEE = Category.PUBLIC_EMPLOYEE.value


def _flagged(periods: list[list[str]]) -> dict[str, Any]:
    return {"flagged": orjson.dumps(periods).decode(), "flagged_open": len(periods)}


@dataclass(frozen=True)
class Standing:
    """How one secondment stands on reporting on a given day."""

    due: int
    submitted: int
    overdue: int
    missing: list[tuple[str, str]]
    flagged_overdue: list[tuple[str, str]]
    due_dates: list[dict[str, Any]]
    """Each missing period with the day its report was (or is) due, and whether it is overdue."""
    next_due_on: str | None
    """When the report of the period running today (or next) falls due."""


def standing(row: Row, today: date, cadence: Cadence) -> Standing:
    """Reports due (periods since arrival that have ended), submitted (covered) and overdue
    (past their grace without a report), by the domain's rules."""
    flagged = [(a, b) for a, b in json.loads(row["flagged"])]
    if not row["term_start"] or not row["term_end"] or not row["arrived_on"]:
        return Standing(0, 0, 0, [], flagged, [], None)
    reported = [_report(a, b) for a, b in json.loads(row["reports"])]
    term = Term(date.fromisoformat(row["term_start"]), date.fromisoformat(row["term_end"]))
    arrived_on = date.fromisoformat(row["arrived_on"])
    since = [p for p in deadlines.periods(term, cadence.report_every_days) if p.end >= arrived_on]
    due = [p for p in since if p.end < today]
    missing = [p for p in due if not deadlines.covered(p, reported)]
    due_on = {p: deadlines.due_on(p, cadence) for p in missing}
    overdue = [p for p in missing if due_on[p] < today]
    listed = [(p.start.isoformat(), p.end.isoformat()) for p in overdue]
    dates = [
        {
            "period": f"{p.start}/{p.end}",
            "due_on": due_on[p].isoformat(),
            "overdue": due_on[p] < today,
        }
        for p in missing
    ]
    running = next((p for p in since if p.end >= today), None)
    upcoming = deadlines.due_on(running, cadence).isoformat() if running else None
    return Standing(
        len(due), len(due) - len(missing), len(overdue), listed, flagged, dates, upcoming
    )


def _report(start: str, end: str) -> Report:
    a, b = date.fromisoformat(start), date.fromisoformat(end)
    return Report(ReportKind.PROGRESS, a, b, "", 0, 0, 0, b)


@dataclass(frozen=True)
class ComplianceFilter:
    """Filters of GET /v1/reports/compliance."""

    province_code: int | None = None
    ward_code: int | None = None
    overdue_only: bool = False
    consultation_missing_only: bool = False


class ComplianceView(View):
    """The compliance report, for a day and a cadence."""

    model = "compliance"

    def report(
        self,
        f: ComplianceFilter,
        scope: Scope,
        today: date,
        cadence_for: Callable[[str], Cadence],
        after: tuple[int, int] | None,
        limit: int,
    ) -> Page:
        """Secondments with overdue periods the deadline worker recorded first, then the rest."""
        items: list[dict[str, Any]] = []
        with self.reading() as (tx, t):
            if "consultation_missing" not in tx.columns(t.main):
                raise NotLive(self.model)  # revision 2, live while revision 3 is built
        while True:
            w = Where().scope(scope).add("active = 1")
            if after is not None:
                w.add("(flagged_open < ? OR (flagged_open = ? AND seq > ?))", after[0], *after)
            w.eq("province_code", f.province_code).eq("ward_code", f.ward_code)
            if f.consultation_missing_only:
                w.add("consultation_missing = 1")
            with self.reading() as (tx, t):
                rows = tx.rows(
                    f"SELECT * FROM {t.main}{w.sql} ORDER BY flagged_open DESC, seq LIMIT ?",
                    [*w.params, limit + 1],
                )
            for row in rows:
                s = standing(row, today, cadence_for(row["kind"]))
                if f.overdue_only and not (s.overdue or s.flagged_overdue):
                    continue
                shown = {**_shown(row), "consultation_missing": bool(row["consultation_missing"])}
                items.append({**shown, **s.__dict__})
                if len(items) > limit:
                    last = items[limit - 1]
                    return Page(items[:limit], {"open": last["flagged_open"], "seq": last["seq"]})
            if len(rows) <= limit:
                return Page(items, None)
            after = (int(rows[-1]["flagged_open"]), int(rows[-1]["seq"]))


def _shown(row: Row) -> dict[str, Any]:
    hidden = ("reports", "agency_key", "active", "flagged")
    return {k: v for k, v in row.items() if k not in hidden}
