"""Read model `plans`: each plan's detail (targets, nominees, seats given, decision), the names
of its nominees (erasable), and the secondments its decision created, followed through their
lifecycle for plan against actual."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from domain import events as ev
from domain.plan_lifecycle import OPEN
from domain.values import personnel_key
from projections.audit import reason_of, states_of
from projections.base import (
    Event,
    Page,
    ReadModel,
    Table,
    Tables,
    View,
    Where,
    agency_key,
    dumps,
    paged,
    scope_facts,
)
from projections.plan_fold import derived, fold, started
from projections.store import Row, Tx

PLANS = Table(
    "",
    (
        ("plan_id", "TEXT NOT NULL"),
        ("seq", "BIGINT NOT NULL"),
        ("state", "TEXT NOT NULL"),
        ("title", "TEXT NOT NULL"),
        ("kind", "TEXT NOT NULL"),
        ("province_code", "INTEGER"),
        ("provinces", "TEXT NOT NULL"),
        ("wards", "TEXT NOT NULL"),
        ("detail", "TEXT NOT NULL"),
    ),
    ("plan_id",),
    (("seq",),),
)
NOMINEES = Table(
    "nominees",
    (
        ("nomination_id", "TEXT NOT NULL"),
        ("plan_id", "TEXT NOT NULL"),
        ("full_name", "TEXT NOT NULL"),
        ("personnel_id", "TEXT NOT NULL"),
        ("personnel_key", "TEXT NOT NULL"),
        ("home_agency", "TEXT NOT NULL"),
        ("agency_key", "TEXT NOT NULL"),
    ),
    ("nomination_id",),
    applying=(("plan_id",),),
)
POSTED = Table(
    "secondments",
    (
        ("secondment_id", "TEXT NOT NULL"),
        ("plan_id", "TEXT NOT NULL"),
        ("batch", "TEXT"),
        ("province_code", "INTEGER NOT NULL"),
        ("ward_code", "INTEGER"),
        ("state", "TEXT NOT NULL"),
    ),
    ("secondment_id",),
    applying=(("plan_id",),),
)
ACTUAL = ("approved", "deployed", "reporting", "handover", "ended", "withdrawn")


def codes(values: Sequence[Any]) -> str:
    """Codes as ",a,b," so that `LIKE '%,a,%'` finds one."""
    return "," + ",".join(str(v) for v in dict.fromkeys(values) if v is not None) + ","


def _summary(row: Row, detail: dict[str, Any]) -> Row:
    targets = detail["targets"]
    row.update(
        state=detail["state"],
        title=detail["title"],
        kind=detail["kind"],
        province_code=detail["province_code"],
        provinces=codes([detail["province_code"], *(t["province_code"] for t in targets)]),
        wards=codes([t["ward_code"] for t in targets]),
        detail=dumps(detail),
    )
    return row


# -- the plan's events in the audit log (projections/audit.py) ----------------------------------


@scope_facts.register(ev.Drafted)
def _drafted_facts(data: Any) -> Row:
    return {"province_code": data.province_code, "ward_code": None}


@states_of.register(ev.Drafted)
def _drafted_states(data: Any) -> tuple[str | None, str | None]:
    return None, "drafting"


@states_of.register(ev.TargetsAmended)
@states_of.register(ev.NominationsOpened)
@states_of.register(ev.Nominated)
@states_of.register(ev.SeatsGiven)
@states_of.register(ev.Decided)
@states_of.register(ev.Cancelled)
def _plan_states(data: Any) -> tuple[str | None, str | None]:
    return None, data.to_state


@reason_of.register(ev.Cancelled)
def _cancel_reason(data: Any) -> str | None:
    return data.reason or None


class Plans(ReadModel):
    """Plans, their nominees and the secondments their decisions created."""

    reads = frozenset({"Plan", "Nomination", "Secondment"})

    name = "plans"
    tables = (PLANS, NOMINEES, POSTED)

    def apply(self, tx: Tx, t: Tables, events: Sequence[Event]) -> None:
        plans, nominees = self.rows(tx, t), self.rows(tx, t, "nominees")
        posted = self.rows(tx, t, "secondments")
        plans.preload(e.sid for e in events if e.aggregate == "Plan")
        posted.preload(e.sid for e in events if e.aggregate == "Secondment")
        for e in events:
            data = e.data
            if isinstance(data, ev.Drafted):
                plans.put(_summary({"plan_id": e.sid, "seq": e.position}, started(data)))
            elif e.aggregate == "Plan" and (row := plans.get(e.sid)) is not None:
                plans.put(_summary(row, fold(orjson.loads(row["detail"]), data)))
            elif isinstance(data, ev.Proposed):
                nominees.put(_nominee_row(e.sid, data))
            elif isinstance(data, ev.Requested) and data.plan is not None:
                posted.put(_posted_row(e.sid, data))
            elif e.aggregate == "Secondment" and (row := posted.get(e.sid)) is not None:
                row["state"] = data.to_state
                posted.put(row)
        for rows in (plans, nominees, posted):
            rows.flush()


def _nominee_row(sid: str, data: Any) -> Row:
    official = data.official
    return {
        "nomination_id": sid,
        "plan_id": str(data.plan_id),
        "full_name": official.full_name,
        "personnel_id": official.personnel_id,
        "personnel_key": personnel_key(official.personnel_id),
        "home_agency": data.home_agency,
        "agency_key": agency_key(data.home_agency),
    }


def _posted_row(sid: str, data: Any) -> Row:
    return {
        "secondment_id": sid,
        "plan_id": str(data.plan.plan_id),
        "batch": data.plan.batch,
        "province_code": data.host.province_code,
        "ward_code": data.host.ward_code,
        "state": data.to_state,
    }


@dataclass(frozen=True)
class PlanScope:
    """Which plans a reader sees: by a province among the plan's, or a ward among its targets."""

    province_code: int | None = None
    ward_code: int | None = None

    def where(self, w: Where) -> Where:
        if self.province_code is not None:
            w.add("provinces LIKE ?", f"%,{self.province_code},%")
        if self.ward_code is not None:
            w.add("wards LIKE ?", f"%,{self.ward_code},%")
        return w


