"""A plan as data: folded from its events (the read model) or read off the aggregate (a
command's answer); both give the same dict. `derived` adds what follows from it: each seat
given with where it is, the seats left uncovered, and coverage per commune and field."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from domain import events as ev
from domain.plan import Plan
from domain.plan_values import Candidate, Placement, Target
from projections.base import jsonable

Detail = dict[str, Any]


def _target(t: Target) -> Detail:
    return {
        "province_code": t.province_code,
        "ward_code": t.ward_code,
        "fields": [f.value for f in t.fields],
        "seats": t.seats,
    }


def _nominee(c: Candidate) -> Detail:
    return {
        "nomination_id": str(c.nomination_id),
        "home_agency": c.home_agency,
        "fields": [f.value for f in c.fields],
        "eligible": c.eligible,
        "eligibility_failures": list(c.failures),
        "leader": c.leader,
    }


def _seat(p: Placement) -> Detail:
    return {
        "nomination_id": str(p.nomination_id),
        "target": p.target,
        "number": p.number,
        "fields": [f.value for f in p.fields],
    }


def detail_of(plan: Plan) -> Detail:
    """The plan aggregate as data."""
    return {
        "id": str(plan.id),
        "version": plan.version,
        "state": plan.state,
        "title": plan.title,
        "issuer": plan.issuer,
        "province_code": plan.province_code,
        "kind": plan.kind.value,
        "period": jsonable(plan.period),
        "drafted_on": plan.drafted_on.isoformat(),
        "targets": [_target(t) for t in plan.targets],
        "nominations": [_nominee(c) for c in plan.candidates],
        "assignments": [_seat(p) for p in plan.placements],
        "decision": jsonable(plan.decision),
        "term": jsonable(plan.term),
        "batch": plan.batch,
        "secondment_ids": [str(i) for i in plan.secondment_ids],
        "cancel_reason": plan.cancel_reason,
    }


def started(e: Any) -> Detail:
    """The detail of a plan from its Drafted event."""
    return {
        "id": str(e.originator_id),
        "version": e.originator_version,
        "state": "drafting",
        "title": e.title,
        "issuer": e.issuer,
        "province_code": e.province_code,
        "kind": e.kind.value,
        "period": jsonable(e.period),
        "drafted_on": e.effective_on.isoformat(),
        "targets": [_target(t) for t in e.targets],
        "nominations": [],
        "assignments": [],
        "decision": None,
        "term": None,
        "batch": None,
        "secondment_ids": [],
        "cancel_reason": None,
    }


def fold(detail: Detail, e: Any) -> Detail:
    """A later event of the plan, applied to its detail."""
    detail.update(version=e.originator_version, state=e.to_state)
    changed(e, detail)
    return detail


@functools.singledispatch
def changed(e: object, detail: Detail) -> None:
    """What an event changes besides the state (nothing for most)."""


@changed.register(ev.TargetsAmended)
def _amended(e: Any, detail: Detail) -> None:
    detail.update(targets=[_target(t) for t in e.targets], assignments=[])


@changed.register(ev.Nominated)
def _nominated(e: Any, detail: Detail) -> None:
    detail["nominations"] = [*detail["nominations"], _nominee(e.candidate)]


@changed.register(ev.SeatsGiven)
def _placed(e: Any, detail: Detail) -> None:
    detail["assignments"] = [_seat(p) for p in e.placements]


@changed.register(ev.Decided)
def _decided(e: Any, detail: Detail) -> None:
    detail.update(
        decision=jsonable(e.decision),
        term=jsonable(e.term),
        batch=e.batch,
        secondment_ids=[str(i) for i in e.secondment_ids],
    )


@changed.register(ev.Cancelled)
def _cancelled(e: Any, detail: Detail) -> None:
    detail["cancel_reason"] = e.reason


def derived(detail: Mapping[str, Any]) -> Detail:
    """The seats given (where, which fields, and once decided the secondment each became), the
    seats uncovered, coverage per commune and field (seats wanted, seats whose holder covers
    the field)."""
    targets = detail["targets"]
    given = {(a["target"], a["number"]): a for a in detail["assignments"]}
    created = dict(enumerate(detail["secondment_ids"]))
    assignments = [
        {
            **a,
            "ward_code": targets[a["target"]]["ward_code"],
            "province_code": targets[a["target"]]["province_code"],
            "secondment_id": created.get(i),
        }
        for i, a in enumerate(detail["assignments"])
    ]
    uncovered = [
        {
            "target": i,
            "number": n,
            "ward_code": t["ward_code"],
            "province_code": t["province_code"],
            "fields": t["fields"],
        }
        for i, t in enumerate(targets)
        for n in range(t["seats"])
        if (i, n) not in given
    ]
    coverage = [
        {
            "target": i,
            "province_code": t["province_code"],
            "ward_code": t["ward_code"],
            "field": f,
            "seats": t["seats"],
            "covered": sum(1 for (ti, _), a in given.items() if ti == i and f in a["fields"]),
            "filled": sum(1 for ti, _ in given if ti == i),
        }
        for i, t in enumerate(targets)
        for f in t["fields"]
    ]
    return {**detail, "assignments": assignments, "uncovered": uncovered, "coverage": coverage}