class PlansView(View):
    """The list of plans, one plan's detail with its nominees' names and plan against actual,
    and the open plans that target a commune."""

    model = "plans"

    def search(
        self,
        scope: PlanScope,
        state: str | None,
        ward_code: int | None,
        after: int,
        limit: int,
        narrowed: PlanScope | None = None,
    ) -> Page:
        w = scope.where(Where()).eq("state", state)
        PlanScope(ward_code=ward_code).where(w)
        if narrowed is not None:
            narrowed.where(w)
        w.add("seq > ?", after)
        with self.reading() as (tx, t):
            rows = tx.rows(
                f"SELECT plan_id, seq, state, title, kind, province_code, wards FROM {t.main}"
                f"{w.sql} ORDER BY seq LIMIT ?",
                [*w.params, limit + 1],
            )
        return paged(rows, limit, lambda r: {"seq": r["seq"]})

    def plan(self, plan_id: str, scope: PlanScope) -> dict[str, Any] | None:
        w = scope.where(Where()).add("plan_id = ?", plan_id)
        with self.reading() as (tx, t):
            row = tx.one(f"SELECT detail FROM {t.main}{w.sql}", w.params)
            if row is None:
                return None
            names = tx.rows(
                f"SELECT nomination_id, full_name FROM {t['nominees']} WHERE plan_id = ?",
                (plan_id,),
            )
            posted = tx.rows(
                f"SELECT province_code, ward_code, state, COUNT(*) AS n FROM {t['secondments']} "
                "WHERE plan_id = ? GROUP BY province_code, ward_code, state",
                (plan_id,),
            )
        detail = derived(orjson.loads(row["detail"]))
        named = {r["nomination_id"]: r["full_name"] for r in names}
        for n in detail["nominations"]:
            n["full_name"] = named.get(n["nomination_id"])
        return {**detail, "actual": against_actual(detail, posted)}

    def open_for(self, ward_code: int, scope: PlanScope) -> list[dict[str, Any]]:
        """The open plans in scope with a target at this commune, and what they target there."""
        w = PlanScope(ward_code=ward_code).where(scope.where(Where()))
        w.add(f"state IN ({','.join('?' * len(OPEN))})", *OPEN)
        with self.reading() as (tx, t):
            rows = tx.rows(
                f"SELECT plan_id, state, title, detail FROM {t.main}{w.sql} ORDER BY seq", w.params
            )
        found = []
        for r in rows:
            targets = [
                x for x in orjson.loads(r["detail"])["targets"] if x["ward_code"] == ward_code
            ]
            fields = list(dict.fromkeys(f for x in targets for f in x["fields"]))
            seats = sum(x["seats"] for x in targets)
            found.append(
                {
                    "id": r["plan_id"],
                    "title": r["title"],
                    "state": r["state"],
                    "fields": fields,
                    "seats": seats,
                }
            )
        return found


def against_actual(detail: dict[str, Any], posted: Sequence[Row]) -> list[dict[str, Any]]:
    """Per commune (or province) of the plan: seats planned, seats given, and its secondments
    by state."""
    planned: Counter[tuple[int, int | None]] = Counter()
    for t in detail["targets"]:
        planned[t["province_code"], t["ward_code"]] += t["seats"]
    given = Counter((a["province_code"], a["ward_code"]) for a in detail["assignments"])
    states: dict[tuple[int, int | None], Counter[str]] = {}
    for r in posted:
        states.setdefault((r["province_code"], r["ward_code"]), Counter())[r["state"]] += int(
            r["n"]
        )
    return [
        {
            "province_code": p,
            "ward_code": w,
            "seats": planned[p, w],
            "assigned": given[p, w],
            **{s: states.get((p, w), Counter())[s] for s in ACTUAL},
        }
        for p, w in sorted(planned, key=lambda k: (k[0], k[1] or 0))
    ]
